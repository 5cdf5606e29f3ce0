"""A raw TCP client that treats chatcat serve badly, on purpose.

usage: rawclient.py HOST PORT TOKEN MODE
  badutf8   upgrade, send a text frame that is not UTF-8, print the close
            code the server answers with
  churn N   open N connections and drop them at different stages (just
            connected, half a request, a full upgrade, a frame cut short),
            then print "done"
  noread T  upgrade, ask for the history of thread T, never read, hold
            the connection open until stdin closes
  ping      upgrade, answer nothing, and print "ping" for each ping frame
            and "closed" when the server hangs up
  flood T N upgrade, send N messages to thread T as fast as the server
            takes them (giving up after 2 s blocked), never read; print
            "sent COUNT", then hold the connection until stdin closes
  pinghist T
            upgrade, ask for the history of thread T and read it in small
            pieces, sending a ping before each; check every frame the
            server sends and print "OK FRAMES PONGS" at history_end, or
            "BAD ..." at the first byte that is not where a frame starts
  partial N SIZE
            open N connections, each sending the first fragment (SIZE
            bytes) of a text message it never finishes; print "closed
            CODES" (the close code each got within 2 s, "-" for none),
            then hold them until stdin closes
  leave T N connect, send a message to thread T and leave at once, N times;
            print "left N"
  hold N    open N TCP connections that send nothing; print "held", hold
            them until stdin closes
  echo T SIZE
            send a message of SIZE bytes ("a " repeated) to thread T, read
            every frame, print "parts P complete BYTES" at the last part
"""
import json
import time
import base64
import os
import socket
import sys


def request(token):
    key = base64.b64encode(os.urandom(16))
    return (b"GET /chat/ws?token=" + token.encode() + b" HTTP/1.1\r\n"
            b"Host: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            b"Sec-WebSocket-Key: " + key + b"\r\nSec-WebSocket-Version: 13"
            b"\r\n\r\n")


def frame(payload, opcode=1):
    mask = os.urandom(4)
    n = len(payload)
    if n < 126:
        head = bytes([0x80 | opcode, 0x80 | n])
    elif n < 65536:
        head = bytes([0x80 | opcode, 0x80 | 126]) + n.to_bytes(2, "big")
    else:
        head = bytes([0x80 | opcode, 0x80 | 127]) + n.to_bytes(8, "big")
    return head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


def read_frame(s, data):
    """One whole frame from s (data: what was read before): (opcode,
    payload, rest), or (None, b"", b"") at the end."""
    while True:
        if len(data) >= 2:
            n, at = data[1] & 0x7f, 2
            if n == 126 and len(data) >= 4:
                n, at = int.from_bytes(data[2:4], "big"), 4
            elif n == 127 and len(data) >= 10:
                n, at = int.from_bytes(data[2:10], "big"), 10
            if n < 126 or at > 2:
                if len(data) >= at + n:
                    return data[0] & 0x0f, data[at:at + n], data[at + n:]
        chunk = s.recv(1 << 20)
        if not chunk:
            return None, b"", b""
        data += chunk


def upgraded(host, port, token):
    s = socket.create_connection((host, port), timeout=10)
    s.sendall(request(token))
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(4096)
        if not chunk:
            raise SystemExit("no upgrade")
        data += chunk
    if not data.startswith(b"HTTP/1.1 101"):
        raise SystemExit("refused: " + data.split(b"\r\n")[0].decode())
    return s, data.split(b"\r\n\r\n", 1)[1]


