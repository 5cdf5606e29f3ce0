#!/bin/bash
# HTTP CONNECT proxies: --proxy, the environment as curl reads it, the
# no_proxy exemptions, proxy authentication, refusals and broken proxies,
# and wss:// through a tunnel.  tests/proxy.py logs every CONNECT it gets,
# so each case shows whether the traffic went through it.
. "${srcdir:-.}/tests/lib.sh"
plan 42

PROXY_PY=$(dirname "$PEER")/proxy.py
HINT="Try 'chatcat --help' for more information."
DONE="~(.*\n)+.*\"status\":\"complete\"\}"

# proxy NAME ARGS...: start tests/proxy.py logging to $TMP/NAME.log; sets
# PX (its port).
proxy() {
	local name=$1
	shift
	start "$name" "$PYTHON" "$PROXY_PY" --log "$TMP/$name.log" "$@"
	PX=$PORT
}

# pxlog NAME: "METHOD TARGET AUTH" for each request the proxy logged.
pxlog() {
	"$PYTHON" -c 'import json, sys
for line in open(sys.argv[1]):
    d = json.loads(line)
    print(d["method"], d["target"], d["auth"])' "$TMP/$1.log"
}

# pxheaders NAME: the header names of the last request, sorted.
pxheaders() {
	"$PYTHON" -c 'import json, sys
print(" ".join(json.loads(open(sys.argv[1]).read().splitlines()[-1])["headers"]))' \
	    "$TMP/$1.log"
}

peer doc --token sekrit
S=$PORT
D="ws://127.0.0.1:$S/chat/ws?token=***"
DRE=$(printf '%s' "$D" | sed 's/[][\.*^$?+(){}|]/\\&/g')  # as a regex
C=(-u "ws://127.0.0.1:$S" --token sekrit send --thread $T1 hi)

proxy px
P=$PX
run --proxy "http://127.0.0.1:$P" "${C[@]}"
check "--proxy: the reply comes through the tunnel" 0 "$DONE" ""
assert "the proxy got CONNECT for the server, without credentials" \
    [ "$(pxlog px)" = "CONNECT 127.0.0.1:$S none" ]
assert "the CONNECT request has Host and User-Agent" \
    [ "$(pxheaders px)" = "host user-agent" ]

http_proxy=127.0.0.1:$P run "${C[@]}"
check "http_proxy (no scheme: http://) is used for ws://" 0 "$DONE" ""
assert "... and the proxy saw it" [ "$(pxlog px | wc -l)" -eq 2 ]

HTTP_PROXY=127.0.0.1:$P https_proxy=127.0.0.1:$P HTTPS_PROXY=127.0.0.1:$P \
    run "${C[@]}"
check "HTTP_PROXY and https_proxy are not used for ws://" 0 "$DONE" ""
assert "... the proxy saw nothing" [ "$(pxlog px | wc -l)" -eq 2 ]

ALL_PROXY=http://127.0.0.1:$P run "${C[@]}"
check "ALL_PROXY is the fallback" 0 "$DONE" ""
assert "... and the proxy saw it" [ "$(pxlog px | wc -l)" -eq 3 ]

http_proxy=127.0.0.1:$P no_proxy=example.com,127.0.0.1 run "${C[@]}"
check "no_proxy naming the server's address bypasses the proxy" 0 "$DONE" ""
http_proxy=127.0.0.1:$P NO_PROXY=10.0.0.0/8,127.0.0.0/8 run "${C[@]}"
check "NO_PROXY with a matching CIDR block bypasses the proxy" 0 "$DONE" ""
http_proxy=127.0.0.1:$P no_proxy='*' run "${C[@]}"
check "no_proxy='*' bypasses the proxy" 0 "$DONE" ""
http_proxy=127.0.0.1:$P run --proxy '' "${C[@]}"
check "--proxy '' ignores http_proxy" 0 "$DONE" ""
assert "... none of these reached the proxy" [ "$(pxlog px | wc -l)" -eq 3 ]
http_proxy=127.0.0.1:$P no_proxy='*' run --noproxy '' "${C[@]}"
check "--noproxy '' overrides no_proxy" 0 "$DONE" ""
assert "... and the proxy saw it" [ "$(pxlog px | wc -l)" -eq 4 ]

