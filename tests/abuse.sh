#!/bin/bash
# chatcat serve driven as an attacker (and an unusual but honest client)
# would: credentials and refusals, agents kept inside their job, memory
# and CPU bounds (each with the figure it asserts), and the client's side
# of the same (a ping flood, -W, controls in server text).
. "${srcdir:-.}/tests/lib.sh"
plan 57

RAWCLIENT=$(dirname "$PEER")/rawclient.py
CLIENT=$(dirname "$PEER")/wsclient.py
# cpu_s PID: user + system seconds (peak_kb is in lib.sh).
cpu_ticks() { awk '{print $14 + $15}' /proc/$1/stat; }
cpu_s() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' /proc/$1/stat; }
# assert_cpu DESC SECS LIMIT: like assert_rss, for CPU time.
assert_cpu() {
	if [ "${CHATCAT_SANITIZED:-no}" = yes ] || [ -n "${CHATCAT_UNDER:-}" ]; then
		skip "$1" "CPU time ($2 s) is not measured under sanitizers"
	else
		assert "$1" awk -v a="$2" -v b="$3" 'BEGIN { exit !(a < b) }'
	fi
}
# alive PID: whether PID is a live process (not a zombie).
alive() { [ -e /proc/$1 ] && ! grep -q '^State:.*Z' /proc/$1/status 2>/dev/null; }
# gone_within SECS PID: wait until PID is gone.
gone_within() {
	local deadline=$((SECONDS + $1))
	while alive "$2"; do
		[ $SECONDS -ge $deadline ] && return 1
		sleep 0.02
	done
}
ms() { date +%s%3N; }
# refused ARGS...: like run, for a serve that must not start: a server
# that does start anyway is stopped after 10 s, so the case fails.
refused() {
	timeout 10 "$CHATCAT" "$@" >"$TMP/out" 2>"$TMP/err" </dev/null
	RC=$?
}

# --- credentials and refusals ------------------------------------------------
refused serve --listen 127.0.0.1:0 --db "$TMP/x.db" --token ''
check "serve --token '' (an unset variable): refused, exit 2, no ready line" 2 "" "chatcat: serve: --token: the credential is empty"
refused serve --listen 127.0.0.1:0 --db "$TMP/x.db" --api-key ''
check "serve --api-key '': refused too" 2 "" "chatcat: serve: --api-key: the credential is empty"
refused serve --listen 127.0.0.1:0 --db "$TMP/x.db" --api-key not-a-uuid
check "serve --api-key must be a UUID, as in --auth-file" 2 "" "chatcat: serve: --api-key: an API key must be a UUID"

serve ref --db "$TMP/ref.db" --token sekrit-token -v
"$PYTHON" "$CLIENT" "$URL" refusal >"$TMP/out" 2>"$TMP/err"; RC=$?
check "python3-websockets sees the 401 (not InvalidMessage) and its detail" 0 "legacy: InvalidStatusCode 401\n401 application/json Missing token parameter" ""
"$PYTHON" "$CLIENT" "${URL%/chat/ws}/nowhere?token=sekrit-token" refusal >"$TMP/out" 2>"$TMP/err"; RC=$?
check "... and the 404 with its detail" 0 "legacy: InvalidStatusCode 404\n404 application/json Not Found" ""
"$PYTHON" - "$PORT" >"$TMP/out" 2>"$TMP/err" <<'EOF'; RC=$?
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"GET /chat/ws?token=bad HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
          b"Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
          b"Sec-WebSocket-Version: 13\r\n\r\n")
data = b""
while True:
    chunk = s.recv(4096)
    if not chunk:
        break
    data += chunk
print(data.decode().replace("\r\n", "|"))
EOF
check "the refusal: HTTP/1.1, Content-Type, Content-Length, Connection: close, then the connection closes" 0 'HTTP/1.1 401 Unauthorized|Content-Type: application/json|Content-Length: 37|Connection: close||{"detail":"Invalid or expired token"}' ""
"$PYTHON" "$CLIENT" "$URL?token=" status >"$TMP/out" 2>"$TMP/err"; RC=$?
check "an empty ?token= is refused" 0 '401 application/json {"detail":"Invalid or expired token"}' ""
assert "-v logs each refusal: the peer, the status, the reason" grep -qE "^chatcat: serve: refused 127\.0\.0\.1:[0-9]+: 401 Missing token parameter$" "$TMP/ref.err"
assert "... and never the credential" [ "$(grep -c 'sekrit-token\|token=bad' "$TMP/ref.err")" = 0 ]
stop ref

