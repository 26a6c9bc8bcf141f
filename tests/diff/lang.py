"""The greenlet program language shared by the generator, the Python
interpreter, the minimiser and (by specification) the C interpreter.

A program is a list of lines:

    body bK           starts the body (action list) of greenlets created with run=bK
    main              starts the main greenlet's action list
    end               ends the open block
    # ...             comment; blank lines are ignored

Actions (in a body or in main):

    new gN parent=gK|cur run=bK|none
    switch gN V [catch|raise]     send value V; on an error: catch it, or raise it (bodies)
    throw gN C P [catch|raise]    raise error code C with payload P in gN
    kill gN
    set_parent gN gK|none
    unref gN                      drop the program's handle on gN
    state gN
    parent gN
    trace on|off
    return V                      bodies only: ends the body with value V
    raise C P                     bodies only: ends the body with error (C, P)

g0 is the main greenlet. A body that runs out of actions returns 0. Values and
payloads are integers; codes are non-zero integers (-1 is GREENLET_EXIT).
Batch files hold several programs separated by a line '%%'.
See docs/hardening.md for the event lines both interpreters print.
"""

MAX_NAMES = 32
MAX_BODIES = 32
MAX_ACTIONS = 256
MAX_NUMBER = 1000000
MAX_CREATIONS = 64  # greenlets one run may create: a body may create more of itself

VERBS_WITH_TARGET = ("new", "switch", "throw", "kill", "set_parent", "unref", "state", "parent")


class ParseError(Exception):
    """args[0] is what both interpreters print ("line N", "missing end"); args[1] the reason."""


def _name(tok, prefix, limit, what):
    digits = tok[1:]
    if not digits or tok[0] != prefix or digits.strip("0123456789") or (len(digits) > 1 and digits[0] == "0"):
        raise ParseError(f"bad {what} '{tok}'")
    n = int(tok[1:])
    if n >= limit:
        raise ParseError(f"{what} '{tok}' out of range")
    return n


def _int(tok):
    """A canonical decimal: optional '-', no leading zeros, no '-0'."""
    digits = tok[1:] if tok.startswith("-") else tok
    if not digits or digits.strip("0123456789") or (len(digits) > 1 and digits[0] == "0") or tok == "-0":
        raise ParseError(f"bad number '{tok}'")
    if len(digits) > 7 or not -MAX_NUMBER <= int(tok) <= MAX_NUMBER:
        raise ParseError(f"number out of range '{tok}'")
    return int(tok)


def _on_error(toks, i):
    if len(toks) == i:
        return "catch"
    if len(toks) == i + 1 and toks[i] in ("catch", "raise"):
        return toks[i]
    raise ParseError("expected catch or raise")


def parse_action(toks, in_main):
    """One action as a tuple: (verb, args...)."""
    verb, n = toks[0], len(toks)
    if verb == "new" and n == 4 and toks[2].startswith("parent=") and toks[3].startswith("run="):
        target = _name(toks[1], "g", MAX_NAMES, "greenlet")
        if target == 0:
            raise ParseError("g0 is the main greenlet")
        p = toks[2][len("parent="):]
        parent = None if p == "cur" else _name(p, "g", MAX_NAMES, "greenlet")
        r = toks[3][len("run="):]
        body = None if r == "none" else _name(r, "b", MAX_BODIES, "body")
        return ("new", target, parent, body)
    if verb == "switch" and n in (3, 4):
        return ("switch", _name(toks[1], "g", MAX_NAMES, "greenlet"), _int(toks[2]), _on_error(toks, 3))
    if verb == "throw" and n in (4, 5):
        return ("throw", _name(toks[1], "g", MAX_NAMES, "greenlet"), _int(toks[2]), _int(toks[3]),
                _on_error(toks, 4))
    if verb in ("kill", "unref", "state", "parent") and n == 2:
        return (verb, _name(toks[1], "g", MAX_NAMES, "greenlet"))
    if verb == "set_parent" and n == 3:
        parent = None if toks[2] == "none" else _name(toks[2], "g", MAX_NAMES, "greenlet")
        return ("set_parent", _name(toks[1], "g", MAX_NAMES, "greenlet"), parent)
    if verb == "trace" and n == 2 and toks[1] in ("on", "off"):
        return ("trace", toks[1] == "on")
    if verb == "return" and n == 2 and not in_main:
        return ("return", _int(toks[1]))
    if verb == "raise" and n == 3 and not in_main:
        code = _int(toks[1])
        if code == 0:
            raise ParseError("raise needs a non-zero code")
        return ("raise", code, _int(toks[2]))
    raise ParseError(f"bad action '{' '.join(toks)}'")


