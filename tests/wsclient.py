"""A small client on Debian's python3-websockets, independent of chatcat,
for testing chatcat serve.

usage: wsclient.py URI COMMAND [ARGS]
  frames FILE      send each line of FILE as a text frame (a line starting
                   with "b:" as a binary frame of the rest) and print the
                   first answer to each, one a line
  status           try to upgrade and print the HTTP status and body
  refusal          try to upgrade with websockets itself: print what its
                   client raised (the legacy one) and the status, Content-
                   Type and detail its Sans-I/O client parsed
  big N            send one text frame of N bytes and print the close code
  many THREAD N    send N messages to THREAD, each after the previous
                   reply is complete, and print how many completed
  slowhistory THREAD
                   ask for THREAD's history and read it slowly while
                   pinging every 20 ms; print "OK N" (frames, history_end
                   included) or the error that ended it
"""
import asyncio
import http.client
import json
import socket
import sys
import urllib.parse

import websockets
from websockets.client import ClientConnection
from websockets.uri import parse_uri


async def frames(uri, path):
    async with websockets.connect(uri, max_size=2 ** 24) as ws:
        for line in open(path, encoding="utf-8").read().splitlines():
            if line.startswith("b:"):
                await ws.send(line[2:].encode())
            else:
                await ws.send(line)
            print(await asyncio.wait_for(ws.recv(), 10))


def status(uri):
    u = urllib.parse.urlsplit(uri)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
    conn.request("GET", u.path + ("?" + u.query if u.query else ""), headers={
        "Upgrade": "websocket", "Connection": "Upgrade",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
        "Sec-WebSocket-Version": "13"})
    r = conn.getresponse()
    print(r.status, r.getheader("Content-Type"), r.read().decode())


async def legacy_connect(uri):
    async with websockets.connect(uri, open_timeout=10):
        pass


def refusal(uri):
    try:
        asyncio.run(legacy_connect(uri))
        print("legacy: connected")
    except websockets.InvalidStatusCode as e:
        print("legacy: InvalidStatusCode", e.status_code)
    except Exception as e:
        print("legacy:", type(e).__name__, e)
    wsuri = parse_uri(uri)
    conn = ClientConnection(wsuri)
    conn.send_request(conn.connect())
    s = socket.create_connection((wsuri.host, wsuri.port), timeout=10)
    for d in conn.data_to_send():
        s.sendall(d)
    while True:
        data = s.recv(4096)
        if data:
            conn.receive_data(data)
        else:
            conn.receive_eof()
        for r in conn.events_received():
            print(r.status_code, r.headers.get("Content-Type"),
                  json.loads(r.body)["detail"])
            return
        if not data:
            print("no response")
            return


async def big(uri, n):
    async with websockets.connect(uri, max_size=2 ** 25) as ws:
        await ws.send("x" * n)
        try:
            await asyncio.wait_for(ws.recv(), 10)
        except websockets.ConnectionClosed:
            pass
        print(ws.close_code)


async def many(uri, thread, n):
    done = 0
    async with websockets.connect(uri) as ws:
        for i in range(n):
            await ws.send(json.dumps({"type": "message", "thread_id": thread,
                                      "agent_id": None,
                                      "content": "message %d" % i}))
            while True:
                d = json.loads(await asyncio.wait_for(ws.recv(), 10))
                if d.get("status") == "complete":
                    done += 1
                    break
    print(done)


async def slowhistory(uri, thread):
    # Small reads and a slow reader keep the server's queue half-written,
    # and pings make the server put pongs (and its own pings) in the
    # stream: they must come between frames, never inside one.
    async with websockets.connect(uri, max_size=2 ** 24, ping_interval=0.02,
                                  max_queue=1, read_limit=4096) as ws:
        await ws.send(json.dumps({"type": "history", "thread_id": thread}))
        n = 0
        while True:
            try:
                m = json.loads(await asyncio.wait_for(ws.recv(), 30))
            except Exception as e:
                raise RuntimeError("after %d frames: %s" % (n, e))
            n += 1
            await asyncio.sleep(0.002)
            if m["type"] == "history_end":
                print("OK", n)
                return


def main():
    uri, cmd = sys.argv[1], sys.argv[2]
    if cmd == "frames":
        asyncio.run(frames(uri, sys.argv[3]))
    elif cmd == "status":
        status(uri)
    elif cmd == "refusal":
        refusal(uri)
    elif cmd == "big":
        asyncio.run(big(uri, int(sys.argv[3])))
    elif cmd == "slowhistory":
        try:
            asyncio.run(slowhistory(uri, sys.argv[3]))
        except Exception as e:  # the test prints what ended it
            print("FAIL:", type(e).__name__, e)
    elif cmd == "many":
        asyncio.run(many(uri, sys.argv[3], int(sys.argv[4])))


main()