head -c 4096 /dev/zero | tr '\0' t >"$TMP/long.token"
printf 'token %s\n' "$(cat "$TMP/long.token")" >"$TMP/long.auth"
serve long --db "$TMP/long.db" --auth-file "$TMP/long.auth"
run -u "$URL" --token-file "$TMP/long.token" -q --jq '.content // empty' -r send --thread $T1 long token
check "a 4096-byte token (the documented limit) authenticates" 0 "long \ntoken" ""
stop long
printf 'token %s\n' "$(head -c 4097 /dev/zero | tr '\0' t)" >"$TMP/long.auth"
refused serve --listen 127.0.0.1:0 --db "$TMP/long.db" --auth-file "$TMP/long.auth"
check "a 4097-byte token in an auth file is refused at start" 2 "" "chatcat: $TMP/long.auth:1: a token is longer than 4096 bytes"

if "$PYTHON" -c 'import socket; socket.socket(socket.AF_INET6).bind(("::1", 0))' 2>/dev/null; then
	: >"$TMP/v6.out"
	"$CHATCAT" serve --listen '[::1]:0' --db "$TMP/v6.db" --token t >"$TMP/v6.out" 2>"$TMP/v6.err" &
	PIDS="$PIDS $!"
	v6_PID=$!
	wait_for "$TMP/v6.out" '^CHATCAT_URL='
	assert "--listen [::1]:0: the ready line has the address in brackets and the real port" grep -qE '^CHATCAT_URL=ws://\[::1\]:[1-9][0-9]*/chat/ws$' "$TMP/v6.out"
	V6URL=$(sed 's/^CHATCAT_URL=//' "$TMP/v6.out")
	run -u "$V6URL" --token t -q --jq '.content // empty' -r send --thread $T1 over six
	check "... and it listens there, on IPv6" 0 "over \nsix" ""
	stop v6
else
	skip "--listen [::1]:0: the ready line has the address in brackets and the real port" "no IPv6 loopback"
	skip "... and it listens there, on IPv6" "no IPv6 loopback"
fi
refused serve --listen ::1:0 --db "$TMP/x.db"
check "--listen ::1:0: an IPv6 address needs brackets, exit 2" 2 "" "chatcat: --listen: an IPv6 address goes in brackets, as in [::1]:8765; got '::1:0'"
refused serve --listen 192.0.2.1:0 --db "$TMP/x.db" --token t
check "an address not on this host: no ready line, the reason, exit 30" 30 "" "chatcat: serve: cannot listen on 192.0.2.1:0: Cannot assign requested address"
serve first --db "$TMP/held.db" --token t
refused serve --listen 127.0.0.1:0 --db "$TMP/held.db" --token t
check "a second server on the same database: says another holds it, exit 2" 2 "" "chatcat: $TMP/held.db: cannot open the database: another server holds it (--db picks another database)"
stop first

# --- agents contained ----------------------------------------------------------
CHATCAT_TOKEN=sekrit-env serve env --db "$TMP/env.db" --agent-cmd 'env'
run -u "$URL" --token sekrit-env -q --jq 'select(.status == "complete") | 1' send --thread $T1 x
"$CHATCAT" -u "$URL" --token sekrit-env --jq 'select(.role == "assistant") | .content' -r history $T1 >"$TMP/env.txt"
assert "an agent that runs env: its reply names its job ..." grep -q '^CHATCAT_JOB_ID=' "$TMP/env.txt"
assert "... but holds neither CHATCAT_TOKEN nor CHATCAT_API_KEY" [ "$(grep -c 'CHATCAT_TOKEN\|CHATCAT_API_KEY\|sekrit-env\|aaaaaaaa' "$TMP/env.txt")" = 0 ]
stop env

serve esc --db "$TMP/esc.db" --token t --agent-timeout 0.5 --agent-cmd "setsid sh -c 'echo \$\$ >\"$TMP/esc.pid\"; exec sleep 100' & sleep 100"
t0=$(ms)
run -u "$URL" --token t -q --jq 'select(.type == "error") | .message' -r send --thread $T1 x
t1=$(ms)
check "an agent with a setsid child, past --agent-timeout 0.5: the error" 1 "agent timed out after 0.5 s" "chatcat: server error: agent timed out after 0.5 s"
assert "... on time ($((t1 - t0)) ms, under 1500)" [ $((t1 - t0)) -lt 1500 ]
assert "... and the child that left the group was killed too" gone_within 3 "$(cat "$TMP/esc.pid")"
stop esc

