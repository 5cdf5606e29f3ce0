#!/bin/bash
# chatcat serve: against chatcat and against independent clients built on
# Debian's python3-websockets (the API document's own example among them).
. "${srcdir:-.}/tests/lib.sh"
plan 49

CLIENT=$(dirname "$PEER")/wsclient.py
SEED=$(dirname "$PEER")/seed_client.py
# One line a frame: type|role|content|status, "-" for what is absent.
SHAPE='[.type, .role, .content, .status] | map(. // "-") | join("|")'

serve zero --db "$TMP/zero.db"
check_line() { grep -qE '^CHATCAT_URL=ws://127\.0\.0\.1:[0-9]+/chat/ws CHATCAT_TOKEN=[0-9a-f]{32}$' "$TMP/zero.out"; }
assert "without credentials: one line with the URL and a made-up token" check_line
assert "the log goes to stderr" grep -qx "chatcat: serve: listening on 127.0.0.1:$PORT" "$TMP/zero.err"
ZTOKEN=$TOKEN
C=(-u "$URL" --token "$TOKEN")
run "${C[@]}" --jq "$SHAPE" -r send --thread $T1 hello big world
check "send: message_received, then the reply in parts, the last complete" 0 "message_received|-|-|-\nmessage|assistant|hello |processing\nmessage|assistant|big |processing\nmessage|assistant|world|complete" ""
run "${C[@]}" --jq "$SHAPE" -r --idle 600 history $T1
check "history: every message, ended by history_end (not the idle gap)" 0 "message|user|hello big world|-\nmessage|assistant|hello big world|-" ""
run "${C[@]}" --jq '[.id, .thread_id, .created_at] | map(length) | join(" ")' -r history $T1
check "history frames carry id, thread_id and created_at" 0 "36 36 24\n36 36 24" ""
run_in '{"type":"message","content":""}' "${C[@]}" --jq "$SHAPE" -r --thread $T1 pipe
check "an empty message: one empty part, complete" 0 "message_received|-|-|-\nmessage|assistant||complete" ""
"$CHATCAT" "${C[@]}" -q send --thread $T2 'a thread with history' >/dev/null
"$PYTHON" "$SEED" "$URL?token=$TOKEN" $T2 >"$TMP/out" 2>"$TMP/err"
RC=$?
check "the API document's Python example works against chatcat serve" 0 "~(Received: \{'type': 'message', .*\n)+Received: \{'type': 'message_received', .*\n(Received: \{'type': 'message', .*'role': 'assistant'.*\n)+.*'status': 'complete'\}" ""

"$PYTHON" "$CLIENT" "$URL" status >"$TMP/out" 2>"$TMP/err"; RC=$?
check "no credential: HTTP 401 before the upgrade, JSON detail" 0 '401 application/json {"detail":"Missing token parameter"}' ""
run -u "$URL" --token wrong send --thread $T1 hi
check "a wrong token: exit 13 with the detail" 13 "" "chatcat: $URL?token=***: authentication rejected (HTTP 401 Unauthorized): Invalid or expired token"
"$PYTHON" "$CLIENT" "${URL%/chat/ws}/elsewhere?token=$TOKEN" status >"$TMP/out" 2>"$TMP/err"; RC=$?
check "another path: 404" 0 '404 application/json {"detail":"Not Found"}' ""
stop zero
check "SIGTERM: exit 0" 0 "" ""
serve zero --db "$TMP/zero.db"
assert "the made-up token is the same after a restart" [ "$TOKEN" = "$ZTOKEN" ]
run -u "$URL" --token "$TOKEN" --jq .content -r history $T1
check "... and the threads are still there" 0 "hello big world\nhello big world\n\n" ""
stop zero

