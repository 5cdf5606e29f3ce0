#!/bin/bash
# Connection failures and their exit statuses (10-15), the upgrade
# request (URL forms, credentials, headers) and secret redaction.
. "${srcdir:-.}/tests/lib.sh"
d() { echo "ws://127.0.0.1:$PORT/chat/ws"; }

peer doc --token 'a b&c/é' --key k-123 --record-request "$TMP/req"

run -u "$URL" --token 'a b&c/é' -q send --thread $T1 hi
check "a token with reserved characters" 0 "~(.*\n)+.*\"status\":\"complete\"\}" ""
assert "the token is percent-encoded into ?token=" [ "$(request_path "$TMP/req" | tail -1)" = "/chat/ws?token=a%20b%26c%2F%C3%A9" ]
run -u "http://127.0.0.1:$PORT" --api-key k-123 -q send --thread $T1 hi
check "http:// maps to ws://; --api-key" 0 "~(.*\n)+.*\"status\":\"complete\"\}" ""
assert "the key goes into ?key=; the empty path becomes /chat/ws" [ "$(request_path "$TMP/req" | tail -1)" = "/chat/ws?key=k-123" ]
printf 'k-123\nignored\n' >"$TMP/keyfile"
run -u "ws://127.0.0.1:$PORT/" --api-key-file "$TMP/keyfile" -q send --thread $T1 hi
check "--api-key-file: the first line; / becomes /chat/ws" 0 "~(.*\n)+.*\"status\":\"complete\"\}" ""
CHATCAT_URL="127.0.0.1:$PORT/chat/ws?x=1" CHATCAT_TOKEN='a b&c/é' run -q send --thread $T1 hi
check "CHATCAT_URL as host:port/path?query, CHATCAT_TOKEN" 0 "~(.*\n)+.*\"status\":\"complete\"\}" ""
assert "the credential is appended to the query" [ "$(request_path "$TMP/req" | tail -1)" = "/chat/ws?x=1&token=a%20b%26c%2F%C3%A9" ]
run -u "$URL" --api-key k-123 -H 'X-Trace: abc 1' -H 'User-Agent: probe/1' -q send --thread $T1 hi
assert "-H adds headers to the upgrade request" [ "$(request_header "$TMP/req" x-trace)" = "abc 1" ]
assert "-H User-Agent replaces chatcat's" [ "$(request_header "$TMP/req" user-agent)" = "probe/1" ]

run -u "$URL" --token wrong send --thread $T1 hi
check "bad token: 401 with its detail, exit 13" 13 "" "chatcat: $(d)?token=***: authentication rejected (HTTP 401 Unauthorized): Invalid or expired token"
run -u "$URL" --api-key wrong -vv send --thread $T1 hi
check "bad key under -vv: exit 13" 13 "" "~(.*\n)*chatcat: $(d)\?key=\*\*\*: authentication rejected \(HTTP 401 Unauthorized\): Invalid API key(\n.*)*"
assert "-vv never shows the secret" [ "$(grep -c 'wrong' "$TMP/err")" = 0 ]
run -u "$URL" --token 'a b&c/é' -vv send --thread $T1 hi
assert "-vv on success: the URL is shown redacted, the token nowhere" \
    bash -c "grep -q 'token=\*\*\*' '$TMP/err' && ! grep -qF 'a b&c' '$TMP/err' && ! grep -qF 'a%20b' '$TMP/err'"
run -u "$URL/other" --token x send --thread $T1 hi
check "a 404: upgrade refused with the detail, exit 12" 12 "" "chatcat: ws://127.0.0.1:$PORT/other?token=***: upgrade refused (HTTP 404 Not Found): Not Found"

peer r503 --refuse 503 --detail 'try later'
run -u "$URL" --token x send --thread $T1 hi
check "a 503: exit 12 with the detail" 12 "" "chatcat: $(d)?token=***: upgrade refused (HTTP 503 Service Unavailable): try later"
peer r403 --refuse 403 --detail 'no profile'
run -u "$URL" --token x send --thread $T1 hi
check "a 403: exit 13" 13 "" "chatcat: $(d)?token=***: authentication rejected (HTTP 403 Forbidden): no profile"
peer rtext --refuse 502 --refuse-body 'bad gateway'
run -u "$URL" --token x send --thread $T1 hi
check "a non-JSON body: status only, exit 12" 12 "" "chatcat: $(d)?token=***: upgrade refused (HTTP 502 Bad Gateway)"

run -u ws://nonexistent.invalid --token x send --thread $T1 hi
check "a host name that does not resolve: exit 10" 10 "" "~chatcat: ws://nonexistent\.invalid:80/chat/ws\?token=\*\*\*: cannot resolve nonexistent\.invalid: .+"