serve bg --db "$TMP/bg.db" --token t --agent-cmd "sleep 100 & echo \$! >\"$TMP/bg.pid\"; printf done"
t0=$(ms)
run -u "$URL" --token t -q --jq '.content // empty' -r send --thread $T1 x
t1=$(ms)
check "an agent whose background child keeps stdout open: the reply ends when the agent exits" 0 "done\n" ""
assert "... at once ($((t1 - t0)) ms, under 1000)" [ $((t1 - t0)) -lt 1000 ]
assert "... and the child is killed" gone_within 3 "$(cat "$TMP/bg.pid")"
stop bg

serve hold --db "$TMP/hold.db" --token t --agent-timeout 0.5 --agent-cmd "(setsid sleep 100 &); sleep 100"
t0=$(ms)
run -u "$URL" --token t -q --jq 'select(.type == "error") | .message' -r send --thread $T1 x
t1=$(ms)
check "a timed-out agent whose escaped descendant holds stdout: the error comes on time" 1 "agent timed out after 0.5 s" "chatcat: server error: agent timed out after 0.5 s"
assert "... ($((t1 - t0)) ms, under 1500)" [ $((t1 - t0)) -lt 1500 ]
stop hold

serve k9 --db "$TMP/k9.db" --token t --agent-cmd "echo \$\$ >\"$TMP/k9.pid\"; exec sleep 100"
"$CHATCAT" -u "$URL" --token t -q send --thread $T1 x >/dev/null 2>&1 &
cp=$!
wait_for "$TMP/k9.pid" '^[0-9]+$'
apid=$(cat "$TMP/k9.pid")
assert "kill -9 of the server: its agent ($apid) ran before" alive "$apid"
kill -9 "$k9_PID"
wait "$k9_PID" 2>/dev/null
wait $cp
assert "... and dies with it" gone_within 3 "$apid"

serve term --db "$TMP/term.db" --token t --agent-cmd "trap '' TERM; echo \$\$ >\"$TMP/term.pid\"; while :; do sleep 0.05; done"
"$CHATCAT" -u "$URL" --token t -q send --thread $T1 x >/dev/null 2>&1 &
cp=$!
wait_for "$TMP/term.pid" '^[0-9]+$'
t0=$(ms)
stop term
t1=$(ms)
wait $cp
assert "SIGTERM with an agent that ignores SIGTERM: exit 0 within the 3 s grace ($((t1 - t0)) ms, under 4500)" [ "$RC" = 0 -a $((t1 - t0)) -lt 4500 ]
assert "... and the agent was killed" gone_within 3 "$(cat "$TMP/term.pid")"

serve busy --db "$TMP/busy.db" --token t --agent-cmd 'sleep 30'
"$PYTHON" - "$URL?token=t" $T1 >"$TMP/out" 2>"$TMP/err" <<'EOF'; RC=$?
import asyncio, json, sys, time, websockets
async def main():
    async with websockets.connect(sys.argv[1]) as ws:
        await ws.send(json.dumps({"type": "message", "thread_id": sys.argv[2],
                                  "content": "x"}))
        await ws.recv()  # message_received: the job runs
        t = time.monotonic()
        await ws.close()
        print("closed" if time.monotonic() - t < 0.3 else
              "slow close: %.2f s" % (time.monotonic() - t))
asyncio.run(main())
EOF
check "while a job runs, the client's close is answered at once (under 0.3 s)" 0 "closed" ""
for i in $(seq 1 400); do
	printf '{"type":"message","thread_id":"%s","content":"%01000d"}\n' $T2 $i
done >"$TMP/backlog.in"
mkfifo "$TMP/backlog"
"$CHATCAT" -u "$URL" --token t pipe <"$TMP/backlog" >"$TMP/out" 2>"$TMP/err" &
cp=$!
exec 9>"$TMP/backlog"
cat "$TMP/backlog.in" >&9
wait_for "$TMP/out" message_received
sleep 0.3  # the 400 KB behind it are sent
t0=$(ms)
kill -INT $cp
wait $cp
RC=$?
t1=$(ms)
exec 9>&-
check "... also behind 400 KB of requests waiting for that job: SIGINT ends pipe" 130 "~.*" ""
assert "... at once ($((t1 - t0)) ms, under 300: the server read the close)" [ $((t1 - t0)) -lt 300 ]
stop busy

