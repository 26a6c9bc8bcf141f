#!/usr/bin/python3
"""Runs greenlet programs (see lang.py) with Python's greenlet and prints their
event traces. Reads one program or a '%%'-separated batch on stdin.

Python's greenlet has no kill() and no explicit reference counts, so this
interpreter models R14 (kill) and R15 (the last reference to a suspended
greenlet kills it) on top of greenlet.throw() and parent assignment, which is
what greenlet's own deallocation does. Every greenlet object is kept alive by
the interpreter, so Python's garbage collection never kills anything itself;
the modelled reference counts follow the C library's rules (a handle, one per
child, one while current, one in flight until the receiver has traced it).
"""
import os
import sys

import greenlet
from greenlet import GreenletExit, getcurrent

import lang

EXIT, EINVAL, ENOMEM, ETHREAD, ECYCLE, ENORUN, EALIVE = -1, -2, -3, -4, -5, -6, -7

KEEP_ALIVE = []  # every greenlet ever made: Python must never collect (and kill) one


class UserError(Exception):
    """A user error code (any code but GREENLET_EXIT) with its payload."""

    def __init__(self, code, payload):
        super().__init__(code, payload)
        self.code = code
        self.payload = payload


class Greenlet(greenlet.greenlet):
    """A program greenlet with the bookkeeping of the modelled C handle."""


def make_error(code, payload):
    return GreenletExit(payload) if code == EXIT else UserError(code, payload)


def error_of(e):
    """(code, payload) of an exception that reached a greenlet."""
    if isinstance(e, GreenletExit):
        return EXIT, plain_value(e.args[0] if e.args else None)
    if isinstance(e, UserError):
        return e.code, e.payload
    if isinstance(e, AttributeError) and str(e) == "run":
        return ENORUN, 0  # started a greenlet without run (R3)
    if isinstance(e, TypeError):
        return EINVAL, 0  # throw code 0, parent None
    if isinstance(e, ValueError):
        return ECYCLE, 0  # cyclic parent chain
    raise e


def plain_value(v):
    """Values are integers; a GreenletExit that ended a greenlet is its payload (R11, R12)."""
    if v is None:
        return 0
    if isinstance(v, GreenletExit):
        return plain_value(v.args[0] if v.args else None)
    return v


