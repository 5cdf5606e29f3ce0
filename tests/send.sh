#!/bin/bash
# send against the independent peer (Python websockets): what is sent,
# what is printed, and every completion path of chatcat(1).
. "${srcdir:-.}/tests/lib.sh"
plan 35

R='"job_id":"job_1","created_at":"2026-01-01T00:00:00Z"'
doc_reply() { # thread, id of the ack, id of the reply, parts...
	local t=$1 a=$2 m=$3 j=$4
	shift 4
	printf '{"type":"message_received","id":"msg_%s","thread_id":"%s","job_id":"job_%s"}' "$a" "$t" "$j"
	local last=$#
	local i=0
	for part; do
		i=$((i + 1))
		local st=processing
		[ $i -eq $last ] && st=complete
		printf '\\n{"type":"message","id":"msg_%s","thread_id":"%s","role":"assistant","content":"%s","job_id":"job_%s","created_at":"2026-01-01T00:00:00Z","status":"%s"}' "$m" "$t" "$part" "$j" "$st"
	done
}

peer doc --token sekrit --record "$TMP/doc.rec" --record-request "$TMP/doc.req"
C=(-u "$URL" --token sekrit)

run "${C[@]}" send --thread $T1 hello world
check "send TEXT: the reply, complete on status complete" 0 "$(doc_reply $T1 1 2 1 hel 'lo w' orld)" ""
assert "the message frame joins TEXT with spaces, agent_id null" \
    [ "$(frames "$TMP/doc.rec" | tail -1)" = "{\"type\":\"message\",\"thread_id\":\"$T1\",\"agent_id\":null,\"content\":\"hello world\"}" ]
assert "then chatcat closed the connection with 1000" [ "$(closes "$TMP/doc.rec")" = "1000 " ]

run_in "$(printf 'line one\n"quoted" \\ tab\there é ☃\n')" "${C[@]}" send --thread $T1 --agent $AGENT
assert "stdin is the content when there is no TEXT; --agent fills agent_id" \
    [ "$(frames "$TMP/doc.rec" | tail -1)" = "{\"type\":\"message\",\"thread_id\":\"$T1\",\"agent_id\":\"$AGENT\",\"content\":\"line one\\n\\\"quoted\\\" \\\\ tab\\there é ☃\"}" ]
check "stdin content: exit 0, nothing on stderr" 0 "~(.*\n){3}.*\"status\":\"complete\"\}" ""

run_in "from stdin" "${C[@]}" -q send --thread $T1 -
assert "TEXT '-' reads stdin" [ "$(frames "$TMP/doc.rec" | tail -1)" = "{\"type\":\"message\",\"thread_id\":\"$T1\",\"agent_id\":null,\"content\":\"from stdin\"}" ]

run "${C[@]}" send hi there
check "without --thread a UUIDv4 is generated and reported" 0 "~.*" "~chatcat: thread [0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"
gen=$(sed -n 's/^chatcat: thread //p' "$TMP/err")
assert "the generated thread is the one sent" grep -q "\"thread_id\":\"$gen\"" "$TMP/out"

run "${C[@]}" -q send hi
check "-q: no thread notice" 0 "~.*" ""

CHATCAT_THREAD=$T2 run "${C[@]}" send hi
check "CHATCAT_THREAD names the thread" 0 "~.*\"thread_id\":\"$T2\".*" ""

run send -u "$URL" hi --token sekrit --thread $T1 -q
check "options after the subcommand and its TEXT" 0 "~.*\"status\":\"complete\"\}" ""
run "${C[@]}" send --thread $T1 -- -v --not-an-option
assert "-- ends options: the rest is TEXT" [ "$(frames "$TMP/doc.rec" | tail -1)" = "{\"type\":\"message\",\"thread_id\":\"$T1\",\"agent_id\":null,\"content\":\"-v --not-an-option\"}" ]

# Completion signals: --idle 600 proves the idle gap did not end the run.
peer end --token sekrit --final-status end
run -u "$URL" --token sekrit --idle 600 -W 30 send --thread $T1 ab
check "complete on status end" 0 "~.*\"status\":\"end\"\}" ""
peer cf --token sekrit --final-status none --completion-frame
run -u "$URL" --token sekrit --idle 600 -W 30 send --thread $T1 ab
check "complete on a completion frame" 0 "~(.*\n)*\{\"type\":\"completion\",\"thread_id\":\"$T1\",\"job_id\":\"job_1\"\}" ""

peer dep --token sekrit --mode deployed --record "$TMP/dep.rec"
run -u "$URL" --token sekrit --idle 0.3 send --thread $T1 abc
check "deployed server, no signal: complete after --idle" 0 "~\{\"type\":\"step\".*\n(\{\"type\":\"token\",\"status\":\"processing\".*\n?){3}" ""
run -u "$URL" --token sekrit --fence --idle 600 -W 30 send --thread $T1 abc
check "deployed server: --fence completes, its error is not printed" 0 "~\{\"type\":\"step\".*\n(\{\"type\":\"token\",\"status\":\"processing\".*\n?){3}" ""
assert "the fence is an unknown-type frame sent after the message" \
    grep -qE '^\{"type":"fence-[0-9a-f]{32}"\}$' <(all_frames "$TMP/dep.rec" | tail -1)

