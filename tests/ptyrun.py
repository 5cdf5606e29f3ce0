#!/usr/bin/python3
"""ptyrun.py [--type TEXT] [--tty-out] -- COMMAND...: run COMMAND with a
pseudo-terminal as its standard input (--type) and/or standard output
(--tty-out), for the tests of what chatcat does on a terminal.

--type TEXT: stdin is a terminal; once COMMAND has written a line to
stderr (it says what it waits for), TEXT is typed, then Ctrl-D.  Without
--type stdin is /dev/null.  COMMAND's stdout (read from the terminal with
--tty-out, output processing off) and stderr are copied to ours; the exit
status is COMMAND's.  Everything has a 20 s deadline."""
import os
import pty
import select
import subprocess
import sys
import termios
import time


def main():
    args = sys.argv[1:]
    text = None
    tty_out = False
    while args and args[0] != '--':
        if args[0] == '--type':
            text = args[1].encode()
            args = args[2:]
        elif args[0] == '--tty-out':
            tty_out = True
            args = args[1:]
        else:
            sys.exit('ptyrun.py: unknown option ' + args[0])
    cmd = args[1:]
    fds = {}
    if text is not None:
        in_m, in_s = pty.openpty()
        stdin = in_s
    else:
        stdin = subprocess.DEVNULL
    if tty_out:
        out_m, out_s = pty.openpty()
        attrs = termios.tcgetattr(out_s)
        attrs[1] &= ~termios.OPOST  # no \n -> \r\n
        termios.tcsetattr(out_s, termios.TCSANOW, attrs)
        stdout = out_s
    else:
        stdout = subprocess.PIPE
    p = subprocess.Popen(cmd, stdin=stdin, stdout=stdout,
                         stderr=subprocess.PIPE)
    if text is not None:
        os.close(in_s)
    if tty_out:
        os.close(out_s)
        fds[out_m] = sys.stdout.buffer
    else:
        fds[p.stdout.fileno()] = sys.stdout.buffer
    fds[p.stderr.fileno()] = sys.stderr.buffer
    typed = text is None
    deadline = time.monotonic() + 20
    while fds and time.monotonic() < deadline:
        ready, _, _ = select.select(list(fds), [], [], 0.1)
        for fd in ready:
            try:
                data = os.read(fd, 65536)
            except OSError:  # EIO: the terminal's last writer is gone
                data = b''
            if not data:
                del fds[fd]
                continue
            fds[fd].write(data)
            fds[fd].flush()
            if not typed and fd == p.stderr.fileno() and b'\n' in data:
                os.write(in_m, text + b'\n\x04')
                typed = True
    try:
        return p.wait(timeout=max(0.1, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
        sys.stderr.write('ptyrun.py: timed out\n')
        return 124


if __name__ == '__main__':
    sys.exit(main())
