#!/usr/bin/python3
"""The comparison client for bench/run: the same Chat API exchanges as
`chatcat send` and `chatcat history`, written the way a Python user would
write them on Debian's python3-websockets (asyncio API, json module).

    wsclient.py send URL THREAD TEXT    connect, send one message, print
                                        every frame until the reply's
                                        "status":"complete", close
    wsclient.py history URL THREAD      connect, ask for the history, print
                                        every frame until history_end (not
                                        printed, as chatcat does), close
    wsclient.py pipe URL                send every NDJSON line of stdin as it
                                        is, print every frame, stop when
                                        every message has its complete
                                        reply (as `chatcat pipe`)

Each frame is printed as received, one line each.  Exit 0 when complete,
1 on a server error frame, 14 if the connection ends first.
"""
import asyncio
import json
import sys

import websockets


async def exchange(url, request, done):
    out = sys.stdout
    status = 14
    async with websockets.connect(url, max_size=None, ping_interval=None,
                                  open_timeout=10) as ws:
        await ws.send(json.dumps(request))
        async for frame in ws:
            if isinstance(frame, bytes):
                continue
            obj = json.loads(frame)
            kind = obj.get("type")
            if kind == "history_end":
                status = 0
                break
            out.write(frame)
            out.write("\n")
            if kind == "error":
                status = 1
                break
            if done(obj):
                status = 0
                break
    out.flush()
    return status


async def pipe(url):
    """Send stdin's lines while printing frames; done when each message
    has had its complete reply."""
    out = sys.stdout
    lines = [line for line in sys.stdin.read().splitlines() if line.strip()]
    want = len(lines)
    got = 0
    async with websockets.connect(url, max_size=None, ping_interval=None,
                                  open_timeout=10) as ws:
        async def sender():
            for line in lines:
                await ws.send(line)
        task = asyncio.ensure_future(sender())
        try:
            async for frame in ws:
                if isinstance(frame, bytes):
                    continue
                out.write(frame)
                out.write("\n")
                obj = json.loads(frame)
                if obj.get("type") == "error":
                    return 1
                if obj.get("status") in ("complete", "end"):
                    got += 1
                    if got == want:
                        break
        finally:
            task.cancel()
    out.flush()
    return 0 if got == want else 14


def main(argv):
    if len(argv) == 3 and argv[1] == "pipe":
        try:
            return asyncio.run(asyncio.wait_for(pipe(argv[2]), timeout=600))
        except (OSError, websockets.exceptions.WebSocketException,
                asyncio.TimeoutError) as e:
            sys.stderr.write("wsclient: %s\n" % (e,))
            return 14
    if len(argv) < 4 or argv[1] not in ("send", "history"):
        sys.stderr.write(__doc__)
        return 2
    url, thread = argv[2], argv[3]
    if argv[1] == "send":
        request = {"type": "message", "thread_id": thread,
                   "content": " ".join(argv[4:])}
        def done(obj):
            return obj.get("status") in ("complete", "end")
    else:
        request = {"type": "history", "thread_id": thread}
        def done(obj):
            return False
    try:
        return asyncio.run(asyncio.wait_for(exchange(url, request, done),
                                            timeout=600))
    except BrokenPipeError:
        return 0
    except (OSError, websockets.exceptions.WebSocketException,
            asyncio.TimeoutError) as e:
        sys.stderr.write("wsclient: %s\n" % (e,))
        return 14


if __name__ == "__main__":
    sys.exit(main(sys.argv))