# --- memory and CPU bounds --------------------------------------------------------
serve echo --db "$TMP/echo.db" --token t
"$PYTHON" "$RAWCLIENT" 127.0.0.1 $PORT t echo $T1 2000000 >"$TMP/out" 2>"$TMP/err"; RC=$?
check "the echo agent, 2 MB of short words: 1024 parts, all of it" 0 "parts 1024 complete 2000000" ""
assert_rss "... peak RSS $(peak_kb $echo_PID) kB, under 48 MiB (was 266 MiB)" "$(peak_kb $echo_PID)" 49152
assert_cpu "... server CPU $(cpu_s $echo_PID) s, under 2 s" "$(cpu_s $echo_PID)" 2
stop echo

serve flood --db "$TMP/flood.db" --token t --max-frame 4194304 --agent-cmd 'head -c 200000000 /dev/zero | tr "\0" a'
run -u "$URL" --token t -q --jq 'select(.type == "error") | .message' -r send --thread $T1 x
check "an agent that writes 200 MB, --max-frame 4 MiB: cut at the cap, ended by an error frame" 1 "reply too large: cut at 4194048 bytes" "chatcat: server error: reply too large: cut at 4194048 bytes"
assert_rss "... peak RSS $(peak_kb $flood_PID) kB, under 48 MiB (was 393 MiB)" "$(peak_kb $flood_PID)" 49152
assert_cpu "... server CPU $(cpu_s $flood_PID) s, under 3 s" "$(cpu_s $flood_PID)" 3
run -u "$URL" --token t --max-frame 4194304 --jq '[.role, (.content | length), .status]' history $T1
check "... and the history (read with the same --max-frame) still serves it" 0 '["user",1,null]\n["assistant",4194048,"failed"]' ""
stop flood

serve cap --db "$TMP/cap.db" --token t --max-reply 10 --agent-cmd 'printf "0123456789abcdef"'
run -u "$URL" --token t --jq '[.type, .content // .message] | join("|")' -r send --thread $T1 x
check "--max-reply 10: the reply is cut at 10 bytes, then an error frame" 1 "~message_received\|\nmessage\|0123456789\nerror\|reply too large: cut at 10 bytes" "chatcat: server error: reply too large: cut at 10 bytes"
stop cap

serve max --db "$TMP/max.db" --token t --max-frame 100000
"$PYTHON" - $T1 >"$TMP/max.in" <<'EOF'
import json, sys
head = '{"type":"message","thread_id":"%s","content":"' % sys.argv[1]
print(head + "x" * (100000 - len(head) - 2) + '"}')
EOF
run_in "$(cat "$TMP/max.in")" -u "$URL" --token t pipe
check "a message of --max-frame bytes whose history frame would not fit: refused, not stored" 1 '~\{"type":"error","message":"Message too large to store: .*\}' "chatcat: server error: Message too large to store: its content is 99918 bytes as JSON, over 99744 (--max-frame 100000 less 256 for the history frame)"
run -u "$URL" --token t --max-frame 100000 history $T1
check "... so the history of its thread still works" 0 "" ""
stop max

serve part --db "$TMP/part.db" --token t --max-frame 3000000
mkfifo "$TMP/part.hold"
"$PYTHON" "$RAWCLIENT" 127.0.0.1 $PORT t partial 10 2900000 <"$TMP/part.hold" >"$TMP/part.out" 2>&1 &
pp=$!
exec 9>"$TMP/part.hold"
wait_for "$TMP/part.out" '^closed' 60
n1013=$(grep -o 1013 "$TMP/part.out" | wc -l)
assert "10 unfinished messages of 2.9 MB (--max-frame 3 MB): the 4-frame budget closes $n1013 with 1013" [ "$n1013" -ge 6 ]
assert_rss "... peak RSS $(peak_kb $part_PID) kB, under 32 MiB" "$(peak_kb $part_PID)" 32768
exec 9>&-
wait $pp
run -u "$URL" --token t -q --jq '.content // empty' -r send --thread $T1 still here
check "... and the server still answers" 0 "still \nhere" ""
stop part