# A proxy that reaches 127.0.0.1 for any name: the names used here are
# never resolved by chatcat when they go through it.
proxy map --map-to 127.0.0.1
M=$PX
run --proxy "127.0.0.1:$M" --noproxy 'hat.example, example.com chat.example:1' \
    -u "ws://chat.example:$S" --token sekrit send --thread $T1 hi
check "--noproxy: no partial names, a port that differs" 0 "$DONE" ""
assert "... so chat.example went through the proxy" \
    [ "$(pxlog map)" = "CONNECT chat.example:$S none" ]
run --proxy "127.0.0.1:$M" --noproxy ".LocalHost:$S" -u "ws://localhost:$S" \
    --token sekrit send --thread $T1 hi
check "--noproxy: a leading dot, any case, the same port" 0 "$DONE" ""
assert "... so localhost did not go through the proxy" [ "$(pxlog map | wc -l)" -eq 1 ]

proxy slow --dribble --interim
run --proxy "http://127.0.0.1:$PX" "${C[@]}"
check "an answer dribbled byte by byte, after a 100 Continue" 0 "$DONE" ""

proxy auth --auth 'us er:p@ss:w'
A=$PX
run -v --proxy "http://us%20er:p%40ss:w@127.0.0.1:$A" "${C[@]}"
check "proxy credentials (percent-encoded) are accepted" 0 "$DONE" \
    "~(.*\n)*chatcat: using the proxy http://\*\*\*@127\.0\.0\.1:$A \(from --proxy\)\n(.*\n)*chatcat: the proxy opened a tunnel \(HTTP 200\)(\n.*)*"
assert "the proxy got Proxy-Authorization with the decoded credentials" \
    [ "$(pxlog auth)" = "CONNECT 127.0.0.1:$S good" ]
assert "-v shows neither the user nor the password" \
    eval '! grep -q -e "us er" -e "us%20er" -e "p@ss" -e "p%40ss" "$TMP/err"'

run -v --proxy "http://user:Wr0ngSecret@127.0.0.1:$A" "${C[@]}"
check "wrong proxy credentials: 407, exit 10" 10 "" \
    "~(.*\n)*chatcat: $DRE: cannot connect: the proxy http://\*\*\*@127\.0\.0\.1:$A refused the tunnel \(HTTP 407 Proxy Authentication Required\)"
assert "... the password is not shown, even with -v" \
    eval '! grep -q -e Wr0ngSecret -e "$(printf user:Wr0ngSecret | base64)" "$TMP/err"'

proxy deny --refuse 403 --reason $'Forbidden \e[31mby policy'
run --proxy "127.0.0.1:$PX" "${C[@]}"
check "a refusal: exit 10, the status line escaped" 10 "" \
    "chatcat: $D: cannot connect: the proxy http://127.0.0.1:$PX refused the tunnel (HTTP 403 Forbidden \\\\x1b[31mby policy)"

run --proxy "http://127.0.0.1:1" "${C[@]}"
check "a proxy that is not listening: exit 10" 10 "" \
    "chatcat: $D: cannot connect to the proxy http://127.0.0.1:1: connection refused"

proxy mute --silent
run --connect-timeout 0.5 --proxy "127.0.0.1:$PX" "${C[@]}"
check "a proxy that never answers: --connect-timeout, exit 10" 10 "" \
    "chatcat: $D: cannot connect: timed out after 0.5 s waiting for the proxy http://127.0.0.1:$PX"

proxy junk --answer 'SSH-2.0-OpenSSH\r\n'
run --proxy "127.0.0.1:$PX" "${C[@]}"
check "an answer that is not HTTP: exit 10" 10 "" \
    "chatcat: $D: cannot connect: the proxy http://127.0.0.1:$PX sent an answer that is not HTTP/1.x"

proxy huge --answer "HTTP/1.1 200 OK\r\nX-Pad: $(head -c 17000 /dev/zero | tr '\0' a)\r\n\r\n"
run --proxy "127.0.0.1:$PX" "${C[@]}"
check "an answer head over 16 KiB: exit 10" 10 "" \
    "chatcat: $D: cannot connect: the proxy http://127.0.0.1:$PX sent an answer head larger than 16384 bytes"

