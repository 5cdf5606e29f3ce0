#!/bin/bash
# chatcat pipe against the independent peer: JSON streams in, each bad
# value named with its line and column, nothing lost, duplicated or
# reordered, flow control both ways, --follow, --strict, -R.
. "${srcdir:-.}/tests/lib.sh"
plan 29

msg() { printf '{"type":"message","thread_id":"%s","agent_id":null,"content":"%s"}' "$1" "$2"; }
SHAPE='select(.type == "message") | .content + "|" + .status'

peer doc --token t --parts 1 --record "$TMP/doc.rec"
C=(-u "$URL" --token t)

printf '{"type":"message","content":"one"}\n{"type":"message","content":"two"}\n' >"$TMP/in"
"$CHATCAT" "${C[@]}" --thread $T1 --jq "$SHAPE" -r pipe <"$TMP/in" >"$TMP/out" 2>"$TMP/err"; RC=$?
check "NDJSON in: each message's reply, in order" 0 "one|complete\ntwo|complete" ""
assert "--thread fills thread_id; frames sent as they came" [ "$(frames "$TMP/doc.rec")" = "$(printf '{"thread_id":"%s","type":"message","content":"one"}\n{"thread_id":"%s","type":"message","content":"two"}' $T1 $T1)" ]
assert "the connection is closed with 1000 when every reply is complete" [ "$(closes "$TMP/doc.rec")" = "1000 " ]

: >"$TMP/doc.rec"
printf '%s%s\n{\n  "type": "message",\n  "thread_id": "%s",\n  "content": "pretty"\n}\n{"type":"history","thread_id":"%s"}' \
    "$(msg $T1 a)" "$(msg $T2 b)" $T1 $T2 >"$TMP/in"
"$CHATCAT" "${C[@]}" --agent $AGENT --jq '.type' -r pipe <"$TMP/in" >"$TMP/out" 2>"$TMP/err"; RC=$?
check "concatenated and multi-line values; a history request" 0 "message_received\nmessage\nmessage_received\nmessage\nmessage_received\nmessage\nmessage\nmessage" ""
assert "multi-line values are sent compacted; --agent fills a missing agent_id only" [ "$(frames "$TMP/doc.rec")" = "$(printf '%s\n%s\n{"agent_id":"%s","type":"message","thread_id":"%s","content":"pretty"}\n{"type":"history","thread_id":"%s"}' "$(msg $T1 a)" "$(msg $T2 b)" $AGENT $T1 $T2)" ]

: >"$TMP/doc.rec"
{
	printf '{"type":"message","content":}\n'
	msg $T1 first; echo
	printf '[1]\n{"content":"x"}\n{"type":"message","thread_id":"nope","content":"x"}\n'
	printf '{"type":"message","content":"no thread"}\n{"type":"message","thread_id":"%s"}\n{"type":7}\n' $T1
	printf '{"type":"message","thread_id":"%s","content":"\377"}\n' $T1
	printf '{"type":"message","thread_id":"%s","agent_id":5,"content":"x"}\n' $T1
	printf '{"type":"message","thread_id":"%s","content":"%s"}\n' $T1 "$(head -c 300 /dev/zero | tr '\0' z)"
	printf '{"a":1}}\n'
	msg $T1 last; echo
} >"$TMP/in"
"$CHATCAT" "${C[@]}" --max-frame 200 --jq "$SHAPE" -r pipe <"$TMP/in" >"$TMP/out" 2>"$TMP/err"; RC=$?
check "every bad value is named on stderr, the rest is sent, exit 2" 2 "first|complete\nlast|complete" 'chatcat: stdin:1:29: invalid JSON: expected a value
chatcat: stdin:3:1: expected a JSON object
chatcat: stdin:4:1: missing "type"
chatcat: stdin:5:1: invalid thread_id: expected a UUID
chatcat: stdin:6:1: a message needs a thread_id (or --thread)
chatcat: stdin:7:1: a message needs a string "content"
chatcat: stdin:8:1: "type" is not a string
chatcat: stdin:9:81: invalid UTF-8
chatcat: stdin:10:1: invalid agent_id: expected a UUID or null
chatcat: stdin:11:1: value larger than --max-frame
chatcat: stdin:12:1: missing "type"
chatcat: stdin:12:8: invalid JSON: expected a value'
assert "only the valid values were sent" [ "$(frames "$TMP/doc.rec")" = "$(printf '%s\n%s' "$(msg $T1 first)" "$(msg $T1 last)")" ]