class Program:
    def __init__(self, bodies, out):
        self.bodies = bodies
        self.out = out
        self.main = getcurrent()
        self.main.gname = "g0"
        self.handles = {}       # name number -> greenlet whose handle the program holds
        self.in_flight = []     # origins of switches not yet released by their receiver
        self.tracing = False
        self.silent = False     # die_unstarted() at work: not the program's switches
        self.creations = 0
        self.exit_payload = 0   # of the last GreenletExit that may end a greenlet (see make_run)

    def emit(self, line):
        self.out.append(line)

    # ---- the modelled reference counts and states (R1, R15) ----

    def state(self, g):
        if g is not self.main and g.dead:
            return "dead"
        if g is getcurrent():
            return "running"
        return "suspended" if g else "unstarted"

    def ref(self, g):
        if g is not self.main:
            g.refs += 1

    def unref(self, g):
        if g is None or g is self.main:
            return
        g.refs -= 1
        if g.refs != 0:
            return
        if self.state(g) != "suspended":
            g.freed = True
            self.unref(g.parent)
        else:
            self.dispose_suspended(g)

    def dispose_suspended(self, g):
        g.refs = 1  # the kill's own
        if self.kill(g) == EALIVE:
            g.orphan = True  # keeps that reference until it dies
        else:
            self.unref(g)

    def tracer(self, event, args):
        """Runs in the target before it resumes: it becomes current (a reference)."""
        if self.silent:
            return
        origin, target = args
        self.ref(target)
        self.in_flight.append(origin)
        if self.tracing:
            self.emit(f"trace {event} {origin.gname} {target.gname}")
        if event == "throw" and target is not self.main and target.has_run and not target.entered:
            # Thrown into before it started: it dies without running, so its
            # receiving side (where the C library drops the in-flight
            # reference, R15) is here, before it dies.
            self.arrived()

    def arrived(self):
        """The receiver's side of every switch: drop the origin's in-flight reference."""
        while self.in_flight:
            origin = self.in_flight.pop(0)
            if origin is not self.main and origin.orphan and self.state(origin) == "dead":
                origin.orphan = False
                self.unref(origin)
            self.unref(origin)

    def is_ancestor(self, a, g):
        p = g.parent
        while p is not None:
            if p is a:
                return True
            p = p.parent
        return False

    # ---- operations ----

    def new(self, name, parent, body):
        run = None if body is None else self.make_run(body)
        g = Greenlet(parent=parent) if run is None else Greenlet(run, parent)
        g.gname, g.refs, g.orphan, g.freed = f"g{name}", 1, False, False
        g.has_run, g.entered = run is not None, False
        KEEP_ALIVE.append(g)
        self.ref(parent)
        return g

    def switch(self, g, value):
        return g.switch(value)

    def throw(self, g, code, payload):
        if code == 0:
            return g.throw(0)  # TypeError: nothing switches
        if code == EXIT:
            self.exit_payload = payload
        return g.throw(make_error(code, payload))

    def kill(self, g):
        """R14, as greenlet_kill() does it."""
        me = getcurrent()
        st = self.state(g)
        if st == "dead":
            return 0
        if g is me or g is self.main or self.is_ancestor(g, me):
            return EINVAL
        if st == "unstarted" and not g.has_run:
            self.die_unstarted(g, me)
            return 0
        self.ref(g)  # held across the switch: the caller's handle may go meanwhile
        original = g.parent
        g.parent = me
        self.ref(me)
        code = 0
        try:
            g.throw(GreenletExit())
        except (Exception, GreenletExit) as e:
            code = error_of(e)[0]
        self.arrived()
        temporary = g.parent
        if original is not None and original is not g and not self.is_ancestor(g, original):
            g.parent = original
            self.unref(temporary)
        else:
            self.unref(original)
        rc = EALIVE if self.state(g) != "dead" else code
        self.unref(g)
        return rc

    def die_unstarted(self, g, me):
        """R14: a greenlet without run that is killed dies without running.
        Python's greenlet cannot kill it (throwing into it raises AttributeError),
        so the model makes it dead for real, unseen by the program: with a run
        and, for that moment, the killer as its parent, it is entered by a
        GreenletExit, which never calls run, and dies. From then on Python's own
        rules send what reaches it on up (R7)."""
        original = g.parent
        g.run = lambda *args: None
        g.parent = me
        self.silent = True
        try:
            g.throw(GreenletExit())
        finally:
            self.silent = False
        g.parent = original

    def set_parent(self, g, parent):
        old = g.parent
        try:
            g.parent = parent
        except (TypeError, AttributeError):
            return EINVAL
        except ValueError:
            return ECYCLE
        self.ref(parent)
        self.unref(old)
        return 0

    # ---- the interpreter ----

    def make_run(self, body):
        def run(*args):
            # Python's greenlet starts an unstarted parent with no arguments when
            # its child ended by GreenletExit; the C library passes the payload
            # (R7, R12; docs/semantics.md). The payload is the last one that
            # could have ended a greenlet.
            arg = args[0] if args else self.exit_payload
            me = getcurrent()
            me.entered = True
            self.arrived()
            self.emit(f"[{me.gname}] start {plain_value(arg)}")
            return self.execute(self.bodies.get(body, []), me.gname, False)
        return run

    def lookup(self, n):
        return self.main if n == 0 else self.handles.get(n)

    def receive(self, me, what, call, on_error, in_main):
        try:
            value = call()
        except (Exception, GreenletExit) as e:
            self.arrived()
            code, payload = error_of(e)
            self.emit(f"[{me}] {what} -> error {code} {payload}")
            if on_error == "raise" and not in_main:
                self.exit_payload = payload
                raise
            return
        self.arrived()
        self.emit(f"[{me}] {what} -> value {plain_value(value)}")

    def execute(self, actions, me, in_main):
        for a in actions:
            verb = a[0]
            what = lang.format_action(a)
            if verb in lang.VERBS_WITH_TARGET:
                g = self.lookup(a[1])
                if (g is None) != (verb == "new"):
                    self.emit(f"[{me}] skip {what}")
                    continue
            if verb == "new":
                parent = getcurrent() if a[2] is None else self.lookup(a[2])
                if parent is None or self.creations == lang.MAX_CREATIONS:
                    self.emit(f"[{me}] skip {what}")
                    continue
                self.creations += 1
                self.handles[a[1]] = self.new(a[1], parent, a[3])
                self.emit(f"[{me}] {what}")
            elif verb == "switch":
                self.receive(me, what, lambda: self.switch(g, a[2]), a[3], in_main)
            elif verb == "throw":
                self.receive(me, what, lambda: self.throw(g, a[2], a[3]), a[4], in_main)
            elif verb == "kill":
                self.emit(f"[{me}] {what} -> {self.kill(g)}")
            elif verb == "set_parent":
                parent = None if a[2] is None else self.lookup(a[2])
                if a[2] is not None and parent is None:
                    self.emit(f"[{me}] skip {what}")
                    continue
                self.emit(f"[{me}] {what} -> {self.set_parent(g, parent)}")
            elif verb == "unref":
                if a[1] == 0:
                    self.emit(f"[{me}] skip {what}")
                    continue
                del self.handles[a[1]]
                self.emit(f"[{me}] {what}")
                self.unref(g)
            elif verb == "state":
                self.emit(f"[{me}] {what} -> {self.state(g)}")
            elif verb == "parent":
                p = g.parent
                self.emit(f"[{me}] {what} -> {'none' if p is None else p.gname}")
            elif verb == "trace":
                self.tracing = a[1]
                self.emit(f"[{me}] {what}")
            elif verb == "return":
                self.emit(f"[{me}] {what}")
                return a[1]
            elif verb == "raise":
                self.emit(f"[{me}] {what}")
                self.exit_payload = a[2]
                raise make_error(a[1], a[2])
        if not in_main:
            self.emit(f"[{me}] return 0")
        return 0

    def run_main(self, actions):
        greenlet.settrace(self.tracer)
        try:
            self.execute(actions, "g0", True)
            for n in sorted(self.handles):
                self.emit(f"final g{n} {self.state(self.handles[n])}")
            while self.handles:  # drop every handle still held, in name order
                n = min(self.handles)
                g = self.handles.pop(n)
                self.emit(f"[g0] unref g{n}")
                self.unref(g)
            self.emit("end")
        finally:
            greenlet.settrace(None)


def run_text(text):
    """The event lines of one program (or a parse error line)."""
    try:
        bodies, actions = lang.parse(text)
    except lang.ParseError as e:
        return [f"parse error: {e.args[0]}"]
    out = []
    Program(bodies, out).run_main(actions)
    return out


def main():
    programs = lang.split_batch(sys.stdin.read())
    batch = len(programs) > 1
    for i, text in enumerate(programs):
        lines = run_text(text)
        if batch:
            lines.insert(0, f"%% {i}")
        sys.stdout.write("\n".join(lines) + "\n")
    sys.stdout.flush()
    os._exit(0)  # suspended greenlets must not be killed by Python at exit


if __name__ == "__main__":
    main()