def _tokens(line):
    """Words of a line up to '#', split on ASCII blanks only (as the C parser does)."""
    line = line.split("#", 1)[0]
    for blank in "\t\r\v\f":
        line = line.replace(blank, " ")
    return [t for t in line.split(" ") if t]


def parse(text):
    """Returns (bodies, main): bodies maps a body number to its action list."""
    bodies, main = {}, None
    block, actions, count = None, None, 0
    for lineno, raw in enumerate(text.split("\n"), 1):
        toks = _tokens(raw)
        if not toks:
            continue
        try:
            if block is None:
                if toks[0] == "body" and len(toks) == 2:
                    b = _name(toks[1], "b", MAX_BODIES, "body")
                    if b in bodies:
                        raise ParseError(f"body b{b} defined twice")
                    block, actions = b, []
                elif toks == ["main"]:
                    if main is not None:
                        raise ParseError("main defined twice")
                    block, actions = "main", []
                else:
                    raise ParseError("expected 'body bK' or 'main'")
            elif toks == ["end"]:
                if block == "main":
                    main = actions
                else:
                    bodies[block] = actions
                block = None
            else:
                count += 1
                if count > MAX_ACTIONS:
                    raise ParseError("too many actions")
                actions.append(parse_action(toks, block == "main"))
        except ParseError as e:
            raise ParseError(f"line {lineno}", str(e)) from None
    if block is not None:
        raise ParseError("missing end")
    return bodies, (main if main is not None else [])


def format_action(a):
    verb = a[0]
    if verb == "new":
        parent = "cur" if a[2] is None else f"g{a[2]}"
        run = "none" if a[3] is None else f"b{a[3]}"
        return f"new g{a[1]} parent={parent} run={run}"
    if verb == "switch":
        return f"switch g{a[1]} {a[2]}" + ("" if a[3] == "catch" else " raise")
    if verb == "throw":
        return f"throw g{a[1]} {a[2]} {a[3]}" + ("" if a[4] == "catch" else " raise")
    if verb in ("kill", "unref", "state", "parent"):
        return f"{verb} g{a[1]}"
    if verb == "set_parent":
        return f"set_parent g{a[1]} " + ("none" if a[2] is None else f"g{a[2]}")
    if verb == "trace":
        return "trace " + ("on" if a[1] else "off")
    if verb == "return":
        return f"return {a[1]}"
    if verb == "raise":
        return f"raise {a[1]} {a[2]}"
    raise ValueError(verb)


def format_program(bodies, main):
    out = []
    for b in sorted(bodies):
        out.append(f"body b{b}")
        out.extend("  " + format_action(a) for a in bodies[b])
        out.append("end")
    out.append("main")
    out.extend("  " + format_action(a) for a in main)
    out.append("end")
    return "\n".join(out) + "\n"


def split_batch(text):
    """Programs of a batch file, separated by lines '%%'."""
    programs, cur = [], []
    for line in text.split("\n"):
        if line.strip(" \t\r\v\f") == "%%":
            programs.append("\n".join(cur))
            cur = []
        else:
            cur.append(line)
    if any(_tokens(line) for line in cur):
        programs.append("\n".join(cur))
    return programs