"$CHATCAT" "${C[@]}" --strict --jq "$SHAPE" -r pipe <"$TMP/in" >"$TMP/out" 2>"$TMP/err"; RC=$?
check "--strict stops at the first bad value" 2 "" "chatcat: stdin:1:29: invalid JSON: expected a value"

printf 'first line\r\n\nsecond "line"\n' | "$CHATCAT" "${C[@]}" --thread $T2 -R --jq "$SHAPE" -r pipe >"$TMP/out" 2>"$TMP/err"; RC=$?
check "-R: every line is a message to --thread; empty lines skipped" 0 'first line|complete\nsecond "line"|complete' ""
run "${C[@]}" -R pipe
check "-R without --thread" 2 "" "chatcat: -R needs --thread (or CHATCAT_THREAD)\nTry 'chatcat --help' for more information."
run "${C[@]}" pipe extra
check "pipe takes no operands" 2 "" "chatcat: pipe takes no operands: the requests come on stdin\nTry 'chatcat --help' for more information."
run "${C[@]}" pipe
check "an empty stdin: nothing to do, exit 0" 0 "" ""

"$CHATCAT" "${C[@]}" --jq 'select(.status == "complete") | .content' -r --count 1 pipe <"$TMP/in" >"$TMP/out" 2>/dev/null; RC=$?
check "--count ends a pipe" 2 "first" ""
printf '%s\n%s\n' "$(msg $T1 alpha)" "$(msg $T1 beta)" | "$CHATCAT" "${C[@]}" --until '.content == "alpha"' --jq .content pipe >"$TMP/out" 2>"$TMP/err"; RC=$?
check "--until ends a pipe" 0 'null\n"alpha"' ""

peer big --token t --silent --record "$TMP/big.rec"
seq 1 100000 | awk '{ printf "{\"type\":\"note\",\"n\":%d,\"pad\":\"%s\"}\n", $1, "0123456789abcdef" }' >"$TMP/big.in"
"$CHATCAT" -u "$URL" --token t pipe <"$TMP/big.in" >"$TMP/out" 2>"$TMP/err"; RC=$?
check "100,000 lines: exit 0, nothing printed" 0 "" ""
frames "$TMP/big.rec" >"$TMP/big.got"
wait_for "$TMP/big.rec" close 120
frags() {
	frames "$TMP/big.rec" >"$TMP/big.got"
	cmp "$TMP/big.in" "$TMP/big.got" && return 0
	echo "# received $(wc -l <"$TMP/big.got") of $(wc -l <"$TMP/big.in") lines; first difference:"
	diff "$TMP/big.in" "$TMP/big.got" | head -4 | sed 's/^/# /'
	return 1
}
assert "... the peer received every line once, in order" frags

peer many --token t --parts 2
seq 1 2000 | awk -v t=$T1 '{ printf "{\"type\":\"message\",\"thread_id\":\"%s\",\"content\":\"m%d\"}\n", t, $1 }' >"$TMP/many.in"
"$CHATCAT" -u "$URL" --token t --jq 'select(.status == "complete") | .content' -r pipe <"$TMP/many.in" >"$TMP/out" 2>"$TMP/err"; RC=$?
assert "2,000 messages: every reply complete, in order" [ "$RC/$(md5sum <"$TMP/out")" = "0/$(seq 1 2000 | awk '{ m = "m" $1; print substr(m, int(length(m) / 2) + 1) }' | md5sum)" ]

peer dep --token t --mode deployed --record "$TMP/dep.rec"
printf '%s\n%s\n' "$(msg $T1 abc)" "$(msg $T1 def)" >"$TMP/in"
"$CHATCAT" -u "$URL" --token t --fence --idle 600 -W 30 --jq 'select(.type == "token") | .content' -r pipe <"$TMP/in" >"$TMP/out" 2>"$TMP/err"; RC=$?
check "a deployed server with --fence: each message fenced, no idle wait" 0 "a\nb\nc\nd\ne\nf" ""
assert "... a fence after each message" [ "$(all_frames "$TMP/dep.rec" | sed 's/fence-[0-9a-f]*/fence/')" = "$(printf '%s\n{"type":"fence"}\n%s\n{"type":"fence"}' "$(msg $T1 abc)" "$(msg $T1 def)")" ]
"$CHATCAT" -u "$URL" --token t --no-fence --idle 0.3 --jq 'select(.type == "token") | .content' -r pipe <"$TMP/in" >"$TMP/out" 2>"$TMP/err"; RC=$?
check "a deployed server, --no-fence --idle: silence ends it, exit 20" 20 "a\nb\nc\nd\ne\nf" "chatcat: warning: stdin:1: 0.3 s without a frame: the reply may be incomplete (and 1 more pending) (--idle)"

