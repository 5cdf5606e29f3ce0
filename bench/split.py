#!/usr/bin/python3
"""Where a one-shot `chatcat send` spends its time, without changing chatcat.

    split.py RUNS CHATCAT ARGS...      (ARGS must include -v and `send ...`)

Runs the command RUNS times with stdout and stderr on pipes and stamps every
line as it arrives (CLOCK_MONOTONIC).  With -v, chatcat writes
"connecting to ..." before the TCP connect and "connected to ..." once the
WebSocket upgrade is accepted; its stdout carries one line per frame, written
as each frame arrives.  The phases, medians over the runs, in ms:

    start      fork/exec, dynamic linking, options, event loop set-up
    connect    TCP connect and HTTP upgrade (to "connected")
    ack        request sent, stored by the server, message_received back
    reply      from message_received to the "status":"complete" frame
    close      close handshake and process exit (both pipes at EOF, reaped)
    total      spawn to exit

Pipe delivery adds a few microseconds to each stamp.  Prints one JSON object.
"""
import json
import os
import selectors
import statistics
import subprocess
import sys
import time


def one(cmd):
    t0 = time.monotonic_ns()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         stdin=subprocess.DEVNULL, bufsize=0)
    sel = selectors.DefaultSelector()
    sel.register(p.stdout, selectors.EVENT_READ, "out")
    sel.register(p.stderr, selectors.EVENT_READ, "err")
    marks = {}
    partial = {"out": b"", "err": b""}
    frames = 0
    open_pipes = 2
    deadline = time.monotonic() + 30
    while open_pipes:
        if time.monotonic() > deadline:
            p.kill()
            raise RuntimeError("chatcat did not finish within 30 s")
        for key, _ in sel.select(timeout=1):
            data = os.read(key.fileobj.fileno(), 65536)
            now = time.monotonic_ns()
            if not data:
                sel.unregister(key.fileobj)
                open_pipes -= 1
                continue
            buf = partial[key.data] + data
            lines = buf.split(b"\n")
            partial[key.data] = lines.pop()
            for line in lines:
                if key.data == "err":
                    if b"connecting to" in line:
                        marks.setdefault("connecting", now)
                    elif b"connected to" in line:
                        marks.setdefault("connected", now)
                else:
                    frames += 1
                    marks.setdefault("first", now)
                    if b'"status":"complete"' in line:
                        marks["last"] = now
    rc = p.wait()
    marks["exit"] = time.monotonic_ns()
    if rc != 0:
        raise RuntimeError("chatcat exited %d" % rc)
    for k in ("connecting", "connected", "first", "last"):
        if k not in marks:
            raise RuntimeError("no '%s' mark: is -v given?" % k)
    ms = lambda a, b: (marks[b] - a) / 1e6 if isinstance(a, int) else \
        (marks[b] - marks[a]) / 1e6
    return {
        "start": ms(t0, "connecting"),
        "connect": ms("connecting", "connected"),
        "ack": ms("connected", "first"),
        "reply": ms("first", "last"),
        "close": ms("last", "exit"),
        "total": ms(t0, "exit"),
        "frames": frames,
    }


def main(argv):
    if len(argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    runs = int(argv[1])
    cmd = argv[2:]
    one(cmd)  # warm-up
    rows = [one(cmd) for _ in range(runs)]
    out = {"runs": runs}
    for k in ("start", "connect", "ack", "reply", "close", "total"):
        out[k] = round(statistics.median(r[k] for r in rows), 3)
    out["frames"] = rows[0]["frames"]
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
