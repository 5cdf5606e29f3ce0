#!/bin/bash
# Completion from evidence (chatcat(1), COMPLETION): a pause inside a
# reply, a slow history, a history and a message on one thread, a message
# never answered, and silence, against chatcat serve (which signals the
# end of replies and histories) and against a peer that behaves like the
# deployed server (serial, token frames, no end marker, replayed history
# frames marked complete, unknown types answered with an error).
. "${srcdir:-.}/tests/lib.sh"
plan 51

msg() { printf '{"type":"message","thread_id":"%s","content":"%s"}' "$1" "$2"; }
hist() { printf '{"type":"history","thread_id":"%s"}' "$1"; }
# rules FILE: the kind and rule of each "complete" event, one a line.
rules() {
	"$PYTHON" -c 'import json, sys
for line in open(sys.argv[1]):
    d = json.loads(line)
    if d["event"] == "complete":
        print(d["kind"], d["rule"])' "$1"
}
EV="$TMP/ev"

# --- chatcat serve: it signals completion; no pause is too long ---------
serve tool --db "$TMP/tool.db" --agent-cmd 'echo part1; sleep 3.5; echo part2'
C=(-u "$URL" --token "$TOKEN")
run "${C[@]}" --events "$EV" --jq 'select(.role == "assistant") | .content' -j send --thread $T1 x
check "serve, a 3.5 s pause inside the reply: the whole reply, exit 0" 0 "part1\npart2" ""
assert "... ended by the reply's status complete" [ "$(rules "$EV")" = "message status complete" ]

printf 'q1\nq2\n' >"$TMP/in"
"$CHATCAT" "${C[@]}" --events "$EV" -R --thread $T1 --jq 'select(.role == "assistant") | .content' -j pipe <"$TMP/in" >"$TMP/out" 2>"$TMP/err"; RC=$?
check "serve, pipe of two messages with pauses: both whole replies, exit 0" 0 "part1\npart2\npart1\npart2" ""
assert "... each ended by its own status complete" [ "$(rules "$EV")" = "$(printf 'message status complete\nmessage status complete')" ]
stop tool

serve echo --db "$TMP/echo.db"
C=(-u "$URL" --token "$TOKEN")
run "${C[@]}" --events "$EV" -q send --thread $T2 hello
check "serve's echo agent: the reply, exit 0" 0 "~\{\"type\":\"message_received\".*\n(\{\"type\":\"message\".*\n)*.*\"status\":\"complete\"\}" ""
assert "... ended by status complete, not by silence" [ "$(rules "$EV")" = "message status complete" ]
run "${C[@]}" --events "$EV" history $T2
check "serve's history: two stored messages, exit 0" 0 "~(\{\"type\":\"message\".*\n?){2}" ""
assert "... ended by history_end" [ "$(rules "$EV")" = "history history_end" ]

stop echo