KEY_A=aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa
printf '# principals\ntoken alpha-token\n\nkey %s\n  token beta-token  \n' $KEY_A >"$TMP/auth"
serve auth --db "$TMP/auth.db" --auth-file "$TMP/auth"
assert "with an auth file: the line has no token" grep -qE "^CHATCAT_URL=ws://127\.0\.0\.1:$PORT/chat/ws$" "$TMP/auth.out"
run -u "$URL" --api-key $KEY_A -q --jq ".content // empty" -r send --thread $T1 from the key
check "an API key from the auth file" 0 "from \nthe \nkey" ""
run -u "$URL" --api-key bbbbbbbb-aaaa-4aaa-8aaa-aaaaaaaaaaaa send --thread $T1 hi
check "a wrong API key: 401" 13 "" "chatcat: $URL?key=***: authentication rejected (HTTP 401 Unauthorized): Invalid API key"
run -u "$URL" --token alpha-token -q --jq ".content // empty" -r send --thread $T1 alpha here
check "a token from the auth file" 0 "alpha \nhere" ""
run -u "$URL" --token beta-token --idle 600 history $T1
check "isolation: another principal sees nothing of the thread" 0 "" ""
run -u "$URL" --token beta-token -q --jq ".content // empty" -r send --thread $T1 beta here
check "... and writing to the same id writes its own thread" 0 "beta \nhere" ""
run -u "$URL" --token alpha-token --jq .content -r history $T1
check "... which leaves the first principal's thread as it was" 0 "alpha here\nalpha here" ""
run -u "$URL" --token beta-token --jq .content -r history $T1
check "... and the second sees only its own" 0 "beta here\nbeta here" ""
stop auth
serve auth --db "$TMP/auth.db" --auth-file "$TMP/auth"
run -u "$URL" --api-key $KEY_A --jq .content -r history $T1
check "a restart keeps threads, messages and owners" 0 "from the key\nfrom the key" ""

cat >"$TMP/bad" <<'BAD'
not json
[1,2]
{}
{"type":5}
{"type":"fence-1234"}
{"type":"history"}
{"type":"history","thread_id":"not-a-uuid"}
{"type":"message","thread_id":"11111111-1111-4111-8111-111111111111","agent_id":"x","content":"a"}
{"type":"message","thread_id":"11111111-1111-4111-8111-111111111111","agent_id":null}
{"type":"message","thread_id":"11111111-1111-4111-8111-111111111111","content":7}
b:binary
BAD
"$PYTHON" "$CLIENT" "$URL?token=alpha-token" frames "$TMP/bad" >"$TMP/out" 2>"$TMP/err"; RC=$?
check "every malformed frame gets an error frame; the connection stays open" 0 '{"type":"error","message":"Invalid JSON"}
{"type":"error","message":"Expected a JSON object"}
{"type":"error","message":"Message type is required"}
{"type":"error","message":"Message type must be a string"}
{"type":"error","message":"Unknown message type: fence-1234"}
{"type":"error","message":"Thread ID is required"}
{"type":"error","message":"Invalid thread ID: expected a UUID"}
{"type":"error","message":"Invalid agent ID: expected a UUID or null"}
{"type":"error","message":"Content is required"}
{"type":"error","message":"Content must be a string"}
{"type":"error","message":"Binary frames are not supported"}' ""
stop auth
printf 'token ok\nsecret hunter2\n' >"$TMP/badauth"
run serve --listen 127.0.0.1:0 --db "$TMP/x.db" --auth-file "$TMP/badauth"
check "a bad auth file names the file and line, exit 2" 2 "" "chatcat: $TMP/badauth:2: unknown kind (use token or key)"
printf 'key not-a-uuid\n' >"$TMP/badauth"
run serve --listen 127.0.0.1:0 --db "$TMP/x.db" --auth-file "$TMP/badauth"
check "an API key must be a UUID" 2 "" "chatcat: $TMP/badauth:1: an API key must be a UUID"
run serve --listen 127.0.0.1:http --db "$TMP/x.db"
check "a bad --listen" 2 "" "chatcat: --listen: expected [ADDR:]PORT, got '127.0.0.1:http'"

serve small --db "$TMP/small.db" --token t --max-frame 1000
"$PYTHON" "$CLIENT" "$URL?token=t" big 1001 >"$TMP/out" 2>"$TMP/err"; RC=$?
check "a frame over --max-frame: closed with 1009" 0 "1009" ""
run serve --listen 127.0.0.1:$PORT --db "$TMP/x.db"
check "a port in use: exit 30, with the reason" 30 "" "chatcat: serve: cannot listen on 127.0.0.1:$PORT: Address already in use"
stop small

