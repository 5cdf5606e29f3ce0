#!/usr/bin/python3
"""Load generator for `chatcat serve` (bench/run, benchmark e).

    loadgen.py URL CLIENTS MESSAGES [TIMEOUT]

Opens CLIENTS WebSocket connections (python3-websockets, asyncio), each with
a thread of its own; once all are connected, every client sends MESSAGES
messages one after the other, each time waiting for the reply's
"status":"complete" frame before sending the next.  The latency of a
message is from just before its send to the arrival of its complete frame.
Prints one JSON object: replies, errors, wall time of the loaded phase,
replies/s, p50/p90/p99/max latency in ms, and this process's own CPU time
(to tell whether the generator or the server is the bottleneck).
"""
import asyncio
import json
import resource
import sys
import time
import uuid

import websockets


async def client(url, n, gate, start, lat, errors):
    thread = str(uuid.uuid4())
    try:
        ws = await websockets.connect(url, max_size=None, ping_interval=None,
                                      open_timeout=30, close_timeout=10)
    finally:
        gate.arrive()
    try:
        await start.wait()
        for i in range(n):
            req = json.dumps({"type": "message", "thread_id": thread,
                              "content": "load test message %d of %d" % (i, n)})
            t0 = time.perf_counter()
            await ws.send(req)
            while True:
                obj = json.loads(await ws.recv())
                if obj.get("type") == "error":
                    errors.append(obj.get("message"))
                    break
                if obj.get("status") == "complete":
                    break
            lat.append(time.perf_counter() - t0)
    finally:
        await ws.close()


class Gate:
    """Set once every client has connected (or failed to)."""
    def __init__(self, n):
        self.left, self.event = n, asyncio.Event()

    def arrive(self):
        self.left -= 1
        if self.left == 0:
            self.event.set()


async def run(url, clients, messages):
    start = asyncio.Event()
    gate = Gate(clients)
    lat, errors = [], []
    tasks = [asyncio.create_task(client(url, messages, gate, start, lat,
                                        errors))
             for _ in range(clients)]
    await gate.event.wait()   # the clock starts once all are connected
    r0 = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    start.set()
    results = await asyncio.gather(*tasks, return_exceptions=True)
    wall = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_SELF)
    failed = [repr(r) for r in results if isinstance(r, BaseException)]
    lat.sort()

    def pct(p):
        if not lat:
            return None
        return round(lat[min(len(lat) - 1, int(p * len(lat)))] * 1000, 3)

    return {
        "clients": clients, "messages_each": messages,
        "replies": len(lat), "errors": len(errors) + len(failed),
        "failures": failed[:3] + errors[:3],
        "wall_s": round(wall, 3),
        "replies_per_s": round(len(lat) / wall, 1) if wall > 0 else None,
        "p50_ms": pct(0.50), "p90_ms": pct(0.90), "p99_ms": pct(0.99),
        "max_ms": round(lat[-1] * 1000, 3) if lat else None,
        "gen_cpu_s": round((r1.ru_utime - r0.ru_utime) +
                           (r1.ru_stime - r0.ru_stime), 3),
    }


def main(argv):
    if len(argv) < 4:
        sys.stderr.write(__doc__)
        return 2
    url, clients, messages = argv[1], int(argv[2]), int(argv[3])
    timeout = float(argv[4]) if len(argv) > 4 else 300
    try:
        out = asyncio.run(asyncio.wait_for(run(url, clients, messages),
                                           timeout=timeout))
    except asyncio.TimeoutError:
        print(json.dumps({"error": "timeout after %g s" % timeout}))
        return 124
    print(json.dumps(out))
    return 0 if out["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