peer slow --token sekrit --delay-first 1 --final-status none
run -u "$URL" --token sekrit --idle 0.3 send --thread $T1 abcdef
check "idle counts only once the reply has started (after message_received); an end by silence is exit 20" 20 "~\{\"type\":\"message_received\".*\n(.*\"status\":\"processing\"\}\n?){3}" "chatcat: warning: 0.3 s without a frame: the reply may be incomplete (--idle)"

peer silent --token sekrit --silent
run -u "$URL" --token sekrit -W 0.5 send --thread $T1 hi
check "no reply: --timeout, exit 124" 124 "" "chatcat: timed out after 0.5 s waiting for the reply"

peer err --token sekrit --error 'Thread ID is required'
run -u "$URL" --token sekrit send --thread $T1 hi
check "an error frame: exit 1, printed, its message on stderr" 1 '{"type":"error","message":"Thread ID is required"}' "chatcat: server error: Thread ID is required"

peer frag --token sekrit --fragment
run -u "$URL" --token sekrit send --thread $T1 hello world
check "fragmented frames are reassembled" 0 "$(doc_reply $T1 1 2 1 hel 'lo w' orld)" ""

peer pretty --token sekrit --pretty
run -u "$URL" --token sekrit send --thread $T1 hello world
check "multi-line frames are compacted to one line" 0 "$(doc_reply $T1 1 2 1 hel 'lo w' orld)" ""

peer big --token sekrit --bigint --parts 1
run -u "$URL" --token sekrit send --thread $T1 x
check "big integers pass through byte for byte" 0 "~(.*\"n\":12345678901234567890\}\n?){2}" ""

peer nonjson --token sekrit --send-nonjson --parts 1
run -u "$URL" --token sekrit send --thread $T1 x
check "a non-JSON frame is named on stderr, never printed" 0 "~\{\"type\":\"message_received\".*\n\{\"type\":\"message\".*\"status\":\"complete\"\}" 'chatcat: warning: frame 2: not JSON, not printed (10 bytes: "not json {")'

peer binary --token sekrit --send-binary --parts 1
run -u "$URL" --token sekrit send --thread $T1 x
check "a binary frame is named on stderr, never printed" 0 "~\{\"type\":\"message_received\".*\n\{\"type\":\"message\".*\"status\":\"complete\"\}" 'chatcat: warning: frame 2: binary frame, not printed (8 bytes: "\\x00\\x01binary")'

peer hello --token sekrit --hello --app-ping --parts 1 --final-status none
run -u "$URL" --token sekrit --idle 0.3 send --thread $T1 x
check "other threads' frames and app pings are printed but start no reply" 20 "~\{\"type\":\"message\",\"thread_id\":\"00000000.*\n\{\"type\":\"message_received\".*\n\{\"type\":\"ping\"\}\n\{\"type\":\"message\".*" "chatcat: warning: 0.3 s without a frame: the reply may be incomplete (--idle)"

peer drop --token sekrit --drop-after 2 --gap 0.2
run -u "$URL" --token sekrit send --thread $T1 hello world
check "dropped mid-reply: exit 14" 14 "~\{\"type\":\"message_received\".*\n\{\"type\":\"message\".*\"content\":\"hel\".*" "chatcat: ws://127.0.0.1:$PORT/chat/ws?token=***: connection lost (no close frame)"

peer close --token sekrit --close 1011 --close-reason boom
run -u "$URL" --token sekrit send --thread $T1 hi
check "closed by the server before the reply: exit 14 with code and reason" 14 "" "chatcat: the server closed the connection (1011 boom) before the reply was complete"

peer close2 --token sekrit --close 1000
run -u "$URL" --token sekrit send --thread $T1 hi
check "even a 1000 close before completion is exit 14" 14 "" "chatcat: the server closed the connection (1000) before the reply was complete"

peer long --token sekrit --record "$TMP/long.rec" --parts 5000 --reply "$(head -c 20000 /dev/zero | tr '\0' x)"
"$CHATCAT" -u "$URL" --token sekrit send --thread $T1 x 2>"$TMP/err" | head -1 >"$TMP/out"
RC=${PIPESTATUS[0]}
check "stdout closed by the reader: stop quietly, exit 0" 0 "~\{\"type\":\"message_received\".*" ""
wait_for "$TMP/long.rec" close
assert "... closing with 1001" [ "$(closes "$TMP/long.rec")" = "1001 " ]

peer max --token sekrit --parts 1 --reply "$(head -c 3000 /dev/zero | tr '\0' y)"
run -u "$URL" --token sekrit --max-frame 1000 send --thread $T1 x
check "a message over --max-frame: protocol error, exit 15" 15 "~\{\"type\":\"message_received\".*" "chatcat: ws://127.0.0.1:$PORT/chat/ws?token=***: protocol error: a message is larger than --max-frame"

peer sig --token sekrit --silent --record "$TMP/sig.rec"
"$CHATCAT" -u "$URL" --token sekrit send --thread $T1 hi >"$TMP/out" 2>"$TMP/err" &
pid=$!
wait_for "$TMP/sig.rec" frame
kill -INT $pid
wait $pid
RC=$?
check "SIGINT: clean close, exit 130" 130 "" ""
wait_for "$TMP/sig.rec" close
assert "... with a close frame 1000" [ "$(closes "$TMP/sig.rec")" = "1000 " ]
"$CHATCAT" -u "$URL" --token sekrit send --thread $T2 hi >"$TMP/out" 2>"$TMP/err" &
pid=$!
wait_for "$TMP/sig.rec" $T2
kill -TERM $pid
wait $pid
RC=$?
check "SIGTERM: clean close, exit 143" 143 "" ""
finish
