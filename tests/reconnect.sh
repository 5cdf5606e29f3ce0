#!/bin/bash
# Keepalive and pipe --reconnect / --backfill against the independent peer,
# with faults injected by the peer (--faults N limits them to the first N
# connections or upgrades): a drop mid-reply, a close with 1000 or 1012, a
# peer that stops answering pings, a 503 then a welcome, a 401, no server.
# Each case checks the exit status, stderr, and what the peer received.
. "${srcdir:-.}/tests/lib.sh"
plan 47

# contents FILE: the content of every message frame the peer received.
contents() {
	"$PYTHON" -c 'import json, sys
for line in open(sys.argv[1]):
    d = json.loads(line)
    if "frame" in d:
        f = json.loads(d["frame"])
        if f.get("type") == "message":
            print(f["content"])' "$1"
}
# evsum FILE: the closes, reconnects and exit of an --events file, in order:
# "close:OUTCOME:CODE", "reconnect", "exit:STATUS".
evsum() {
	"$PYTHON" -c 'import json, sys
out = []
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e["event"] == "close":
        out.append("close:%s:%d" % (e["outcome"], e["code"]))
    elif e["event"] == "reconnect":
        out.append("reconnect")
    elif e["event"] == "exit":
        out.append("exit:%d" % e["status"])
print(" ".join(out))' "$1"
}
# upgrades FILE: how many upgrade requests the peer saw.
upgrades() { wc -l <"$1" | tr -d ' '; }

for i in 1 2 3; do
	printf '{"type":"message","thread_id":"%s","content":"m%d"}\n' $T1 $i
done >"$TMP/three"
# Peers answer in one part (--parts 1) unless a case needs a reply cut in
# the middle; then "m2" comes as "m" and "2".
PIPE=(--token t --jq 'select(.status == "complete") | .content' -r)
REPLIES=(--token t --jq 'select(.role == "assistant") | .content' -r)

# ------------------------------------------------------------ keepalive
peer nopong --token t --no-pong --delay-first 30
run -u "$URL" --token t --ping-interval 0.2 --ping-timeout 0.3 send --thread $T1 hi
check "no pong within --ping-timeout: exit 14" 14 "~.*message_received.*" "chatcat: $URL/chat/ws?token=***: connection lost (no pong within 0.3 s)"
stop nopong

peer pongs --token t --delay-first 0.5
run -u "$URL" --token t -q --events "$TMP/ev" --ping-interval 0.05 --ping-timeout 0.2 send --thread $T1 hi
check "pings answered: the reply completes" 0 "~(.*\n)+.*\"status\":\"complete\"\}" ""
assert "... and each pong is an event with its round trip" "$PYTHON" -c 'import json, sys
rtts = [e["rtt"] for e in map(json.loads, open(sys.argv[1])) if e["event"] == "pong"]
sys.exit(not (len(rtts) >= 3 and all(0 <= r < 0.2 for r in rtts)))' "$TMP/ev"
stop pongs

peer appping --token t --app-ping
run -u "$URL" --token t -q --jq .type send --thread $T1 hi
check "an application-level ping frame is printed like any frame" 0 '"message_received"\n"ping"\n"message"\n"message"' ""
stop appping

# ---------------------------------------------- drops and closes, pipe
peer drop --token t --drop-after 2 --faults 1 --record "$TMP/drop.rec"
"$CHATCAT" -u "$URL" "${PIPE[@]}" --events "$TMP/ev" --reconnect pipe <"$TMP/three" >"$TMP/out" 2>"$TMP/err"; RC=$?
check "a drop mid-reply: the others go on; the cut reply makes exit 14" 14 "2\n3" "chatcat: warning: thread $T1: a reply was cut off by the drop (--backfill finishes it from the history)"
assert "... events: lost, reconnect, closed by us, exit 14" [ "$(evsum "$TMP/ev")" = "close:lost:1006 reconnect close:ok:1000 exit:14" ]
assert "... the message whose reply had started was not sent again" [ "$(contents "$TMP/drop.rec" | grep -c '^m1$')" = 1 ]
assert "... every other line reached the server (at least once)" [ "$(contents "$TMP/drop.rec" | sort -u | tr '\n' ' ')" = "m1 m2 m3 " ]
stop drop

