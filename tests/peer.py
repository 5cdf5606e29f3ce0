#!/usr/bin/python3
"""peer.py - scriptable Chat API WebSocket server for chatcat's test suite.

Speaks the documented protocol (--mode doc, default) or imitates the deployed
server (--mode deployed), with flags for misbehaviour.  Needs only the standard
library and python3-websockets 10.4 (legacy asyncio API).  Listens on 127.0.0.1,
prints "listening on 127.0.0.1:PORT", runs until SIGTERM/SIGINT.  Run with -h
for the flag list.
"""
import argparse
import asyncio
import datetime
import http
import json
import signal
import ssl
import sys
import urllib.parse

import websockets
from websockets.frames import OP_BINARY, OP_CONT, OP_TEXT

HELLO = {"type": "message", "thread_id": "00000000-0000-4000-8000-000000000000",
         "role": "assistant", "content": "hello", "id": "msg_0"}
BIGINT = 12345678901234567890  # > 2**53; json.dumps writes the exact digits

opts = None        # parsed command line
threads = {}       # thread_id -> list of stored message dicts
counters = {"msg": 0, "job": 0, "upgrade": 0, "conn": 0}


def parse_args(argv):
    p = argparse.ArgumentParser(description="Chat API test peer for chatcat")
    a = p.add_argument
    a("--port", type=int, default=0, help="port (0 = pick a free one)")
    a("--mode", choices=["doc", "deployed"], default="doc")
    a("--token", action="append", default=[], help="valid bearer token (repeatable)")
    a("--key", action="append", default=[], help="valid API key (repeatable)")
    a("--refuse", type=int, metavar="STATUS", help="refuse every upgrade with STATUS")
    a("--detail", default="refused", help="detail text for --refuse")
    a("--refuse-body", metavar="TEXT", help="raw text/plain body for --refuse")
    a("--record", metavar="FILE",
      help="append each received frame, and the close code, as a JSON line")
    a("--send-timeout", metavar="SECS", type=float,
      help="drop a client that does not read a frame within SECS")
    a("--tls-cert", metavar="PEM", help="serve wss:// with this certificate")
    a("--tls-key", metavar="PEM", help="the certificate's private key")
    a("--tls-client-ca", metavar="PEM", help="require client certificates from this CA")
    a("--record-request", metavar="FILE", help="append each upgrade request as a JSON line")
    a("--seed", metavar="FILE", help="NDJSON {thread_id,role,content} to preload")
    a("--time", metavar="ISO", help="fixed created_at value (default: current UTC time)")
    a("--no-history-end", action="store_true", help="doc mode: omit history_end")
    a("--reply", metavar="TEXT", help="reply text (default: echo the content)")
    a("--parts", type=int, default=3, help="reply parts (default 3)")
    a("--final-status", choices=["complete", "end", "none"],
      help="status of the last part (doc default complete, deployed default none)")
    a("--completion-frame", action="store_true", help="doc mode: send a completion frame")
    a("--fragment", action="store_true", help="send every frame in 3 fragments")
    a("--pretty", action="store_true", help="send indented multi-line JSON")
    a("--bigint", action="store_true", help='add "n": %d to every frame' % BIGINT)
    a("--delay-first", type=float, default=0, metavar="SECS", help="wait before the reply")
    a("--gap", type=float, default=0, metavar="SECS", help="wait between reply parts")
    a("--tool-pause", type=float, default=0, metavar="SECS",
      help="after the first part, a tool call that takes SECS (deployed: a tool frame)")
    a("--history-delay", type=float, default=0, metavar="SECS",
      help="wait before the first history frame (database round trips)")
    a("--greeting", metavar="JSON", help="send this frame when a connection opens")
    a("--unknown-text", default="Unknown message type: %s", metavar="FMT",
      help="error text for an unknown type (%%s: the type)")
    a("--late-error", metavar="TEXT",
      help="after each reply, an error frame naming the reply's thread")
    a("--store-late", action="store_true",
      help="store the reply only once it has been sent (a dropped one is lost)")
    a("--concurrent", action="store_true",
      help="answer each client frame in a task of its own (side by side)")
    a("--ignore-agent", metavar="UUID", action="append", default=[],
      help="send nothing at all for a message to this agent (an unknown agent)")
    a("--silent", action="store_true", help="read frames, never answer")
    a("--drop-after", type=int, metavar="N", help="abort TCP after N frames of an answer")
    a("--close", type=int, metavar="CODE", help="close with CODE after the first frame")
    a("--close-reason", default="", metavar="R")
    a("--send-nonjson", action="store_true", help="send 'not json {' before the reply")
    a("--send-binary", action="store_true", help="send a binary frame before the reply")
    a("--app-ping", action="store_true", help='send {"type":"ping"} before the reply')
    a("--error", metavar="TEXT", help="answer message/history with an error frame")
    a("--hello", action="store_true", help="send a frame for another thread on open")
    a("--lifetime", type=float, metavar="SECS", help="close with 1000 SECS after the upgrade")
    a("--no-pong", action="store_true", help="never answer protocol pings")
    a("--faults", type=int, metavar="N",
      help="--refuse applies to the first N upgrades; --drop-after, --close,"
           " --lifetime and --no-pong to the first N connections (default: all)")
    o = p.parse_args(argv)
    if o.refuse is None and o.refuse_body is not None:
        p.error("--refuse-body needs --refuse")
    if o.final_status is None:
        o.final_status = "complete" if o.mode == "doc" else "none"
    return o


