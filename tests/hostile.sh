#!/bin/bash
# Hostile input from both directions: 16 MiB frames, deep nesting,
# invalid UTF-8, NUL bytes, truncated frames, peers that never read, and
# a thousand connections opened and dropped.  No crash, no hang past a
# deadline, bounded memory, clear errors.
. "${srcdir:-.}/tests/lib.sh"
plan 20

RAWCLIENT=$(dirname "$PEER")/rawclient.py
CLIENT=$(dirname "$PEER")/wsclient.py
MAX=16777216
d() { echo "ws://127.0.0.1:$PORT/chat/ws"; }

start huge "$PYTHON" "$RAWPEER" huge $MAX
run -u "$URL" --token x send --thread $T1 hi
assert "a 16 MiB frame (the limit) is printed whole" [ "$RC/$(head -1 "$TMP/out" | wc -c)" = "0/$((MAX + 1))" ]
start huge1 "$PYTHON" "$RAWPEER" huge $((MAX + 1))
run -u "$URL" --token x send --thread $T1 hi
check "one byte more: refused with 1009, exit 15" 15 "" "chatcat: $(d)?token=***: protocol error: a message is larger than --max-frame"
start nest "$PYTHON" "$RAWPEER" nested 1000
run -u "$URL" --token x send --thread $T1 hi
assert "an array nested 1000 deep passes through" [ "$RC/$(head -1 "$TMP/out" | wc -c)" = "0/2001" ]
start nest2 "$PYTHON" "$RAWPEER" nested 100000
run -u "$URL" --token x send --thread $T1 hi
check "nested 100000 deep: named as not JSON, not printed" 0 '{"status":"complete","thread_id":"'$T1'"}' 'chatcat: warning: frame 1: not JSON, not printed (200000 bytes: "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[...")'
start trunc "$PYTHON" "$RAWPEER" truncated
run -u "$URL" --token x send --thread $T1 hi
check "a frame cut short by the connection's end: exit 14" 14 "" "chatcat: $(d)?token=***: connection lost (no close frame)"

start noread "$PYTHON" "$RAWPEER" noread
head -c 30000000 /dev/zero | tr '\0' '\n' | sed 's/^$/{"type":"note","pad":"0123456789012345678901234567890123456789"}/' |
    "$CHATCAT" -u "$URL" --token x -W 2 pipe >"$TMP/out" 2>"$TMP/err" &
pid=$!
wait_peak $pid
check "a server that never reads: --timeout, exit 124" 124 "" "chatcat: timed out after 2 s"
assert_rss "... with stdin paused: peak RSS ${peak} kB stays under 32 MiB" "$peak" 32768

serve srv --db "$TMP/srv.db" --token t
printf '{"type":"message","thread_id":"%s","content":"a\\u0000b"}\n' $T1 |
    "$CHATCAT" -u "$URL" --token t pipe >/dev/null
run -u "$URL" --token t --jq '.content | [length, explode[1]]' history $T1
check "a NUL character round-trips through the server and the store" 0 "[3,0]\n[3,0]" ""
"$PYTHON" "$CLIENT" "$URL?token=t" big $MAX >"$TMP/out" 2>"$TMP/err"; RC=$?
check "the server takes a 16 MiB frame (an error frame answers it)" 0 "None" ""
"$PYTHON" "$CLIENT" "$URL?token=t" big $((MAX + 1)) >"$TMP/out" 2>"$TMP/err"; RC=$?
check "one byte more: closed with 1009" 0 "1009" ""
printf '%s%s\n' "$(head -c 100000 /dev/zero | tr '\0' '[')" "$(head -c 100000 /dev/zero | tr '\0' ']')" >"$TMP/deep"
"$PYTHON" "$CLIENT" "$URL?token=t" frames "$TMP/deep" >"$TMP/out" 2>"$TMP/err"; RC=$?
check "a request nested 100000 deep: an error frame" 0 '{"type":"error","message":"Invalid JSON"}' ""
"$PYTHON" "$RAWCLIENT" 127.0.0.1 $PORT t badutf8 >"$TMP/out" 2>"$TMP/err"; RC=$?
check "a text frame that is not UTF-8: closed with 1007" 0 "1007" ""
"$PYTHON" "$RAWCLIENT" 127.0.0.1 $PORT t churn 1000 >"$TMP/out" 2>"$TMP/err"; RC=$?
check "1,000 connections opened and dropped at every stage" 0 "done" ""
run -u "$URL" --token t -q --jq ".content // empty" -r send --thread $T2 still here
check "... and the server still answers" 0 "still \nhere" ""
assert_rss "... its peak RSS stays under 64 MiB" "$(peak_kb $srv_PID)" 65536

seq 1 20000 | awk -v t=$T2 '{ printf "{\"type\":\"message\",\"thread_id\":\"%s\",\"content\":\"%s %d\"}\n", t, "a long enough message to fill the socket buffers quickly", $1 }' |
    "$CHATCAT" -u "$URL" --token t pipe >/dev/null 2>&1
mkfifo "$TMP/hold"
"$PYTHON" "$RAWCLIENT" 127.0.0.1 $PORT t noread $T2 <"$TMP/hold" >"$TMP/nr.out" 2>&1 &
nr=$!
exec 9>"$TMP/hold"
wait_for "$TMP/nr.out" asked
run -u "$URL" --token t -W 5 -q --jq ".content // empty" -r send --thread $T1 not stalled
check "a client that never reads its history does not stall the others" 0 "not \nstalled" ""
assert_rss "... and the server holds at most its bounded queue (peak RSS under 64 MiB)" "$(peak_kb $srv_PID)" 65536
exec 9>&-
wait $nr

# A client that sends message after message and reads no answer: the server
# stops reading it once its answers wait (TCP pushes back), so it never
# takes all of them (400,000 frames, 32 MB: more than the kernel's socket
# buffers on loopback hold) and its memory stays bounded.
echo 5 >/proc/$srv_PID/clear_refs 2>/dev/null
mkfifo "$TMP/hold2"
"$PYTHON" "$RAWCLIENT" 127.0.0.1 $PORT t flood $T1 400000 <"$TMP/hold2" >"$TMP/fl.out" 2>&1 &
fl=$!
exec 9>"$TMP/hold2"
wait_for "$TMP/fl.out" "^sent " 60
assert "a client that floods messages and never reads: the server stops reading it" [ "$(sed -n 's/^sent //p' "$TMP/fl.out")" -lt 400000 ]
assert_rss "... and its peak RSS stays under 32 MiB" "$(awk '/^VmHWM/ {print $2}' /proc/$srv_PID/status)" 32768
exec 9>&-
wait $fl
stop srv
check "the server stops cleanly after all that" 0 "" ""
finish