: >"$TMP/fd.out"
(ulimit -n 64 && exec "$CHATCAT" serve --listen 127.0.0.1:0 --db "$TMP/fd.db" --token t) >"$TMP/fd.out" 2>"$TMP/fd.err" &
fd_PID=$!
PIDS="$PIDS $fd_PID"
wait_for "$TMP/fd.out" '^CHATCAT_URL='
PORT=$(sed -n 's/.*:\([0-9]*\)\/chat.*/\1/p' "$TMP/fd.out")
mkfifo "$TMP/fd.hold"
"$PYTHON" "$RAWCLIENT" 127.0.0.1 $PORT t hold 80 <"$TMP/fd.hold" >"$TMP/fdc.out" 2>&1 &
pp=$!
exec 9>"$TMP/fd.hold"
wait_for "$TMP/fdc.out" '^held'
c0=$(cpu_ticks $fd_PID)
sleep 2
c1=$(cpu_ticks $fd_PID)
assert_cpu "ulimit -n 64 and 80 connections held: no spinning at the limit ($((c1 - c0)) ticks in 2 s, under 0.2 s)" "$(awk -v t=$((c1 - c0)) -v hz="$(getconf CLK_TCK)" 'BEGIN { print t / hz }')" 0.2
exec 9>&-
wait $pp
run -u "ws://127.0.0.1:$PORT/chat/ws" --token t -q --jq '.content // empty' -r send --thread $T1 room again
check "... and once they are gone the server accepts and answers again" 0 "room \nagain" ""
stop fd

mkdir "$TMP/running"
serve jobs --db "$TMP/jobs.db" --token t --max-jobs 2 --agent-cmd "touch '$TMP/running/'\$CHATCAT_JOB_ID; ls '$TMP/running' | wc -l >>'$TMP/jobs.log'; sleep 0.3; rm '$TMP/running/'\$CHATCAT_JOB_ID; printf ok"
"$PYTHON" "$RAWCLIENT" 127.0.0.1 $PORT t leave $T1 8 >"$TMP/out" 2>"$TMP/err"; RC=$?
check "8 clients connect, send and leave at once" 0 "left 8" ""
deadline=$((SECONDS + 20))
while [ "$(grep -c . "$TMP/jobs.log" 2>/dev/null)" -lt 8 ] && [ $SECONDS -lt $deadline ]; do sleep 0.05; done
assert "--max-jobs 2: all 8 jobs ran, never more than 2 at once ($(sort -n "$TMP/jobs.log" | tail -1) at most)" [ "$(grep -c . "$TMP/jobs.log")/$(sort -n "$TMP/jobs.log" | tail -1)" = 8/2 ]
done_all() { [ "$("$CHATCAT" -u "$URL" --token t --jq 'select(.content == "ok") | 1' history $T1 | wc -l)" = 8 ]; }
deadline=$((SECONDS + 10))
until done_all || [ $SECONDS -ge $deadline ]; do sleep 0.05; done
assert "... and every reply is in the history" done_all
stop jobs

serve wait --db "$TMP/wait.db" --token t --max-jobs 1 --max-frame 100000 --agent-cmd 'sleep 5'
big=$(head -c 90000 /dev/zero | tr '\0' w)
pids=""
for i in 1 2 3 4 5 6; do
	"$CHATCAT" -u "$URL" --token t -W 2 -q send --thread $T1 "$big" >/dev/null 2>"$TMP/w$i.err" &
	pids="$pids $!"
	sleep 0.1
done
wait $pids
busy=$(cat "$TMP"/w?.err | grep -c 'Server busy')
assert "--max-jobs 1, 6 messages of 90 kB: the 4 that fit the budget for waiting (4 x --max-frame) wait, the sixth is told the server is busy ($busy)" [ "$busy" = 1 ]
stop wait

# --- the client ------------------------------------------------------------------
start pf "$PYTHON" "$RAWPEER" pingflood 1000000
"$CHATCAT" -u "$URL" --token x -W 4 send --thread $T1 hi >"$TMP/out" 2>"$TMP/err" &
cp=$!
wait_peak $cp
check "a server that sends a million pings and never reads: -W 4 ends it" 124 "" "chatcat: timed out after 4 s waiting for the reply"
assert_rss "... only the latest pong waits: peak RSS $peak kB, under 16 MiB (was 130 MiB)" "$peak" 16384

start nr "$PYTHON" "$RAWPEER" noread
t0=$(ms)
run -u "$URL" --token x -W 1 send --thread $T1 hi
t1=$(ms)
check "-W 1 against a server that never answers the close" 124 "" "chatcat: timed out after 1 s waiting for the reply"
assert "... the close wait counts inside -W ($((t1 - t0)) ms, under 1300)" [ $((t1 - t0)) -lt 1300 ]

peer ctl --token x --error "$(printf 'a\u0085b\u202ec\u2066d\u200fe')"
run -u "$URL" --token x -q send --thread $T1 hi
check "C1 and bidirectional controls in server text are escaped on stderr" 1 "~.*" 'chatcat: server error: a\\xc2\\x85b\\xe2\\x80\\xaec\\xe2\\x81\\xa6d\\xe2\\x80\\x8fe'
finish