peer dropb --token t --drop-after 2 --faults 1 --record "$TMP/dropb.rec"
"$CHATCAT" -u "$URL" "${REPLIES[@]}" --reconnect --backfill pipe <"$TMP/three" >"$TMP/out" 2>"$TMP/err"; RC=$?
# The first part (m) was printed before the drop; the stored reply m1 comes
# from the history, then m2 and m3 in their two parts.
check "--backfill: the cut reply comes whole from the history" 0 "m\nm1\nm\n2\nm\n3" ""
assert "... and m1 was sent once" [ "$(contents "$TMP/dropb.rec" | grep -c '^m1$')" = 1 ]
assert "... after the drop the history was asked for" [ "$(frames "$TMP/dropb.rec" | grep -c '"type":"history"')" = 1 ]
stop dropb

# A reply that was still being made when the connection dropped is not in
# the history yet: the backfill finds the message, no finished reply.
peer late --token t --drop-after 2 --faults 1 --store-late
"$CHATCAT" -u "$URL" "${REPLIES[@]}" --reconnect --backfill pipe <"$TMP/three" >"$TMP/out" 2>"$TMP/err"; RC=$?
check "--backfill, the cut reply not stored yet: reported, exit 14, the rest whole" 14 "m\nm\n2\nm\n3" "chatcat: warning: thread $T1: the history holds no finished reply to the message whose reply was cut off (it may still be running, or was interrupted)"
stop late

peer drop0 --token t --parts 1 --drop-after 0 --faults 1 --record "$TMP/drop0.rec"
"$CHATCAT" -u "$URL" "${PIPE[@]}" -v --reconnect pipe <"$TMP/three" >"$TMP/out" 2>"$TMP/err"; RC=$?
check "a drop before any answer: everything is sent again, exit 0" 0 "m1\nm2\nm3" "~(.*\n)*chatcat: $URL/chat/ws\?token=\*\*\*: connection lost \(no close frame\); reconnecting in 0\.[0-9]{3} s \(attempt 1\)\n(.*\n)*chatcat: reconnected(\n.*)*"
assert "... m1 reached the server twice (at least once)" [ "$(contents "$TMP/drop0.rec" | grep -c '^m1$')" = 2 ]
stop drop0