# --- a peer like the deployed server -----------------------------------
peer dep --token t --mode deployed --tool-pause 3.5 --record "$TMP/dep.rec"
run -u "$URL" --token t --events "$EV" --jq 'select(.type == "token" or .type == "tool") | .type + ":" + .content' -r send --thread $T1 abcdef
check "deployed, a 3.5 s tool call inside the reply: the whole reply, exit 0" 0 "token:ab\ntool:\ntoken:cd\ntoken:ef" ""
assert "... ended by the fence's answer" [ "$(rules "$EV")" = "message fence" ]
assert "... the fence went right after the message" [ "$(all_frames "$TMP/dep.rec" | sed 's/fence-[0-9a-f]\{32\}/F/' | tail -2)" = "$(msg $T1 abcdef | sed 's/"content"/"agent_id":null,"content"/')
{\"type\":\"F\"}" ]
run -u "$URL" --token t --fence --jq 'select(.type == "token") | .content' -j send --thread $T1 abcdef
check "deployed, the same with --fence" 0 "abcdef" ""
run -u "$URL" --token t --no-fence -W 1 --jq .type -r send --thread $T1 abcdef
check "deployed, --no-fence: silence is no evidence, --timeout ends it" 124 "step\ntoken\ntool" "chatcat: timed out after 1 s"
run -u "$URL" --token t --no-fence --idle 0.5 -W 10 --jq .type -r send --thread $T1 abcdef
check "deployed, --no-fence --idle 0.5: ended by silence, said, exit 20" 20 "step\ntoken\ntool" "chatcat: warning: 0.5 s without a frame: the reply may be incomplete (--idle)"
run -u "$URL" --token t --no-fence --idle 0.5 -q -W 10 --jq .type -r send --thread $T1 abcdef
check "... -q: not said, still exit 20" 20 "step\ntoken\ntool" ""
printf '%s\n%s\n' "$(msg $T1 abc)" "$(msg $T2 def)" >"$TMP/in"
"$CHATCAT" -u "$URL" --token t --events "$EV" --jq 'select(.type == "token") | .content' -j pipe <"$TMP/in" >"$TMP/out" 2>"$TMP/err"; RC=$?
check "deployed, pipe of two messages each with a 3.5 s tool call: both whole, exit 0" 0 "abcdef" ""
assert "... each ended by its fence" [ "$(rules "$EV")" = "$(printf 'message fence\nmessage fence')" ]
stop dep

peer slowh --token t --mode deployed --history-delay 1.5
run -u "$URL" --token t --events "$EV" history $T2
check "deployed, history starting 1.5 s late, empty thread: nothing, exit 0" 0 "" ""
assert "... ended by the fence's answer, not by silence" [ "$(rules "$EV")" = "history fence" ]
run -u "$URL" --token t --fence -q send --thread $T2 hi
run -u "$URL" --token t --events "$EV" --jq '.type' -r history $T2
check "deployed, history starting 1.5 s late: every frame, exit 0" 0 "user\ntoken" ""
run -u "$URL" --token t --fence --jq '.type' -r history $T2
check "... the same with --fence" 0 "user\ntoken" ""
printf '%s\n%s\n' "$(hist $T2)" "$(hist $T1)" >"$TMP/in"
"$CHATCAT" -u "$URL" --token t --events "$EV" --jq '.type' -r pipe <"$TMP/in" >"$TMP/out" 2>"$TMP/err"; RC=$?
check "... in pipe, a slow history and a slow empty one: exit 0" 0 "user\ntoken" ""
assert "... each ended by its fence" [ "$(rules "$EV")" = "$(printf 'history fence\nhistory fence')" ]
run -u "$URL" --token t --no-fence --idle 0.3 -W 10 --jq '.type' -r history $T2
check "deployed, --no-fence --idle: its clock starts at the first frame" 20 "user\ntoken" "chatcat: warning: 0.3 s without a frame: the history may be incomplete (--idle)"
stop slowh

printf '{"thread_id":"%s","role":"%s","content":"old %s"}\n' $T1 user question $T1 assistant answer >"$TMP/seed"
peer hm --token t --mode deployed --seed "$TMP/seed"
printf '%s\n%s\n' "$(hist $T1)" "$(msg $T1 new)" >"$TMP/in"
"$CHATCAT" -u "$URL" --token t --events "$EV" --jq '.type + ":" + .content' -r pipe <"$TMP/in" >"$TMP/out" 2>"$TMP/err"; RC=$?
check "deployed, history then message on one thread: the replayed 'complete' frames end nothing" 0 "user:old question\ntoken:old answer\nstep:\ntoken:n\ntoken:e\ntoken:w" ""
assert "... each request ended by its own fence" [ "$(rules "$EV")" = "$(printf 'history fence\nmessage fence')" ]
"$CHATCAT" -u "$URL" --token t --fence --events "$EV" --jq '.type' -r pipe <"$TMP/in" >"$TMP/out" 2>"$TMP/err"; RC=$?
check "... the same with --fence" 0 "user\ntoken\nuser\ntoken\nstep\ntoken\ntoken\ntoken" ""
stop hm

peer unk --token t --mode deployed --ignore-agent $AGENT
run -u "$URL" --token t send --agent $AGENT --thread $T1 hello
check "deployed, a message it never answers: no reply, exit 21" 21 "" "chatcat: no reply: the server answered the fence sent after the message, but not the message"
run -u "$URL" --token t --fence -q send --agent $AGENT --thread $T1 hello
check "... the same with --fence and -q" 21 "" "chatcat: no reply: the server answered the fence sent after the message, but not the message"
printf '{"type":"message","thread_id":"%s","agent_id":"%s","content":"lost"}\n%s\n' $T1 $AGENT "$(msg $T1 ok)" >"$TMP/in"
"$CHATCAT" -u "$URL" --token t --events "$EV" --jq 'select(.type == "token") | .content' -j pipe <"$TMP/in" >"$TMP/out" 2>"$TMP/err"; RC=$?
check "... in pipe: its stdin line named, the next message answered, exit 21" 21 "ok" "chatcat: stdin:1: no reply: the server answered the fence sent after the message, but not the message"
assert "... events: no reply, then fence" [ "$(rules "$EV")" = "$(printf 'message no reply\nmessage fence')" ]
stop unk

peer end --token t --mode deployed --final-status end --record "$TMP/end.rec"
printf '%s\n%s\n' "$(msg $T1 ab)" "$(msg $T2 cd)" >"$TMP/in"
"$CHATCAT" -u "$URL" --token t --events "$EV" pipe <"$TMP/in" >"$TMP/out" 2>"$TMP/err"; RC=$?
check "deployed with status end: each ends on it; later fence answers are not errors" 0 "~(\{\"type\":\"(step|token)\".*\n){7}.*\"status\":\"end\".*" ""
assert "... ended by status end, twice" [ "$(rules "$EV")" = "$(printf 'message status end\nmessage status end')" ]
stop end

# Frames that name no thread answer no request.
peer greet --token t --mode deployed --ignore-agent $AGENT --greeting '{"type":"connected","status":"processing"}'
run -u "$URL" --token t send --agent $AGENT --thread $T1 hello
check "a greeting naming no thread is not a reply: no reply, exit 21" 21 '{"type":"connected","status":"processing"}' "chatcat: no reply: the server answered the fence sent after the message, but not the message"
stop greet
peer greet2 --token t --mode deployed --greeting '{"type":"status","status":"complete","content":"connected"}'
run -u "$URL" --token t --events "$EV" --jq '.type + ":" + .content' -r send --thread $T1 abc
check "a greeting naming no thread with status complete ends nothing" 0 "status:connected\nstep:\ntoken:a\ntoken:b\ntoken:c" ""
assert "... the reply ended by its fence" [ "$(rules "$EV")" = "message fence" ]
stop greet2

# An error naming a type sent as it is answers that value, not a request.
peer other --token t --mode deployed
printf '%s\n{"type":"typing","thread_id":"%s"}\n%s\n' "$(msg $T1 ab)" $T1 "$(msg $T1 cd)" >"$TMP/in"
"$CHATCAT" -u "$URL" --token t --events "$EV" --jq 'select(.type == "token") | .content' -j pipe <"$TMP/in" >"$TMP/out" 2>"$TMP/err"; RC=$?
check "pipe: an unknown type between two messages: its error is its own, both replies whole, exit 1" 1 "abcd" "chatcat: server error: Unknown message type: typing"
assert "... events: each message ended by its fence" [ "$(rules "$EV")" = "$(printf 'message fence\nmessage fence')" ]
stop other

# An error naming a thread that has nothing pending answers nothing pending.
peer lateerr --token t --late-error "late trouble"
printf '%s\n%s\n' "$(msg $T1 ab)" "$(msg $T2 cd)" >"$TMP/in"
"$CHATCAT" -u "$URL" --token t --events "$EV" --jq 'select(.role == "assistant") | .content' -j pipe <"$TMP/in" >"$TMP/out" 2>"$TMP/err"; RC=$?
check "an error for a thread with nothing pending: the other thread's reply whole, exit 1" 1 "~ab.*cd.*" "~chatcat: server error: late trouble(\nchatcat: server error: late trouble)?"
assert "... both messages ended by status complete" [ "$(rules "$EV")" = "$(printf 'message status complete\nmessage status complete')" ]
stop lateerr

# A serial server whose unknown-type error does not repeat the type.
peer nameless --token t --unknown-text "Unknown message type" --no-history-end
printf '%s\n%s\n%s\n' "$(msg $T1 abc)" "$(msg $T1 def)" "$(hist $T1)" >"$TMP/in"
"$CHATCAT" -u "$URL" --token t --events "$EV" --jq 'select(.role == "assistant") | .content' -j pipe <"$TMP/in" >"$TMP/out" 2>"$TMP/err"; RC=$?
check "a server whose unknown-type error names no type: every answer whole, no server error, exit 0" 0 "abcdefabcdef" ""
assert "... events: two replies by status, the history by its fence" [ "$(rules "$EV")" = "$(printf 'message status complete\nmessage status complete\nhistory fence')" ]
stop nameless

# A server that answers side by side: once it answered a fence before the
# end of an acknowledged reply, no fence ends anything.
peer side --token t --concurrent --no-history-end --history-delay 0.5 --delay-first 0.5
printf '%s\n%s\n' "$(msg $T1 abc)" "$(hist $T1)" >"$TMP/in"
"$CHATCAT" -u "$URL" --token t --events "$EV" -W 3 --jq .type -r pipe <"$TMP/in" >"$TMP/out" 2>"$TMP/err"; RC=$?
check "side by side, no history_end: the history is not ended by a fence, --timeout is" 124 "~message_received\n(message\n)*message.*" "chatcat: timed out after 3 s"
assert "... only the message completed" [ "$(rules "$EV")" = "message status complete" ]
stop side

# --- a peer of the documented dialect ----------------------------------
peer doc --token t --tool-pause 3.5 --no-history-end --history-delay 1.5
run -u "$URL" --token t --events "$EV" --jq 'select(.role == "assistant") | .content' -j send --thread $T1 abcdef
check "doc, acknowledged, a 3.5 s pause: the whole reply, exit 0" 0 "abcdef" ""
assert "... ended by status complete (the fence's later answer is dropped)" [ "$(rules "$EV")" = "message status complete" ]
run -u "$URL" --token t --events "$EV" --jq '.content' -j history $T1
check "doc without history_end, 1.5 s late: every frame, exit 0" 0 "abcdefabcdef" ""
assert "... ended by the fence's answer" [ "$(rules "$EV")" = "history fence" ]
stop doc

# Once the server has acknowledged a message, no more fences are sent.
peer once --token t --record "$TMP/once.rec"
mkfifo "$TMP/fifo"
"$CHATCAT" -u "$URL" --token t --thread $T2 -R pipe <"$TMP/fifo" >"$TMP/out" 2>"$TMP/err" &
cpid=$!
exec 7>"$TMP/fifo"
echo first >&7
wait_for "$TMP/out" '"status":"complete"' 10
echo second >&7
exec 7>&-
wait "$cpid"; RC=$?
check "doc, pipe fed slowly: both replies, exit 0" 0 "~(.*\n)*.*\"content\":\"nd\".*\"status\":\"complete\"\}" ""
assert "... a fence after the first message only" [ "$(all_frames "$TMP/once.rec" | sed 's/fence-[0-9a-f]\{32\}/F/')" = "$(printf '%s\n{"type":"F"}\n%s' "$(msg $T2 first | sed 's/"content"/"agent_id":null,"content"/')" "$(msg $T2 second | sed 's/"content"/"agent_id":null,"content"/')")" ]
stop once

peer noend --token t --final-status none
run -u "$URL" --token t -W 1 send --thread $T1 abc
check "doc, acknowledged but never complete: waits for the signal, exit 124" 124 "~\{\"type\":\"message_received\".*\n(.*\"processing\"\}\n?){3}" "chatcat: timed out after 1 s"
stop noend

# A reply that arrived while chatcat was stopped (Ctrl-Z, a suspended
# laptop) is read before --idle judges the silence: the frames waiting in
# the socket are the evidence.  chatcat is stopped after the first part,
# while the rest comes (parts 1.2 s apart) and --idle's 0.8 s pass.
peer gaps --token t --gap 1.2
"$CHATCAT" -u "$URL" --token t --idle 0.8 --jq .content -r send --thread $T1 abc \
    >"$TMP/out" 2>"$TMP/err" </dev/null &
cpid=$!
wait_for "$TMP/out" '.'
kill -STOP $cpid
sleep 3  # the time that passes while chatcat is stopped: not a wait for an event
kill -CONT $cpid
wait $cpid
RC=$?
check "frames that came while chatcat was stopped are read before --idle fires: exit 0" 0 "null\na\nb\nc" ""
stop gaps

finish