def main():
    host, port, token, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    if mode == "badutf8":
        s, rest = upgraded(host, port, token)
        s.sendall(frame(b'{"type":"\xff"}'))
        data = rest
        while len(data) < 4:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
        # The first frame back is the close frame: opcode 8, code in 2 bytes.
        print(int.from_bytes(data[2:4], "big") if data[:1] == b"\x88" else
              "no close frame")
    elif mode == "churn":
        n = int(sys.argv[5])
        for i in range(n):
            s = socket.create_connection((host, port), timeout=10)
            stage = i % 4
            if stage == 1:
                s.sendall(request(token)[:30])
            elif stage >= 2:
                s.sendall(request(token))
                s.recv(4096)
                if stage == 3:
                    s.sendall(frame(b'{"type":"history","thread_id":'
                                    b'"11111111-1111-4111-8111-111111111111"}')[:9])
            s.close()
        print("done")
    elif mode == "ping":
        s, data = upgraded(host, port, token)
        s.settimeout(30)
        while True:
            while len(data) >= 2 and len(data) >= 2 + (data[1] & 0x7f):
                if data[0] & 0x0f == 9:
                    print("ping", flush=True)
                data = data[2 + (data[1] & 0x7f):]
            chunk = s.recv(4096)
            if not chunk:
                print("closed", flush=True)
                return
            data += chunk
    elif mode == "flood":
        s, data = upgraded(host, port, token)
        s.settimeout(2)
        sent = 0
        try:
            for i in range(int(sys.argv[6])):
                s.sendall(frame(('{"type":"message","thread_id":"%s",'
                                 '"content":"flood %d"}'
                                 % (sys.argv[5], i)).encode()))
                sent += 1
        except (socket.timeout, OSError):
            pass
        print("sent", sent, flush=True)
        sys.stdin.read()
    elif mode == "pinghist":
        s, data = upgraded(host, port, token)
        s.sendall(frame(('{"type":"history","thread_id":"%s"}'
                         % sys.argv[5]).encode()))
        frames = pongs = 0
        while True:
            # Parse every whole frame the buffer holds.
            while len(data) >= 2:
                op, n, at = data[0] & 0x0f, data[1] & 0x7f, 2
                if data[0] & 0x70 or data[1] & 0x80 or op not in (1, 9, 10):
                    print("BAD: frame %d: byte 0x%02x where a frame starts"
                          % (frames + 1, data[0]))
                    return
                if n == 126:
                    if len(data) < 4:
                        break
                    n, at = int.from_bytes(data[2:4], "big"), 4
                elif n == 127:
                    if len(data) < 10:
                        break
                    n, at = int.from_bytes(data[2:10], "big"), 10
                if len(data) < at + n:
                    break
                payload, data = data[at:at + n], data[at + n:]
                if op == 10:
                    pongs += 1
                    continue
                if op == 9:
                    continue
                try:
                    m = json.loads(payload)
                except ValueError:
                    print("BAD: frame %d is not JSON" % (frames + 1))
                    return
                frames += 1
                if m.get("type") == "history_end":
                    print("OK %d %s" % (frames, "pongs" if pongs else
                                        "no pongs"))
                    return
            s.sendall(frame(b"p", 9))
            chunk = s.recv(8192)
            if not chunk:
                print("BAD: closed after %d frames" % frames)
                return
            data += chunk
            time.sleep(0.0005)
    elif mode == "partial":
        n, size = int(sys.argv[5]), int(sys.argv[6])
        socks, codes = [], []
        for i in range(n):
            s, rest = upgraded(host, port, token)
            mask = os.urandom(4)
            head = bytes([0x01, 0x80 | 127]) + size.to_bytes(8, "big") + mask
            body = bytes(b ^ mask[j % 4] for j, b in
                         enumerate(b"x" * size)) if size < 65536 else None
            try:
                s.sendall(head)
                if body is None:  # quicker: the mask of "xxxx" repeated
                    block = bytes(b ^ mask[j % 4] for j, b in
                                  enumerate(b"x" * 65536))
                    for _ in range(size // 65536):
                        s.sendall(block)
                    s.sendall(block[:size % 65536])
                else:
                    s.sendall(body)
            except OSError:
                pass
            socks.append((s, rest))
        for s, rest in socks:
            s.settimeout(2)
            try:
                op, payload, _ = read_frame(s, rest)
                codes.append(str(int.from_bytes(payload[:2], "big"))
                             if op == 8 else "-")
            except (socket.timeout, OSError):
                codes.append("-")
        print("closed", " ".join(codes), flush=True)
        sys.stdin.read()
    elif mode == "leave":
        n = int(sys.argv[6])
        for i in range(n):
            s, _ = upgraded(host, port, token)
            s.sendall(frame(('{"type":"message","thread_id":"%s",'
                             '"content":"leave %d"}'
                             % (sys.argv[5], i)).encode()))
            s.close()
        print("left", n)
    elif mode == "hold":
        socks = [socket.create_connection((host, port), timeout=10)
                 for i in range(int(sys.argv[5]))]
        print("held", flush=True)
        sys.stdin.read()
    elif mode == "echo":
        s, data = upgraded(host, port, token)
        s.settimeout(60)
        size = int(sys.argv[6])
        s.sendall(frame(('{"type":"message","thread_id":"%s",'
                         '"content":"' % sys.argv[5]).encode() +
                        b"a " * (size // 2) + b'"}'))
        parts = got = 0
        while True:
            op, payload, data = read_frame(s, data)
            if op is None:
                print("closed after", parts, "parts")
                return
            if op != 1:
                continue
            m = json.loads(payload)
            if m.get("type") == "error":
                print("error", m["message"])
                return
            if m.get("role") == "assistant":
                parts += 1
                got += len(m["content"])
                if m.get("status") == "complete":
                    print("parts", parts, "complete", got)
                    return
    elif mode == "noread":
        s, _ = upgraded(host, port, token)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.sendall(frame(('{"type":"history","thread_id":"%s"}'
                         % sys.argv[5]).encode()))
        print("asked", flush=True)
        sys.stdin.read()  # hold the connection, reading nothing from it
        s.close()


main()
