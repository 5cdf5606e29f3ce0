#!/usr/bin/python3
"""proxy.py - a small HTTP CONNECT proxy for chatcat's test suite.

Listens on 127.0.0.1 (port 0 picks one), prints "listening on
127.0.0.1:PORT", and runs until SIGTERM/SIGINT.  Each CONNECT request is
logged to --log as one JSON line {"target", "auth", "headers"}, where auth
is "none", "good" or "bad" (compared with --auth USER:PASS).  Then, unless
told to misbehave, it connects to the target (or to --map-to instead of the
target's host) and relays bytes both ways.  Standard library only.
"""
import argparse
import asyncio
import base64
import json
import signal
import sys

opts = None


def parse_args(argv):
    p = argparse.ArgumentParser(description="CONNECT proxy for chatcat's tests")
    a = p.add_argument
    a("--port", type=int, default=0)
    a("--log", required=True, metavar="FILE", help="append one JSON line per request")
    a("--auth", metavar="USER:PASS", help="require these Basic credentials (407 otherwise)")
    a("--refuse", type=int, metavar="STATUS", help="answer every CONNECT with STATUS")
    a("--reason", default=None, metavar="TEXT", help="reason phrase of --refuse")
    a("--answer", metavar="TEXT", help="send TEXT (Python escapes) instead of an answer, then wait")
    a("--silent", action="store_true", help="never answer")
    a("--dribble", action="store_true", help="send the 200 answer one byte at a time")
    a("--interim", action="store_true", help="send a 100 Continue head before the 200")
    a("--map-to", metavar="HOST", help="connect to HOST instead of the requested host")
    return p.parse_args(argv)


async def relay(src, dst):
    try:
        while True:
            data = await src.read(65536)
            if not data:
                break
            dst.write(data)
            await dst.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        try:
            dst.close()
        except Exception:
            pass


def log(entry):
    with open(opts.log, "a", encoding="utf-8") as f:
        f.write(json.dumps(entry) + "\n")


async def read_head(reader):
    head = b""
    while b"\r\n\r\n" not in head:
        data = await reader.read(4096)
        if not data or len(head) > 65536:
            return None
        head += data
    return head.split(b"\r\n\r\n", 1)[0].decode("latin-1")


def check_auth(headers):
    value = headers.get("proxy-authorization")
    if value is None:
        return "none"
    scheme, _, cred = value.partition(" ")
    try:
        given = base64.b64decode(cred, validate=True).decode("utf-8")
    except ValueError:
        return "bad"
    return "good" if scheme.lower() == "basic" and given == opts.auth else "bad"


async def handle(reader, writer):
    try:
        head = await read_head(reader)
        if head is None:
            return
        lines = head.split("\r\n")
        method, target, _ = (lines[0].split(" ") + ["", "", ""])[:3]
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        auth = check_auth(headers)
        log({"method": method, "target": target, "auth": auth,
             "headers": sorted(headers)})
        if opts.silent:
            await reader.read()
            return
        if opts.answer is not None:
            writer.write(opts.answer.encode("latin-1").decode("unicode_escape")
                         .encode("latin-1"))
            await writer.drain()
            await reader.read()
            return
        if opts.auth and auth != "good":
            writer.write(b"HTTP/1.1 407 Proxy Authentication Required\r\n"
                         b"Proxy-Authenticate: Basic realm=\"test\"\r\n"
                         b"Content-Length: 0\r\n\r\n")
            await writer.drain()
            return
        if opts.refuse:
            reason = opts.reason if opts.reason is not None else "Refused"
            writer.write(("HTTP/1.1 %d %s\r\nContent-Length: 5\r\n\r\nnope\n"
                          % (opts.refuse, reason)).encode("latin-1"))
            await writer.drain()
            return
        host, _, port = target.rpartition(":")
        host = host.strip("[]")
        try:
            up_reader, up_writer = await asyncio.open_connection(
                opts.map_to or host, int(port))
        except (OSError, ValueError):
            writer.write(b"HTTP/1.1 502 Bad Gateway\r\n\r\n")
            await writer.drain()
            return
        answer = b"HTTP/1.1 200 Connection established\r\n\r\n"
        if opts.interim:
            answer = b"HTTP/1.1 100 Continue\r\n\r\n" + answer
        if opts.dribble:
            for i in range(len(answer)):
                writer.write(answer[i:i + 1])
                await writer.drain()
                await asyncio.sleep(0.002)
        else:
            writer.write(answer)
            await writer.drain()
        await asyncio.gather(relay(reader, up_writer), relay(up_reader, writer))
    except ConnectionError:
        pass
    finally:
        try:
            writer.close()
        except Exception:
            pass


async def main():
    loop = asyncio.get_running_loop()
    stop = loop.create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, lambda: stop.done() or stop.set_result(None))
    server = await asyncio.start_server(handle, "127.0.0.1", opts.port)
    port = server.sockets[0].getsockname()[1]
    print("listening on 127.0.0.1:%d" % port, flush=True)
    await stop
    server.close()


if __name__ == "__main__":
    opts = parse_args(sys.argv[1:])
    open(opts.log, "a").close()
    asyncio.run(main())
    sys.exit(0)