# --events: the same fault, followed as JSON lines; no secret in them.
peer evdrop --token sekrit-token --parts 1 --drop-after 0 --faults 1
"$CHATCAT" -u "$URL" --token sekrit-token --events "$TMP/ev" --reconnect pipe <"$TMP/three" >"$TMP/out" 2>"$TMP/err"; RC=$?
names=$("$PYTHON" -c 'import json, sys
print(" ".join(json.loads(l)["event"] for l in open(sys.argv[1])))' "$TMP/ev")
assert "--events: each step of a drop and a reconnect, in order" [ "$names" = "connecting open sent sent sent close reconnect connecting open sent sent sent complete complete complete close exit" ]
assert "... the drop's close says lost, retry; the exit says done" [ "$("$PYTHON" -c 'import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
c, x = ev[5], ev[-1]
print(c["outcome"], c["retry"], c["by"], x["status"], x["reason"], ev[2]["line"], ev[9]["again"])' "$TMP/ev")" = "lost True nobody 0 done 1 True" ]
assert "... and the token is in none of them" [ "$(grep -c sekrit "$TMP/ev")" = 0 ]
stop evdrop
exec 3>"$TMP/ev3"
peer evfd --token t --parts 1
"$CHATCAT" -u "$URL" --token t --events-fd 3 -q send --thread $T1 hi >/dev/null 2>&1; RC=$?
exec 3>&-
assert "--events-fd 3: the events of a send" [ "$RC $("$PYTHON" -c 'import json, sys
print(" ".join(json.loads(l)["event"] for l in open(sys.argv[1])))' "$TMP/ev3")" = "0 connecting open sent complete close exit" ]
stop evfd
run -u "$URL" --token t --events /nonexistent/dir/ev send hi
check "--events into a directory that does not exist: exit 2" 2 "" "chatcat: --events: /nonexistent/dir/ev: No such file or directory"
run -u "$URL" --token t --events-fd 1 send hi
check "--events-fd 1 is refused: stdout is for data" 2 "" "chatcat: --events-fd: 1 is standard output, which is for data\nTry 'chatcat --help' for more information."

for code in 1000 1012; do
	peer close$code --token t --parts 1 --close $code --close-reason bye --faults 1 --record "$TMP/close.rec"
	"$CHATCAT" -u "$URL" "${PIPE[@]}" -v --events "$TMP/ev" --reconnect pipe <"$TMP/three" >"$TMP/out" 2>"$TMP/err"; RC=$?
	assert "the server closes with $code: events" [ "$(evsum "$TMP/ev")" = "close:ok:$code reconnect close:ok:1000 exit:0" ]
	check "the server closes with $code: a new connection, every reply" 0 "m1\nm2\nm3" "~(.*\n)*chatcat: the server closed the connection \($code bye\); reconnecting in 0\.[0-9]{3} s \(attempt 1\)(\n.*)*"
	assert "... two connections, the first closed by the server with $code" [ "$(closes "$TMP/close.rec" | tr '\n' ' ')" = "$code  1000  " ]
	stop close$code
	rm -f "$TMP/close.rec"
done

peer life --token t --parts 1 --lifetime 0.2 --faults 1 --delay-first 0.4
"$CHATCAT" -u "$URL" "${REPLIES[@]}" --reconnect --backfill pipe <"$TMP/three" >"$TMP/out" 2>"$TMP/err"; RC=$?
check "closed with 1000 after its lifetime while a reply was due: backfilled, then the rest" 0 "m1\nm2\nm3" ""
stop life

peer nopong2 --token t --parts 1 --no-pong --faults 1 --delay-first 0.5
"$CHATCAT" -u "$URL" "${REPLIES[@]}" --events "$TMP/ev" --ping-interval 0.1 --ping-timeout 0.2 --reconnect --backfill pipe <"$TMP/three" >"$TMP/out" 2>"$TMP/err"; RC=$?
check "a peer that stops answering pings: a new connection, nothing lost" 0 "m1\nm2\nm3" ""
assert "... events: lost (no pong), reconnect, exit 0" [ "$(evsum "$TMP/ev")" = "close:lost:1006 reconnect close:ok:1000 exit:0" ]
stop nopong2

# --------------------------------------------------------- refusals
peer busy --token t --parts 1 --refuse 503 --detail "restarting" --faults 1 --record-request "$TMP/busy.req"
"$CHATCAT" -u "$URL" "${PIPE[@]}" --events "$TMP/ev" --reconnect pipe <"$TMP/three" >"$TMP/out" 2>"$TMP/err"; RC=$?
check "503 once, then a welcome: every reply" 0 "m1\nm2\nm3" ""
assert "... events: upgrade refused, reconnect, exit 0" [ "$(evsum "$TMP/ev")" = "close:upgrade:1006 reconnect close:ok:1000 exit:0" ]
assert "... two upgrade requests" [ "$(upgrades "$TMP/busy.req")" = 2 ]
stop busy

peer auth --token right --record-request "$TMP/auth.req"
"$CHATCAT" -u "$URL" --token wrong --events "$TMP/ev" --reconnect pipe <"$TMP/three" >"$TMP/out" 2>"$TMP/err"; RC=$?
assert "401 with --reconnect: events: refused, no reconnect, exit 13" [ "$(evsum "$TMP/ev")" = "close:auth:1006 exit:13" ]
check "401 with --reconnect: exit 13 at once" 13 "" "chatcat: $URL/chat/ws?token=***: authentication rejected (HTTP 401 Unauthorized): Invalid or expired token"
assert "... one upgrade request: a bad credential is not tried again" [ "$(upgrades "$TMP/auth.req")" = 1 ]
stop auth

# A port nothing listens on: take one from a peer, then stop it.
peer gone --token t
GONE=$URL
stop gone
"$CHATCAT" -u "$GONE" --token t --reconnect=2 pipe <"$TMP/three" >"$TMP/out" 2>"$TMP/err"; RC=$?
check "--reconnect=2 and no server: exit 10 after 2 more attempts" 10 "" "chatcat: giving up after 2 failed attempts to reconnect\nchatcat: $GONE/chat/ws?token=***: cannot connect: connection refused"

"$CHATCAT" -u "$GONE" --token t -v --reconnect pipe <"$TMP/three" >"$TMP/out" 2>"$TMP/err" &
pid=$!
wait_for "$TMP/err" "reconnecting in .*attempt 3" 30
kill -TERM $pid
wait $pid; RC=$?
assert "SIGTERM while waiting to reconnect: exit 143 at once" [ $RC = 143 ]

peer deployed --token t --mode deployed --final-status end --drop-after 3 --faults 1
"$CHATCAT" -u "$URL" --token t --reconnect --backfill pipe <"$TMP/three" >"$TMP/out" 2>"$TMP/err"; RC=$?
check "--backfill with a server that sends no ids: the cut is reported, exit 14" 14 "~(.*\n)+.*" "chatcat: warning: thread $T1: a reply was cut off by the drop and has no message id to find it in the history"
stop deployed

# pipe --follow --reconnect: a server that closes every connection with
# 1000 after 0.3 s; the run goes on until -W ends it.
peer short --token t --parts 1 --lifetime 0.3
"$CHATCAT" -u "$URL" "${PIPE[@]}" --events "$TMP/ev" -W 3 --follow --reconnect pipe <"$TMP/three" >"$TMP/out" 2>"$TMP/err"; RC=$?
check "--follow --reconnect: connections closed with 1000 are replaced until -W" 124 "m1\nm2\nm3" "chatcat: timed out after 3 s"
assert "... with a growing delay: connections that close at once are failed attempts" "$PYTHON" -c 'import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
sys.exit(not [e["attempt"] for e in ev if e["event"] == "reconnect"][:2] == [1, 2])' "$TMP/ev"
assert "... at least two reconnects" [ "$(evsum "$TMP/ev" | grep -o reconnect | wc -l)" -ge 2 ]
stop short

# ------------------------------------------------- history asked again
{
	for i in 1 2 3 4; do
		printf '{"thread_id":"%s","role":"user","content":"h%d"}\n' $T2 $i
	done
} >"$TMP/seed"
peer hist --token t --seed "$TMP/seed" --drop-after 2 --faults 1
printf '{"type":"history","thread_id":"%s"}\n' $T2 >"$TMP/hreq"
"$CHATCAT" -u "$URL" --token t --jq .content -r --reconnect pipe <"$TMP/hreq" >"$TMP/out" 2>"$TMP/err"; RC=$?
check "a history cut by a drop is asked again; printed frames are skipped" 0 "h1\nh2\nh3\nh4" ""
stop hist

# ------------------------------------------------------------ usage
run -u "$URL" --token t --reconnect send hi
check "--reconnect is for pipe" 2 "" "chatcat: --reconnect does not apply to send\nTry 'chatcat --help' for more information."
run -u "$URL" --token t --backfill pipe
check "--backfill needs --reconnect" 2 "" "chatcat: --backfill needs --reconnect\nTry 'chatcat --help' for more information."
run -u "$URL" --token t --reconnect=x pipe
check "--reconnect=N needs a number" 2 "" "~chatcat: --reconnect: .*\nTry 'chatcat --help' for more information."
run -u "$URL" --token t --ping-timeout -1 send hi
check "--ping-timeout needs seconds" 2 "" "~chatcat: --ping-timeout: invalid number of seconds: '-1'\nTry 'chatcat --help' for more information."

# -------------------------------------- without --reconnect, as before
peer plain --token t --drop-after 2
"$CHATCAT" -u "$URL" "${PIPE[@]}" pipe <"$TMP/three" >"$TMP/out" 2>"$TMP/err"; RC=$?
check "without --reconnect a drop ends the run: exit 14" 14 "" "chatcat: $URL/chat/ws?token=***: connection lost (no close frame)"
stop plain
# stdin ends while the input is paused for a reconnection, nothing
# pending: the run ends at once (it waited for the server to be back).
peer gone --token t
mkfifo "$TMP/gone.in"
timeout 10 "$CHATCAT" -u "$URL" --token t --reconnect -v pipe <"$TMP/gone.in" \
    >"$TMP/out" 2>"$TMP/err" &
GONE=$!
exec 7>"$TMP/gone.in"
printf '{"type":"message","thread_id":"%s","content":"x"}\n' $T1 >&7
wait_for "$TMP/out" '"status":"complete"' 10 && stop gone
wait_for "$TMP/err" 'reconnecting in' 10
exec 7>&-
wait $GONE; RC=$?
assert "stdin's end while reconnecting with nothing pending: exit 0 at once" \
    [ "$RC" = 0 ]
finish
