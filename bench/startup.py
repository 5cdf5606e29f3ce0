#!/usr/bin/python3
"""Interleaved wall-time medians of whole processes (bench/startup).

    startup.py RUNS SPEC...      SPEC is NAME[/EVERY]=COMMAND (split by the shell
                                 rules of shlex; leading VAR=VALUE words set
                                 its environment); EVERY runs the command in
                                 one round out of EVERY (for slow ones)

Each round runs every command once, in turn, so that the machine's drift in
load is spread over all of them; the first 3 rounds are warm-ups. Every
process is started with posix_spawn (no shell), stdin from /dev/null, stdout
to /dev/null, stderr to a file; its wall time is taken from just before the
spawn to just after waitpid. A command that exits non-zero stops the run
(its stderr is shown), so a failing command is never timed.

Prints one JSON object: {NAME: {"n": N, "median_ms": ..., "p10_ms": ...,
"p90_ms": ..., "min_ms": ...}}.
"""
import json
import os
import shlex
import sys
import tempfile
import time

WARMUP = 3


def spawn(argv, env, errpath):
    devnull = os.open(os.devnull, os.O_RDWR)
    err = os.open(errpath, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        t0 = time.perf_counter_ns()
        pid = os.posix_spawn(argv[0], argv, env, file_actions=[
            (os.POSIX_SPAWN_DUP2, devnull, 0),
            (os.POSIX_SPAWN_DUP2, devnull, 1),
            (os.POSIX_SPAWN_DUP2, err, 2)])
        _, status = os.waitpid(pid, 0)
        t1 = time.perf_counter_ns()
    finally:
        os.close(devnull)
        os.close(err)
    return t1 - t0, os.waitstatus_to_exitcode(status)


def quantile(xs, q):
    xs = sorted(xs)
    i = q * (len(xs) - 1)
    lo = int(i)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (i - lo)


def main(argv):
    if len(argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    runs = int(argv[1])
    specs = []
    for spec in argv[2:]:
        name, _, cmd = spec.partition("=")
        name, _, every = name.partition("/")
        words = shlex.split(cmd)
        env = dict(os.environ)
        while words and "=" in words[0] and words[0].split("=")[0].isupper():
            var, _, value = words.pop(0).partition("=")
            env[var] = value
        specs.append((name, int(every or 1), (words, env)))
    times = {name: [] for name, _, _ in specs}
    with tempfile.TemporaryDirectory() as tmp:
        errpath = os.path.join(tmp, "stderr")
        for r in range(runs + WARMUP):
            for name, every, cmd in specs:
                if r < WARMUP and every > 1 and r > 0:
                    continue  # a slow one warms up once
                if r >= WARMUP and (r - WARMUP) % every:
                    continue
                ns, code = spawn(cmd[0], cmd[1], errpath)
                if code != 0:
                    with open(errpath) as f:
                        sys.stderr.write("startup.py: %s exited %d: %s\n"
                                         % (name, code, f.read().strip()))
                    return 1
                if r >= WARMUP:
                    times[name].append(ns / 1e6)
    out = {}
    for name, xs in times.items():
        out[name] = {"n": len(xs), "median_ms": quantile(xs, 0.5),
                     "p10_ms": quantile(xs, 0.1), "p90_ms": quantile(xs, 0.9),
                     "min_ms": min(xs)}
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