start silent "$PYTHON" "$RAWPEER" silent
run -u "$URL" --token x --connect-timeout 0.3 send --thread $T1 hi
check "no answer to the upgrade: connect timeout, exit 10" 10 "" "chatcat: $(d)?token=***: cannot connect: timed out after 0.3 s"
# A connect(2) done in the very round its deadline passes (a deadline of
# 1 us: on the loopback the connection is made before the first poll) is
# the timeout, and the run ends: it once went on with no socket, deaf to
# SIGTERM (the KILL after 10 s is only there to end such a run).
peer quick
timeout -s KILL 10 "$CHATCAT" -u "$URL" --token x --connect-timeout 0.000001 \
    send --thread $T1 hi >"$TMP/out" 2>"$TMP/err" </dev/null
RC=$?
check "connected in the round the connect deadline passed: exit 10" 10 "" "chatcat: $(d)?token=***: cannot connect: timed out after 1e-06 s"
start hang "$PYTHON" "$RAWPEER" hang-body
run -u "$URL" --token x --connect-timeout 0.3 send --thread $T1 hi
check "a 401 whose body never ends: reported at the deadline" 13 "" "chatcat: $(d)?token=***: authentication rejected (HTTP 401 Unauthorized)"
start garbage "$PYTHON" "$RAWPEER" garbage
run -u "$URL" --token x send --thread $T1 hi
check "not HTTP: protocol error, exit 15" 15 "" "chatcat: $(d)?token=***: protocol error: the server's answer is not HTTP"
start badaccept "$PYTHON" "$RAWPEER" bad-accept
run -u "$URL" --token x send --thread $T1 hi
check "a wrong Sec-WebSocket-Accept: exit 15" 15 "" "chatcat: $(d)?token=***: protocol error: the server's Sec-WebSocket-Accept is wrong"
start masked "$PYTHON" "$RAWPEER" masked
run -u "$URL" --token x send --thread $T1 hi
check "a masked server frame: exit 15" 15 "" "chatcat: $(d)?token=***: protocol error: the server masked a frame"
start badutf8 "$PYTHON" "$RAWPEER" badutf8
run -u "$URL" --token x send --thread $T1 hi
check "a text frame that is not UTF-8: exit 15" 15 "" "chatcat: $(d)?token=***: protocol error: a text frame is not valid UTF-8"
start nulhead "$PYTHON" "$RAWPEER" nul-head
run -u "$URL" --token x send --thread $T1 hi
check "a NUL byte in the upgrade answer: exit 15" 15 "" "chatcat: $(d)?token=***: protocol error: the server's answer is not HTTP"
start ext "$PYTHON" "$RAWPEER" extension
run -u "$URL" --token x send --thread $T1 hi
check "an extension nobody offered: exit 15" 15 "" "chatcat: $(d)?token=***: protocol error: the server chose an extension or subprotocol chatcat did not offer"
start topbit "$PYTHON" "$RAWPEER" top-bit
run -u "$URL" --token x send --thread $T1 hi
check "a 64-bit length with the top bit set: exit 15" 15 "" "chatcat: $(d)?token=***: protocol error: a frame length has its top bit set"
start badop "$PYTHON" "$RAWPEER" bad-opcode
run -u "$URL" --token x send --thread $T1 hi
check "an unknown opcode is reported once" 15 "" "chatcat: $(d)?token=***: protocol error: a frame has an unknown opcode"
start forge "$PYTHON" "$RAWPEER" forge
run -u "$URL" --token x send --thread $T1 hi
check "a close reason cannot forge lines or escapes on stderr" 14 "" 'chatcat: the server closed the connection (1011 line1\\x0achatcat: fake\\x1b[31m) before the reply was complete'
peer forge2 --token x --error "$(printf 'bad\nchatcat: forged\033[2J')"
run -u "$URL" --token x send --thread $T1 hi
check "nor can an error frame's message" 1 '{"type":"error","message":"bad\\nchatcat: forged\\u001b[2J"}' 'chatcat: server error: bad\\x0achatcat: forged\\x1b[2J'
start deep "$PYTHON" "$RAWPEER" deep
run -u "$URL" --token x --jq . send --thread $T1 hi
check "a frame libjq cannot read is reported, exit 5" 5 '{"status":"complete","thread_id":"'$T1'"}' "~chatcat: frame 1: jq cannot read it: .*"
run -u "ws://127.0.0.1:1/chat/ws?token=SEKRIT" --token x send --thread $T1 hi
check "a credential in the URL is refused, and not shown" 2 "" "chatcat: ws://127.0.0.1:1/chat/ws?token=***: the URL carries a credential: use --token or --api-key instead"
run --token=SEKRIT --tok=SEKRIT send hi
check "a mistyped option's value is not shown" 2 "" "chatcat: unknown option: --tok\nTry 'chatcat --help' for more information."

start esckey "$PYTHON" "$RAWPEER" escaped-key
run -u "$URL" --token x send --thread $T1 hi
check "member names written with escapes are recognised" 1 '{"t\\u0079pe":"error","message":"escaped"}' "chatcat: server error: escaped"

start bytewise "$PYTHON" "$RAWPEER" bytewise
run -u "$URL" --token x send --thread $T1 hi
check "a reply arriving one byte per write" 0 '{"type":"message","status":"complete","thread_id":"'$T1'"}' ""
finish