GO="$TMP/go"
serve agent --db "$TMP/agent.db" --token t --agent-cmd "printf 'first '; while [ ! -e '$GO' ]; do sleep 0.01; done; printf second"
"$CHATCAT" -u "$URL" --token t --jq "$SHAPE" -r send --thread $T1 go >"$TMP/out" 2>"$TMP/err" &
pid=$!
wait_for "$TMP/out" '^message\|assistant\|first \|processing$'
assert "--agent-cmd: stdout is streamed as it is written" [ ! -e "$GO" ]
touch "$GO"
wait $pid
RC=$?
check "... and the reply ends with an empty complete part" 0 "message_received|-|-|-\nmessage|assistant|first |processing\nmessage|assistant|second|processing\nmessage|assistant||complete" ""
run -u "$URL" --token t --jq .content -r history $T1
check "... the stored reply is the parts joined" 0 "go\nfirst second" ""
stop agent

serve env --db "$TMP/env.db" --token t --agent-cmd 'printf "%s %s %s " "$CHATCAT_THREAD_ID" "$CHATCAT_AGENT_ID" "$CHATCAT_JOB_ID"; cat'
"$CHATCAT" -u "$URL" --token t -q send --thread $T1 --agent $AGENT 'the input' >/dev/null
run -u "$URL" --token t --jq 'select(.role == "assistant") | .content' -r history $T1
check "the agent gets the ids in its environment and the content on stdin" 0 "~$T1 $AGENT [0-9a-f-]{36} the input" ""
stop env

serve fail --db "$TMP/fail.db" --token t --agent-cmd 'echo partial; exit 3'
run -u "$URL" --token t -q --jq 'select(.type == "error") | [.message, (.job_id | length)]' send --thread $T1 x
check "an agent that fails: an error frame, exit 1" 1 '["agent exited with status 3",36]' "chatcat: server error: agent exited with status 3"
stop fail

serve slow --db "$TMP/slow.db" --token t --agent-timeout 0.3 --agent-cmd 'sleep 30'
run -u "$URL" --token t -q --jq 'select(.type == "error") | .message' -r send --thread $T1 x
check "an agent past --agent-timeout: an error frame" 1 "agent timed out after 0.3 s" "chatcat: server error: agent timed out after 0.3 s"
stop slow

GO2="$TMP/go2"
serve late --db "$TMP/late.db" --token t --agent-cmd "while [ ! -e '$GO2' ]; do sleep 0.01; done; printf 'late reply'"
run -u "$URL" --token t -W 1 send --thread $T1 "are you there"
check "the client gives up before the reply" 124 "~\{\"type\":\"message_received\".*" "chatcat: timed out after 1 s waiting for the reply"
touch "$GO2"
late_reply() { "$CHATCAT" -u "$URL" --token t --jq .content -r history $T1 2>/dev/null | grep -qx 'late reply'; }
deadline=$((SECONDS + 10))
until late_reply || [ $SECONDS -ge $deadline ]; do sleep 0.05; done
assert "the job went on without its client; the reply is in the history" late_reply

GO3="$TMP/go3"
stop late
serve busy --db "$TMP/busy.db" --token t --agent-cmd "printf 'started '; while [ ! -e '$GO3' ]; do sleep 0.01; done"
"$CHATCAT" -u "$URL" --token t --jq ".content // empty" -r send --thread $T1 x >"$TMP/c.out" 2>"$TMP/c.err" &
pid=$!
wait_for "$TMP/c.out" started
stop busy
check "SIGTERM with a client waiting: the server exits 0" 0 "~.*" ""
wait $pid
RC=$?
mv "$TMP/c.out" "$TMP/out"
mv "$TMP/c.err" "$TMP/err"
check "... and the client sees a 1001 close" 14 "started " "chatcat: the server closed the connection (1001) before the reply was complete"

serve pinger --db "$TMP/ping.db" --token t --ping-interval 1
"$PYTHON" "$(dirname "$PEER")/rawclient.py" 127.0.0.1 $PORT t ping >"$TMP/out" 2>"$TMP/err"; RC=$?
check "protocol pings after --ping-interval; no pong: hung up" 0 "~(ping\n)+closed" ""
T3=33333333-3333-4333-8333-333333333333
big=$(head -c 200000 /dev/zero | tr '\0' x)
for i in $(seq 1 10); do
	printf '{"type":"message","thread_id":"%s","content":"%02d %s"}\n' $T3 $i "$big"
