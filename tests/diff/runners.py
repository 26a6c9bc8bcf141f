"""Runs batches of programs through both interpreters and compares them."""
import os
import shlex
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
# Debian's python3 has python3-greenlet; a python3 earlier on PATH may not.
PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
TIMEOUT = 300


def join_batch(programs):
    return "%%\n".join(p if p.endswith("\n") else p + "\n" for p in programs)


def split_output(text, count):
    """Per-program output lines of a batch run ('%% i' headers; none for one program)."""
    if count == 1:
        return ["\n".join(text.rstrip("\n").split("\n"))]
    outs = [None] * count
    cur, idx = [], None
    for line in text.rstrip("\n").split("\n"):
        if line.startswith("%% "):
            if idx is not None:
                outs[idx] = "\n".join(cur)
            idx, cur = int(line[3:]), []
        else:
            cur.append(line)
    if idx is not None:
        outs[idx] = "\n".join(cur)
    return outs


def run(cmd, programs):
    """(outputs, failure): failure is None or a description (crash, timeout)."""
    # stdin is a file, not a pipe: Emscripten's stdin under Node can lose
    # data when a pipe is momentarily empty.
    with tempfile.TemporaryFile() as batch:
        batch.write(join_batch(programs).encode())
        batch.seek(0)
        try:
            p = subprocess.run(cmd, stdin=batch, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            return [None] * len(programs), f"timed out after {TIMEOUT}s"
    out = p.stdout.decode(errors="replace")
    outs = split_output(out, len(programs))
    if p.returncode != 0:
        tail = p.stderr.decode(errors="replace").strip().split("\n")[-5:]
        return outs, f"exit status {p.returncode}: " + " | ".join(tail)
    return outs, None


def run_python(programs):
    return run([PYTHON, os.path.join(HERE, "pyinterp.py")], programs)


def run_c(interp, programs):
    """interp: the C interpreter's command line (e.g. "node greenlet_interp.js")."""
    return run(shlex.split(interp), programs)


def mismatch(interp, program):
    """None if both interpreters agree on program alone, else (python, c, failure)."""
    (py,), py_fail = run_python([program])
    (c,), c_fail = run_c(interp, [program])
    if py_fail:
        raise RuntimeError(f"the Python interpreter failed ({py_fail}) on:\n{program}")
    if c_fail or py != c:
        return py, c, c_fail
    return None
