#!/bin/bash
# --dry-run: the frames that would go out on stdout, the redacted target
# and upgrade request on stderr, no connection (a listening peer sees
# none), and pipe's bad input reported and exited as in a real run.
. "${srcdir:-.}/tests/lib.sh"
plan 12

peer p --token sekrit --record "$TMP/p.rec" --record-request "$TMP/p.req"
C=(-u "$URL/chat/ws?x=1" --token sekrit)
REQ="> GET /chat/ws\\?x=1&token=\\*\\*\\* HTTP/1.1\\n> Host: 127.0.0.1:$PORT\\n> Upgrade: websocket\\n> Connection: Upgrade\\n> Sec-WebSocket-Key: \\(a random key\\)\\n> Sec-WebSocket-Version: 13\\n> User-Agent: chatcat/[0-9.]+"
absent() { ! grep -q "$@"; }

run "${C[@]}" send --dry-run --thread $T1 --agent $AGENT hello world
check "send: the message frame on stdout, the target and request on stderr" 0 \
    "{\"type\":\"message\",\"thread_id\":\"$T1\",\"agent_id\":\"$AGENT\",\"content\":\"hello world\"}" \
    "~chatcat: dry run: would connect to $URL/chat/ws\?x=1&token=\*\*\*\n$REQ"
run "${C[@]}" history --dry-run $T1
check "history: the history frame" 0 "{\"type\":\"history\",\"thread_id\":\"$T1\"}" "~.*"
run "${C[@]}" send --dry-run hi
check "send without --thread: the made-up thread is said, as in a real run" 0 \
    "~\{\"type\":\"message\",\"thread_id\":\"[0-9a-f-]{36}\",\"agent_id\":null,\"content\":\"hi\"\}" \
    "~.*\nchatcat: thread [0-9a-f-]{36}"

IN='{"type":"message","content":"a"}
{"type":"history"} {"type":"ping"}
{"type":"message","thread_id":"nope","content":"b"}
42
{"type":"history","thread_id":"'$T2'"}
{"type":'
run_in "$IN" "${C[@]}" pipe --dry-run --thread $T1
check "pipe: every value converted, each bad one reported, exit 2" 2 \
    "{\"thread_id\":\"$T1\",\"type\":\"message\",\"content\":\"a\"}\n{\"thread_id\":\"$T1\",\"type\":\"history\"}\n{\"thread_id\":\"$T1\",\"type\":\"ping\"}\n{\"type\":\"history\",\"thread_id\":\"$T2\"}" \
    "~.*\nchatcat: stdin:3:1: invalid thread_id: expected a UUID\nchatcat: stdin:4:1: expected a JSON object\nchatcat: stdin:6:9: invalid JSON: unexpected end of input"
run_in "$IN" "${C[@]}" pipe --dry-run --thread $T1 --strict
check "pipe --strict: stops at the first bad value" 2 \
    "{\"thread_id\":\"$T1\",\"type\":\"message\",\"content\":\"a\"}\n{\"thread_id\":\"$T1\",\"type\":\"history\"}\n{\"thread_id\":\"$T1\",\"type\":\"ping\"}" \
    "~.*\nchatcat: stdin:3:1: invalid thread_id: expected a UUID"
run_in $'one\ntwo\n' "${C[@]}" pipe --dry-run -R --thread $T1
check "pipe -R: each line a message" 0 \
    "{\"type\":\"message\",\"thread_id\":\"$T1\",\"agent_id\":null,\"content\":\"one\"}\n{\"type\":\"message\",\"thread_id\":\"$T1\",\"agent_id\":null,\"content\":\"two\"}" "~.*"
run_in '{"type":"message","content":"aaaaaaaaaa"}' "${C[@]}" pipe --dry-run --thread $T1 --max-frame 20
check "pipe: a value over --max-frame, as in a real run" 2 "" "~.*\nchatcat: stdin:1:1: [^\n]*max-frame[^\n]*"

run -u "$URL" --token sekrit -H 'Authorization: Bearer hush1' -H 'X-Api-Key: hush2' \
    -H 'X-Trace: visible' --proxy http://user:hush3@127.0.0.1:1 send --dry-run --thread $T1 hi
check "secrets redacted: credential, secret headers, proxy password" 0 "~.*" \
    "~chatcat: dry run: would connect to $URL/chat/ws\\?token=\*\*\* through http://\*\*\*@127.0.0.1:1\n.*> Authorization: \*\*\*\n> X-Api-Key: \*\*\*\n> X-Trace: visible"
assert "... no secret anywhere in the output" absent -q 'sekrit\|hush' "$TMP/out" "$TMP/err"
run -u "$URL" --token sekrit send --dry-run --thread nope hi
check "a bad option is still a usage error" 2 "" "~chatcat: invalid thread id 'nope'.*"
assert "the peer saw no connection" [ ! -s "$TMP/p.req" ] && [ ! -s "$TMP/p.rec" ]
run -u "$URL" --token sekrit send --thread $T1 hi
assert "... while a real run connects (the check above can fail)" [ -s "$TMP/p.req" ]
finish