# wss:// through the tunnel, with a test CA as in tls.sh.
require openssl
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$TMP/ca.key" -out "$TMP/ca.pem" \
    -days 2 -subj "/CN=chatcat test CA" 2>/dev/null &&
openssl req -newkey rsa:2048 -nodes -keyout "$TMP/srv.key" -out "$TMP/srv.csr" \
    -subj "/CN=localhost" 2>/dev/null &&
printf 'subjectAltName=IP:127.0.0.1\n' >"$TMP/srv.ext" &&
openssl x509 -req -in "$TMP/srv.csr" -CA "$TMP/ca.pem" -CAkey "$TMP/ca.key" \
    -CAcreateserial -out "$TMP/srv.pem" -days 2 -extfile "$TMP/srv.ext" 2>/dev/null ||
    { echo "Bail out! cannot make test certificates"; exit 99; }
peer tls --token sekrit --tls-cert "$TMP/srv.pem" --tls-key "$TMP/srv.key"
TS=$PORT
HTTPS_PROXY=http://127.0.0.1:$P http_proxy=127.0.0.1:1 run \
    -u "wss://127.0.0.1:$TS" --token sekrit --cacert "$TMP/ca.pem" send --thread $T1 hi
check "wss:// through HTTPS_PROXY (not http_proxy), certificate verified" 0 "$DONE" ""
assert "... the proxy saw CONNECT for the TLS server" \
    [ "$(pxlog px | tail -1)" = "CONNECT 127.0.0.1:$TS none" ]

run --proxy socks5://127.0.0.1:1080 "${C[@]}"
check "a socks5 proxy: usage error" 2 "" \
    "chatcat: --proxy: socks5://127.0.0.1:1080: unsupported proxy scheme 'socks5' (only http:// proxies are supported)"
https_proxy=https://u:Secr3t@127.0.0.1:1 run -u "wss://127.0.0.1:$TS" --token sekrit \
    send --thread $T1 hi
check "an https:// proxy from https_proxy: usage error naming it, no secret" 2 "" \
    "chatcat: https_proxy: https://***@127.0.0.1:1: unsupported proxy scheme 'https' (only http:// proxies are supported)"
run --proxy http://127.0.0.1:0 "${C[@]}"
check "a bad proxy port: usage error" 2 "" "chatcat: --proxy: http://127.0.0.1:0: invalid proxy port"
run --proxy http://127.0.0.1:1 serve
check "--proxy with serve: usage error" 2 "" "chatcat: --proxy does not apply to serve\n$HINT"
run -v --connect-timeout 2 --proxy 127.0.0.1 "${C[@]}"
assert "the proxy port is 1080 by default" \
    grep -q "^chatcat: using the proxy http://127.0.0.1:1080 (from --proxy)$" "$TMP/err"

# --reconnect over wss:// through the proxy: a new tunnel and a new TLS
# session after a drop.
peer tlsdrop --token sekrit --tls-cert "$TMP/srv.pem" --tls-key "$TMP/srv.key" \
    --parts 1 --drop-after 0 --faults 1
printf '{"type":"message","thread_id":"%s","content":"r%d"}\n' $T1 1 $T1 2 >"$TMP/two"
"$CHATCAT" --proxy "http://127.0.0.1:$P" -u "wss://127.0.0.1:$PORT" --token sekrit \
    --cacert "$TMP/ca.pem" --jq 'select(.status == "complete") | .content' -r \
    --reconnect pipe <"$TMP/two" >"$TMP/out" 2>"$TMP/err"; RC=$?
check "--reconnect, wss:// through the proxy: every reply after a drop" 0 "r1\nr2" ""
assert "... over two tunnels" [ "$(pxlog px | grep -c "CONNECT 127.0.0.1:$PORT ")" = 2 ]
stop tlsdrop

proxy pxua
run --proxy "http://127.0.0.1:$PX" --user-agent '' "${C[@]}"
check "--user-agent '': works through the proxy" 0 "$DONE" ""
assert "... and the CONNECT request has no User-Agent either" \
    [ "$(pxheaders pxua)" = "host" ]
finish