done >"$TMP/big.in"
"$CHATCAT" -u "$URL" --token t -q --jq 'select(.status == "complete") | 1' pipe <"$TMP/big.in" >"$TMP/out" 2>"$TMP/err"; RC=$?
check "10 messages of 200 KB stored" 0 "$(yes 1 | head -10)" ""
# Frames over the server's 64 KiB writes, read slowly while pinging: lws
# writes its pongs between two writes, so each write must end a frame.
"$PYTHON" "$(dirname "$PEER")/rawclient.py" 127.0.0.1 $PORT t pinghist $T3 >"$TMP/out" 2>"$TMP/err"; RC=$?
check "pongs go between frames, never inside one (a slow reader that pings)" 0 "OK 21 pongs" ""
"$PYTHON" "$CLIENT" "$URL?token=t" slowhistory $T3 >"$TMP/out" 2>"$TMP/err"; RC=$?
check "... and python3-websockets pinging every 20 ms reads the history whole" 0 "OK 21" ""
stop pinger

serve many --db "$TMP/many.db" --token t
pids=""
for i in $(seq 1 20); do
	"$CHATCAT" -u "$URL" --token t -q send --thread "00000000-0000-4000-8000-0000000000$(printf %02d $i)" "client $i" >"$TMP/c$i.out" 2>&1 &
	pids="$pids $!"
done
ok_all=0
for p in $pids; do wait "$p" || ok_all=1; done
assert "20 clients at once all get their reply" [ $ok_all -eq 0 ]
counts=$(for i in $(seq 1 20); do "$CHATCAT" -u "$URL" --token t history "00000000-0000-4000-8000-0000000000$(printf %02d $i)" | wc -l; done | sort -u)
assert "... and each thread holds its 2 messages" [ "$counts" = 2 ]
"$PYTHON" "$CLIENT" "$URL?token=t" many $T2 1500 >"$TMP/out" 2>"$TMP/err"; RC=$?
check "1500 messages on one connection, each reply complete" 0 1500 ""
run -u "$URL" --token t --jq .content -r history $T2
assert "a history of 3000 messages arrives whole and in order" [ "$(md5sum <"$TMP/out")" = "$(for i in $(seq 0 1499); do echo "message $i"; echo "message $i"; done | md5sum)" ]
stop many

# The schema is versioned: a database from before versions (no reply
# status column) is brought up to date and keeps its rows; a newer one is
# refused.
"$PYTHON" - "$TMP/old.db" <<'EOF'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.executescript("""
CREATE TABLE messages (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,
 owner TEXT NOT NULL, thread_id TEXT NOT NULL, role TEXT NOT NULL,
 content TEXT NOT NULL, job_id TEXT, created_at TEXT NOT NULL);
CREATE TABLE jobs (id TEXT PRIMARY KEY, owner TEXT NOT NULL,
 thread_id TEXT NOT NULL, agent_id TEXT, status TEXT NOT NULL, error TEXT,
 created_at TEXT NOT NULL, finished_at TEXT);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
""")
import hashlib
owner = hashlib.sha256(b"token:t").hexdigest()  # the principal's id
db.execute("INSERT INTO messages (id, owner, thread_id, role, content,"
           " created_at) VALUES ('m1', ?, ?, 'user', 'from before',"
           " '2025-01-01T00:00:00Z')", (owner, "22222222-2222-4222-8222-222222222222"))
db.commit()
EOF
chmod 600 "$TMP/old.db"
serve old --db "$TMP/old.db" --token t
run -u "$URL" --token t --jq '.content' -r history $T2
check "an unversioned database is migrated: its rows are served" 0 "from before" ""
stop old
assert "... and it is now schema version 2" [ "$("$PYTHON" -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("PRAGMA user_version").fetchone()[0])' "$TMP/old.db")" = 2 ]
"$PYTHON" -c 'import sqlite3, sys; d = sqlite3.connect(sys.argv[1]); d.execute("PRAGMA user_version=99"); d.commit()' "$TMP/old.db"
run serve --listen 127.0.0.1:0 --db "$TMP/old.db" --token t
check "a database of a newer schema is refused, exit 2" 2 "" "chatcat: $TMP/old.db: cannot open the database: its schema is version 99, newer than this chatcat's (2)"
finish