def faulty(n):
    """Whether the fault flags apply to the n-th upgrade or connection."""
    return opts.faults is None or n <= opts.faults


def now():
    if opts.time:
        return opts.time
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def next_id(kind):
    counters[kind] += 1
    return "%s_%d" % (kind, counters[kind])


def store(thread_id, role, content):
    msg = {"id": next_id("msg"), "thread_id": thread_id, "role": role,
           "content": content, "created_at": now()}
    threads.setdefault(thread_id, []).append(msg)
    return msg


FILES = {}


def append_line(path, obj):
    """Append one JSON line to path, flushed at once (files stay open)."""
    f = FILES.get(path)
    if f is None:
        f = FILES[path] = open(path, "a", encoding="utf-8")
    f.write(json.dumps(obj, ensure_ascii=False) + "\n")
    f.flush()


# ---------------------------------------------------------------- HTTP stage

class Status(int):
    """Stands in for http.HTTPStatus for codes the enum does not know."""
    value = property(int)
    phrase = "Status"


def http_status(code):
    try:
        return http.HTTPStatus(code)
    except ValueError:
        return Status(code)


def json_response(code, detail):
    body = json.dumps({"detail": detail}, separators=(",", ":")).encode()
    return http_status(code), [("Content-Type", "application/json")], body


async def process_request(path, headers):
    """Refuse before the upgrade: --refuse, wrong path, bad credentials."""
    if opts.record_request:
        hdrs = {}
        for name, value in headers.raw_items():
            name = name.lower()
            hdrs[name] = hdrs[name] + ", " + value if name in hdrs else value
        append_line(opts.record_request, {"path": path, "headers": hdrs})
    counters["upgrade"] += 1
    if opts.refuse is not None and faulty(counters["upgrade"]):
        if opts.refuse_body is not None:
            return (http_status(opts.refuse), [("Content-Type", "text/plain")],
                    opts.refuse_body.encode())
        return json_response(opts.refuse, opts.detail)
    url = urllib.parse.urlsplit(path)
    if url.path != "/chat/ws":
        return json_response(404, "Not Found")
    if not opts.token and not opts.key:
        return None                       # no credentials configured: accept all
    query = urllib.parse.parse_qs(url.query, keep_blank_values=True)
    if "key" in query:                    # the deployed server checked key first
        if query["key"][0] not in opts.key:
            return json_response(401, "Invalid API key")
    elif "token" in query:
        if query["token"][0] not in opts.token:
            return json_response(401, "Invalid or expired token")
    else:
        return json_response(401, "Missing token parameter")
    return None


# ------------------------------------------------------------ WebSocket stage

class Dropped(Exception):
    """The connection was aborted on purpose (--drop-after)."""