{
	printf '{"thread_id":"%s","role":"user","content":"%s"}\n' $(seq 1 20000 | awk -v t=$T2 -v p="$(head -c 200 /dev/zero | tr '\0' p)" '{ print t, p }')
} >"$TMP/seed"
peer slowreader --token t --seed "$TMP/seed" --send-timeout 1 --record "$TMP/slow.rec"
"$CHATCAT" -u "$URL" --token t history $T2 2>"$TMP/err" | { sleep 2; cat; } >"$TMP/out"
RC=${PIPESTATUS[0]}
assert "a reader stalled 2 s: chatcat kept draining the socket (no send timeout)" [ "$(frames "$TMP/slow.rec" | grep -c 'send timeout')" = 0 ]
assert "... and all 20,000 frames arrived" [ "$RC/$(wc -l <"$TMP/out")" = "0/20000" ]

peer follow --token t --parts 1
mkfifo "$TMP/fifo"
"$CHATCAT" -u "$URL" --token t --follow --jq "$SHAPE" -r pipe <"$TMP/fifo" >"$TMP/f.out" 2>"$TMP/f.err" &
pid=$!
exec 7>"$TMP/fifo"
msg $T1 hey >&7; echo >&7
exec 7>&-
wait_for "$TMP/f.out" complete
assert "--follow: still running after every reply is complete" kill -0 $pid
stop follow
wait $pid
RC=$?
mv "$TMP/f.out" "$TMP/out"
mv "$TMP/f.err" "$TMP/err"
check "--follow: the server's close ends it, exit 0" 0 "hey|complete" ""

peer held --token t --record "$TMP/held.rec"
mkfifo "$TMP/fifo2"
"$CHATCAT" -u "$URL" --token t --thread $T1 -R pipe <"$TMP/fifo2" >"$TMP/h.out" 2>"$TMP/h.err" &
pid=$!
exec 8>"$TMP/fifo2"
echo "still typing" >&8
wait_for "$TMP/h.out" complete
kill -INT $pid
wait $pid
RC=$?
exec 8>&-
mv "$TMP/h.out" "$TMP/out"
mv "$TMP/h.err" "$TMP/err"
check "SIGINT while stdin is open: clean close, exit 130" 130 "~(.*\n){2}.*\"status\":\"complete\"\}" ""
wait_for "$TMP/held.rec" close
assert "... with a close frame 1000" [ "$(closes "$TMP/held.rec")" = "1000 " ]

peer long --token t --parts 3000 --reply "$(head -c 30000 /dev/zero | tr '\0' x)"
msg $T1 x | "$CHATCAT" -u "$URL" --token t pipe 2>"$TMP/err" | head -1 >"$TMP/out"
RC=${PIPESTATUS[1]}
check "stdout closed by its reader: exit 0, quietly" 0 "~\{\"type\":\"message_received\".*" ""
# At most 4096 requests wait for their answers: then stdin waits too.
peer mute --token t --silent --record "$TMP/mute.rec"
seq 1 20000 | awk -v t=$T1 '{ printf "{\"type\":\"message\",\"thread_id\":\"%s\",\"content\":\"m%d\"}\n", t, $1 }' >"$TMP/many"
"$CHATCAT" -u "$URL" --token t -W 2 pipe <"$TMP/many" >"$TMP/out" 2>"$TMP/err"; RC=$?
got=$(frames "$TMP/mute.rec" | wc -l)
check "a server that answers nothing: --timeout ends the pipe" 124 "" "chatcat: timed out after 2 s"
assert "... which sent about 4096 requests, not all 20000 ($got)" [ "$got" -ge 4096 -a "$got" -lt 6000 ]
stop mute
finish
