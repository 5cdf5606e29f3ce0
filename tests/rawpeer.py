"""A raw TCP peer that breaks the WebSocket protocol on purpose.

Written for chatcat's tests, independent of chatcat's code: it speaks just
enough HTTP and RFC 6455 to misbehave in one chosen way.  Prints
"listening on 127.0.0.1:PORT" when ready.

Modes: silent (accept, never answer), garbage (not HTTP), bad-accept (a 101
with a wrong Sec-WebSocket-Accept), masked (a masked server frame),
badutf8 (a text frame that is not UTF-8), hang-body (a 401 whose body never
ends), bytewise (a valid reply sent one byte per TCP write), nul-head (a NUL
byte in the answer's head), extension (a 101 choosing an extension nobody
offered), top-bit (a 64-bit length with its top bit set), bad-opcode (an
unknown opcode, then more frames), forge (a close reason with a newline and
a terminal escape), deep (a frame nested 300 deep, then a complete one),
truncated (half a frame, then the connection closes), huge SIZE (a text
frame of SIZE bytes), nested DEPTH (an array nested DEPTH deep), pingflood N (N pings, and
never a read).
"""
import base64
import hashlib
import socket
import sys
import threading

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


# The end of a reply for the tests' thread T1 (a frame that names no thread
# answers no request).
T1 = b"11111111-1111-4111-8111-111111111111"
DONE = b'{"status":"complete","thread_id":"' + T1 + b'"}'

def read_request(conn):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(4096)
        if not chunk:
            return None
        data += chunk
    for line in data.split(b"\r\n"):
        if line.lower().startswith(b"sec-websocket-key:"):
            return line.split(b":", 1)[1].strip()
    return b""


def upgrade(conn, key, accept=None):
    if accept is None:
        accept = base64.b64encode(hashlib.sha1(key + GUID).digest())
    conn.sendall(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                 b"Connection: Upgrade\r\nSec-WebSocket-Accept: " + accept +
                 b"\r\n\r\n")


def frame(payload, opcode=1, mask=False):
    head = bytes([0x80 | opcode])
    n = len(payload)
    m = 0x80 if mask else 0
    if n < 126:
        head += bytes([m | n])
    elif n < 65536:
        head += bytes([m | 126]) + n.to_bytes(2, "big")
    else:
        head += bytes([m | 127]) + n.to_bytes(8, "big")
    if mask:
        key = b"\x01\x02\x03\x04"
        payload = bytes(b ^ key[i % 4] for i, b in enumerate(payload))
        head += key
    return head + payload


def serve(conn, mode):
    with conn:
        key = read_request(conn)
        if key is None:
            return
        if mode == "silent":
            conn.recv(1)  # until the client goes away
        elif mode == "garbage":
            conn.sendall(b"SSH-2.0-OpenSSH_9.2\r\n\r\n")
        elif mode == "bad-accept":
            upgrade(conn, key, accept=b"d3Jvbmc=")
        elif mode == "masked":
            upgrade(conn, key)
            conn.sendall(frame(b'{"type":"x"}', mask=True))
        elif mode == "badutf8":
            upgrade(conn, key)
            conn.sendall(frame(b'{"type":"\xff"}'))
        elif mode == "hang-body":
            conn.sendall(b"HTTP/1.1 401 Unauthorized\r\nContent-Type: "
                         b"application/json\r\nContent-Length: 100\r\n\r\n"
                         b'{"detail":')
        elif mode == "nul-head":
            conn.sendall(b"HTTP/1.1 101 OK\r\nX: a\0b\r\n\r\n")
        elif mode == "extension":
            accept = base64.b64encode(hashlib.sha1(key + GUID).digest())
            conn.sendall(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: "
                         b"websocket\r\nConnection: Upgrade\r\n"
                         b"Sec-WebSocket-Extensions: permessage-deflate\r\n"
                         b"Sec-WebSocket-Accept: " + accept + b"\r\n\r\n")
        elif mode == "top-bit":
            upgrade(conn, key)
            conn.sendall(b"\x81\x7f\x80" + b"\0" * 7 + b"x")
        elif mode == "bad-opcode":
            upgrade(conn, key)
            conn.sendall(b"\x83\x00" + frame(b"x" * 20000))
        elif mode == "forge":
            upgrade(conn, key)
            conn.sendall(frame(b"\x03\xf3line1\nchatcat: fake\x1b[31m",
                               opcode=8))
        elif mode == "deep":
            upgrade(conn, key)
            conn.sendall(frame(b"[" * 300 + b"]" * 300) +
                         frame(DONE))
        elif mode == "truncated":
            upgrade(conn, key)
            conn.sendall(frame(b'{"type":"message","content":"cut short"}')[:20])
            return  # the connection closes in the middle of the frame
        elif mode == "huge":
            # A text frame of exactly SIZE bytes: a JSON string.
            size = int(sys.argv[2])
            upgrade(conn, key)
            head = bytes([0x81, 127]) + size.to_bytes(8, "big")
            conn.sendall(head + b'"' + b"x" * (size - 2) + b'"')
            conn.sendall(frame(DONE))
        elif mode == "nested":
            depth = int(sys.argv[2])
            upgrade(conn, key)
            conn.sendall(frame(b"[" * depth + b"]" * depth) +
                         frame(DONE))
        elif mode == "escaped-key":
            upgrade(conn, key)
            conn.sendall(frame(b'{"t\\u0079pe":"error","message":"escaped"}'))
        elif mode == "noread":
            upgrade(conn, key)
            threading.Event().wait()  # never read again
        elif mode == "pingflood":
            upgrade(conn, key)
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            ping = frame(b"are you there? " * 8, opcode=9)
            batch = ping * 1000
            try:
                for i in range(int(sys.argv[2]) // 1000):
                    conn.sendall(batch)
            except OSError:
                return
            threading.Event().wait()  # never read
        elif mode == "bytewise":
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            accept = base64.b64encode(hashlib.sha1(key + GUID).digest())
            data = (b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket"
                    b"\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " +
                    accept + b"\r\n\r\n" +
                    frame(b'{"type":"message","status":"complete","thread_id":"' + T1 + b'"}'))
            for i in range(len(data)):
                conn.sendall(data[i:i + 1])
        if mode != "silent":
            conn.recv(4096)  # let the client close first


def main():
    mode = sys.argv[1]
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(16)
    print("listening on 127.0.0.1:%d" % srv.getsockname()[1], flush=True)
    while True:
        conn, _ = srv.accept()
        threading.Thread(target=serve, args=(conn, mode), daemon=True).start()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