class Peer:
    """One connection: a reader task records and queues client frames, the
    processor answers them strictly one at a time."""

    def __init__(self, ws):
        self.ws = ws
        self.queue = asyncio.Queue()
        self.sent = None      # frames sent in the current answer (None: not counted)
        counters["conn"] += 1
        self.faulty = faulty(counters["conn"])
        if opts.no_pong and self.faulty:
            async def no_pong(data=b""):
                pass
            ws.pong = no_pong

    async def send(self, obj):
        """Send a dict as JSON (or a raw str/bytes), honouring the wire flags."""
        if isinstance(obj, dict):
            if opts.bigint:
                obj = dict(obj, n=BIGINT)
            if opts.pretty:
                obj = json.dumps(obj, indent=2, ensure_ascii=False)
            else:
                obj = json.dumps(obj, separators=(",", ":"), ensure_ascii=False)
        if opts.fragment:
            # Split the payload in three (text possibly inside a UTF-8 sequence,
            # which RFC 6455 allows) and write exactly three frames.
            opcode = OP_TEXT if isinstance(obj, str) else OP_BINARY
            data = obj.encode() if isinstance(obj, str) else obj
            cut1, cut2 = len(data) // 3, 2 * len(data) // 3
            await self.ws.ensure_open()    # raises ConnectionClosed if closing
            await self.ws.write_frame(False, opcode, data[:cut1])
            await self.ws.write_frame(False, OP_CONT, data[cut1:cut2])
            await self.ws.write_frame(True, OP_CONT, data[cut2:])
        elif opts.send_timeout:
            # Like the deployed server: a client that does not read within
            # the timeout is disconnected (and the record says so).
            try:
                await asyncio.wait_for(self.ws.send(obj), opts.send_timeout)
            except asyncio.TimeoutError:
                if opts.record:
                    append_line(opts.record, {"send_timeout": True})
                self.ws.transport.abort()
                raise Dropped()
        else:
            await self.ws.send(obj)
        if self.sent is not None:
            self.sent += 1
            await self.check_drop()

    async def check_drop(self):
        if (opts.drop_after is None or self.sent < opts.drop_after
                or not self.faulty):
            return
        transport = self.ws.transport
        while transport.get_write_buffer_size() > 0:   # let the frames leave first
            await asyncio.sleep(0.005)
        transport.abort()                              # no close frame
        raise Dropped()

    async def error(self, message):
        frame = {"type": "error", "message": message}
        if opts.mode == "deployed":
            frame.update(status="error", created_at=now())
        await self.send(frame)

    async def extras(self):
        """Injected frames that precede a reply."""
        if opts.send_nonjson:
            await self.send("not json {")
        if opts.send_binary:
            await self.send(b"\x00\x01binary")
        if opts.app_ping:
            await self.send({"type": "ping"})

    async def reader(self):
        try:
            async for msg in self.ws:
                if opts.record:
                    if isinstance(msg, bytes):
                        append_line(opts.record, {"binary": msg.hex()})
                    else:
                        append_line(opts.record, {"frame": msg})
                await self.queue.put(msg)
        except websockets.ConnectionClosed:
            pass
        finally:
            if opts.record:                     # how the client left
                append_line(opts.record, {"close": self.ws.close_code,
                                          "reason": self.ws.close_reason})
            await self.queue.put(None)          # end of input

    async def processor(self):
        try:
            if opts.hello:
                await self.send(HELLO)
            if opts.greeting:
                await self.send(opts.greeting)
            tasks = []
            while (msg := await self.queue.get()) is not None:
                if opts.close is not None and self.faulty:
                    await self.ws.close(opts.close, opts.close_reason)
                    return
                if opts.silent:
                    continue
                if opts.concurrent:
                    tasks.append(asyncio.create_task(self.answer(msg)))
                else:
                    await self.answer(msg)
            await asyncio.gather(*tasks, return_exceptions=True)
        except (websockets.ConnectionClosed, websockets.InvalidState, Dropped):
            pass

    async def answer(self, msg):
        if isinstance(msg, bytes):
            return await self.error("Binary frames are not supported")
        try:
            req = json.loads(msg)
        except ValueError:
            req = None
        if not isinstance(req, dict):
            return await self.error("Invalid JSON")
        kind = req.get("type")
        if kind not in ("history", "message"):
            text = opts.unknown_text
            return await self.error(text % kind if "%s" in text else text)
        thread_id = req.get("thread_id")
        if not thread_id:
            return await self.error("Thread ID is required")
        if opts.error is not None:
            return await self.error(opts.error)
        self.sent = 0
        try:
            await self.check_drop()                    # --drop-after 0
            if kind == "history":
                await self.history(thread_id)
            else:
                await self.message(req, thread_id)
        finally:
            self.sent = None

    @staticmethod
    def deployed(kind, status, content, thread_id, agent, created_at=None):
        """A frame shaped like the deployed server's (no id, no job_id)."""
        frame = {"type": kind, "status": status, "content": content,
                 "role": "user" if kind == "user" else "assistant",
                 "thread_id": thread_id, "agent_id": agent,
                 "created_at": created_at or now()}
        if status is None:
            del frame["status"]
        return frame

    async def history(self, thread_id):
        await self.extras()
        if opts.history_delay:
            await asyncio.sleep(opts.history_delay)
        stored = threads.get(thread_id, [])
        for m in stored:
            if opts.mode == "doc":
                await self.send(dict(type="message", **m))
            else:     # deployed replay: user turns and one final token per
                      # reply, both marked complete like the deployed server's
                user = m["role"] == "user"
                await self.send(self.deployed("user" if user else "token",
                                              "complete", m["content"],
                                              thread_id, None, m["created_at"]))
        if opts.mode == "doc" and not opts.no_history_end:
            await self.send({"type": "history_end", "thread_id": thread_id,
                             "count": len(stored)})

    async def message(self, req, thread_id):
        if req.get("agent_id") in opts.ignore_agent:
            return        # the job never starts: no frame at all
        content = req.get("content")
        if not isinstance(content, str):
            content = "" if content is None else json.dumps(content)
        user = store(thread_id, "user", content)
        text = content if opts.reply is None else opts.reply
        # Stored before streaming: like the deployed server, the job finishes
        # even if the client goes away, so history can recover the reply.
        if opts.store_late:
            reply = {"id": next_id("msg"), "thread_id": thread_id,
                     "role": "assistant", "content": text, "created_at": now()}
        else:
            reply = store(thread_id, "assistant", text)
        n = max(1, min(opts.parts, len(text)))
        parts = [text[i * len(text) // n:(i + 1) * len(text) // n] for i in range(n)]
        final = None if opts.final_status == "none" else opts.final_status
        agent, job = req.get("agent_id"), next_id("job")

        if opts.mode == "doc":
            await self.send({"type": "message_received", "id": user["id"],
                             "thread_id": thread_id, "job_id": job})
        await self.extras()
        if opts.delay_first:
            await asyncio.sleep(opts.delay_first)
        if opts.mode == "deployed":
            await self.send(self.deployed("step", "planning", "", thread_id, agent))
        for i, part in enumerate(parts):
            if i and opts.gap:
                await asyncio.sleep(opts.gap)
            if i == 1 and opts.tool_pause:
                if opts.mode == "deployed":
                    await self.send({"type": "tool", "tool": "search",
                                     "tool_input": content, "tool_output": None,
                                     "status": "processing", "thread_id": thread_id,
                                     "created_at": now()})
                await asyncio.sleep(opts.tool_pause)
            last = i == len(parts) - 1
            if opts.mode == "doc":
                await self.send({"type": "message", "id": reply["id"],
                                 "thread_id": thread_id, "role": "assistant",
                                 "content": part, "job_id": job,
                                 "created_at": reply["created_at"],
                                 "status": final if last and final else "processing"})
            else:
                await self.send(self.deployed("token", "processing", part,
                                              thread_id, agent))
        if opts.mode == "doc" and opts.completion_frame:
            await self.send({"type": "completion", "thread_id": thread_id,
                             "job_id": job})
        if opts.mode == "deployed" and final:   # the only end signal it ever sent
            await self.send(self.deployed("token", final, "", thread_id, agent))
        if opts.store_late:
            threads.setdefault(thread_id, []).append(reply)
        if opts.late_error:
            await self.send({"type": "error", "thread_id": thread_id,
                             "message": opts.late_error})


async def handler(ws, path):
    peer = Peer(ws)
    reader = asyncio.create_task(peer.reader())
    ender = None
    if opts.lifetime is not None and peer.faulty:
        async def end_of_life():
            await asyncio.sleep(opts.lifetime)
            await ws.close(1000, "lifetime")
        ender = asyncio.create_task(end_of_life())
    try:
        await peer.processor()
        await reader
    finally:
        reader.cancel()
        if ender is not None:
            ender.cancel()


# ---------------------------------------------------------------------- main

def load_seed(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                m = json.loads(line)
                store(m["thread_id"], m["role"], m["content"])


async def main():
    loop = asyncio.get_running_loop()
    stop = loop.create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, lambda: stop.done() or stop.set_result(None))
    tls = None
    if opts.tls_cert:
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.load_cert_chain(opts.tls_cert, opts.tls_key)
        if opts.tls_client_ca:
            tls.verify_mode = ssl.CERT_REQUIRED
            tls.load_verify_locations(opts.tls_client_ca)
    server = await websockets.serve(handler, "127.0.0.1", opts.port,
                                    process_request=process_request,
                                    max_size=2 ** 24, ping_interval=None,
                                    ssl=tls)
    port = server.sockets[0].getsockname()[1]
    print("listening on 127.0.0.1:%d" % port, flush=True)
    await stop
    server.close()                 # closes open connections with 1001
    try:
        await asyncio.wait_for(server.wait_closed(), 0.5)
    except asyncio.TimeoutError:
        pass


if __name__ == "__main__":
    opts = parse_args(sys.argv[1:])
    if opts.seed:
        load_seed(opts.seed)
    asyncio.run(main())
    sys.exit(0)
