"""Run a command on a pseudo-terminal and drive it with a script.

Usage: ptydrive.py LOG SCRIPT -- COMMAND ARGS...
The command's terminal output is appended to LOG as it comes.  SCRIPT is
a file of steps, one a line:
  expect TEXT      wait (30 s at most) until TEXT appears after the last match
  send TEXT        type TEXT (Python escapes: \\n, \\x03 for Ctrl-C, \\x04)
  file PATH TEXT   wait until PATH's contents hold TEXT
  run CMD          run the shell command CMD and wait for it
  sleep SECS       only where the test is about time passing
The exit status is the command's (128+N after signal N); 98 when a step
timed out, with what was seen on stderr.
"""
import os
import pty
import select
import subprocess
import sys
import time


def main():
    log, script = sys.argv[1], sys.argv[2]
    cmd = sys.argv[sys.argv.index("--") + 1:]
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(cmd[0], cmd)
    seen = b""
    mark = 0
    out = open(log, "ab")

    def pump(timeout):
        nonlocal seen
        r, _, _ = select.select([fd], [], [], timeout)
        if not r:
            return True
        try:
            data = os.read(fd, 65536)
        except OSError:
            data = b""
        if not data:
            return False
        seen += data
        out.write(data)
        out.flush()
        return True

    alive = True
    for line in open(script, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        verb, _, arg = line.partition(" ")
        arg = arg.encode().decode("unicode_escape").encode("latin-1")
        if verb == "expect":
            deadline = time.time() + 30
            while seen.find(arg, mark) < 0:
                if time.time() > deadline or not alive:
                    sys.stderr.write("ptydrive.py: no %r in %r\n" % (arg, seen[mark:]))
                    return 98
                alive = pump(0.05) and alive
            mark = seen.find(arg, mark) + len(arg)
        elif verb == "send":
            os.write(fd, arg)
        elif verb == "file":
            path, _, text = arg.partition(b" ")
            deadline = time.time() + 30
            while True:
                try:
                    if text in open(path, "rb").read():
                        break
                except OSError:
                    pass
                if time.time() > deadline:
                    sys.stderr.write("ptydrive.py: no %r in %s\n" % (text, path))
                    return 98
                pump(0.05)
        elif verb == "run":
            subprocess.run(arg.decode(), shell=True, check=False)
        elif verb == "sleep":
            end = time.time() + float(arg)
            while time.time() < end:
                pump(0.05)
    deadline = time.time() + 30
    while alive and time.time() < deadline:
        alive = pump(0.1)
    try:
        _, status = os.waitpid(pid, 0 if not alive else os.WNOHANG)
    except ChildProcessError:
        return 97
    if alive:
        sys.stderr.write("ptydrive.py: the command did not end: %r\n" % seen[mark:])
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        return 98
    if os.WIFSIGNALED(status):
        return 128 + os.WTERMSIG(status)
    return os.WEXITSTATUS(status)


sys.exit(main())
