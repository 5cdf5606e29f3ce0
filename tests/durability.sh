#!/bin/bash
# chatcat serve never loses what it acknowledged: kill -9 after a send and
# in the middle of a pipe, a full disk (a real 2 MiB tmpfs as root, and the
# test-only page cap), kill -9 during a streamed reply, a stalled history
# reader while others write, --sync, and the modes of the files that hold
# the token.  Every check of what survived reads the history of a
# restarted server on the same database.
. "${srcdir:-.}/tests/lib.sh"
plan 29

RAWCLIENT=$(dirname "$PEER")/rawclient.py
T3=44444444-4444-4444-8444-444444444444
SEND_TRIALS=${DURABILITY_SEND_TRIALS:-10}
PIPE_TRIALS=${DURABILITY_PIPE_TRIALS:-4}
PIPE_N=${DURABILITY_PIPE_N:-20000}
RC=0
MNT=""

durability_cleanup() {
	for p in $PIDS; do
		kill "$p" 2>/dev/null
	done
	wait 2>/dev/null
	[ -z "$MNT" ] || umount "$MNT" 2>/dev/null
	cleanup
}
trap durability_cleanup EXIT

# crash NAME: kill -9 a server started by serve.
crash() {
	local pid
	eval "pid=\$${1}_PID"
	kill -9 "$pid"
	wait "$pid" 2>/dev/null
}

# messages N SIZE THREAD: N message requests, each SIZE bytes of content
# after its number.
messages() {
	local pad
	pad=$(head -c "$2" /dev/zero | tr '\0' p)
	seq 1 "$1" | awk -v t="$3" -v p="$pad" '{ printf "{\"type\":\"message\",\"thread_id\":\"%s\",\"content\":\"%d %s\"}\n", t, $1, p }'
}

# lost FRAMES HISTORY: compare what a client was told (its frames, one a
# line) with a history: prints "acked A complete C errors E lost L", where
# L counts acknowledged messages missing from the history plus complete
# replies that are missing, differ from their parts, or are not complete.
lost() {
	"$PYTHON" -c 'import json, sys
acked, parts, complete, errors = [], {}, [], 0
for line in open(sys.argv[1]):
    try:
        d = json.loads(line)
    except ValueError:
        continue  # a line cut by the crash
    if d.get("type") == "message_received":
        acked.append(d["id"])
    elif d.get("type") == "error":
        errors += 1
    elif d.get("type") == "message" and "job_id" in d:
        parts[d["id"]] = parts.get(d["id"], "") + d["content"]
        if d.get("status") == "complete":
            complete.append(d["id"])
stored = {}
for line in open(sys.argv[2]):
    d = json.loads(line)
    stored[d["id"]] = (d["content"], d.get("status", "complete"))
lost = sum(1 for i in acked if i not in stored)
lost += sum(1 for i in complete if stored.get(i) != (parts[i], "complete"))
print("acked %d complete %d errors %d lost %d" % (len(acked), len(complete),
      errors, lost))' "$1" "$2"
}

# lines FILE: how many lines FILE has now.
lines() { wc -l <"$1" 2>/dev/null || echo 0; }

# --- kill -9 right after send exits 0 -------------------------------------
lostn=0
okn=0
serve ks --db "$TMP/ks.db" --token t
for i in $(seq 1 "$SEND_TRIALS"); do
	"$CHATCAT" -u "$URL" --token t -q send --thread $T1 "trial $i" >>"$TMP/ks.frames" 2>"$TMP/err" &&
	    okn=$((okn + 1))
	crash ks
	serve ks --db "$TMP/ks.db" --token t
done
"$CHATCAT" -u "$URL" --token t history $T1 >"$TMP/ks.hist"
r=$(lost "$TMP/ks.frames" "$TMP/ks.hist")
echo "# kill -9 after send: $SEND_TRIALS trials, $r"
assert "kill -9 right after send exits 0 ($SEND_TRIALS trials): every send exited 0" [ "$okn" = "$SEND_TRIALS" ]
assert "... and no acknowledged message or complete reply is lost ($r)" [ "$r" = "acked $SEND_TRIALS complete $SEND_TRIALS errors 0 lost 0" ]
run -u "$URL" --token t --jq 'select(.role == "user") | .content' -r history $T1
check "... the messages are in order after $SEND_TRIALS restarts" 0 "$(seq 1 "$SEND_TRIALS" | sed 's/^/trial /')" ""
crash ks

# --- kill -9 at a random moment of a long pipe ------------------------------
messages "$PIPE_N" 16 $T2 >"$TMP/pipe.in"
total_acked=0
total_lost=0
for i in $(seq 1 "$PIPE_TRIALS"); do
	rm -f "$TMP"/kp.db*
	serve kp --db "$TMP/kp.db" --token t
	# Somewhere in the first three quarters of the frames (3 a message).
	at=$((300 + (RANDOM * 32768 + RANDOM) % (PIPE_N * 9 / 4)))
	"$CHATCAT" -u "$URL" --token t pipe <"$TMP/pipe.in" >"$TMP/kp.frames" 2>"$TMP/kp.err" &
	cp=$!
	deadline=$((SECONDS + 60))
	while [ "$(lines "$TMP/kp.frames")" -lt "$at" ] && kill -0 $cp 2>/dev/null &&
	    [ $SECONDS -lt $deadline ]; do
		sleep 0.01
	done
	crash kp
	wait $cp
	serve kp --db "$TMP/kp.db" --token t
	"$CHATCAT" -u "$URL" --token t history $T2 >"$TMP/kp.hist"
	r=$(lost "$TMP/kp.frames" "$TMP/kp.hist")
	echo "# pipe trial $i: killed after $(lines "$TMP/kp.frames") frames: $r"
	set -- $r
	total_acked=$((total_acked + $2))
	total_lost=$((total_lost + $8))
	crash kp
done
echo "# kill -9 during a pipe of $PIPE_N: $PIPE_TRIALS trials, $total_acked acknowledged, $total_lost lost"
assert "kill -9 during a pipe ($PIPE_TRIALS trials): messages were acknowledged" [ "$total_acked" -gt 0 ]
assert "... and none of the $total_acked acknowledged is lost" [ "$total_lost" = 0 ]

# --- a full disk: the test-only page cap ------------------------------------
messages 300 1000 $T3 >"$TMP/cap.in"
CHATCAT_TEST_MAX_PAGES=60 serve cap --db "$TMP/cap.db" --token t
run_in "$(cat "$TMP/cap.in")" -u "$URL" --token t -W 60 pipe
mv "$TMP/out" "$TMP/cap.frames"
grep -v '^chatcat: server error: \(Message\|Reply\) not stored: database or disk is full$' "$TMP/err" >"$TMP/cap.other"
errs=$(grep -c . "$TMP/err")
# A message acknowledged whose reply then could not be stored gets a
# "Reply not stored" error: its reply row may hold no part.
rerr=$(grep -c 'Reply not stored' "$TMP/err")
assert "a capped database: pipe exits 1, each error line says the message or reply was not stored" [ "$RC/$(grep -c . "$TMP/cap.other")" = 1/0 ]
"$CHATCAT" -u "$URL" --token t history $T3 >"$TMP/cap.hist"
r=$(lost "$TMP/cap.frames" "$TMP/cap.hist")
echo "# capped database, 300 messages of 1 KiB: $r"
set -- $r
hl=$(lines "$TMP/cap.hist")
assert "... some were stored, the others got an error frame each ($r, $rerr replies not stored)" [ "$2" -gt 0 -a "$6" -gt 0 -a $(($2 + $6 - rerr)) = 300 -a "$6" = "$errs" ]
assert "... and the history (still served) holds every acknowledged one, nothing lost" [ "$8" = 0 -a "$hl" -le $(($2 * 2)) -a "$hl" -ge $(($2 * 2 - rerr)) ]
assert "... the server logs why" grep -qx 'chatcat: serve: cannot store: database or disk is full' "$TMP/cap.err"
stop cap
check "... and stops cleanly" 0 "" ""
serve cap --db "$TMP/cap.db" --token t
run -u "$URL" --token t -q --jq '.content // empty' -r send --thread $T3 room again
check "space back (no cap): the server stores and answers again" 0 "room \nagain" ""
"$CHATCAT" -u "$URL" --token t history $T3 >"$TMP/cap.hist2"
r2=$(lost "$TMP/cap.frames" "$TMP/cap.hist2")
assert "... and the acknowledged messages are all there ($r2)" [ "$r2/$(lines "$TMP/cap.hist2")" = "$r/$((hl + 2))" ]
stop cap
CHATCAT_TEST_MAX_PAGES=lots run serve --listen 127.0.0.1:0 --db "$TMP/x.db"
check "a bad CHATCAT_TEST_MAX_PAGES: exit 2" 2 "" "chatcat: CHATCAT_TEST_MAX_PAGES: expected a number of pages, got 'lots'"

# --- a full disk: a real 2 MiB file system ----------------------------------
MNT="$TMP/small"
mkdir -p "$MNT"
if [ "$(id -u)" != 0 ]; then
	why="needs root to mount a 2 MiB tmpfs"
elif ! mount -t tmpfs -o size=2m,mode=0700 tmpfs "$MNT" 2>"$TMP/mount.err"; then
	why="mount -t tmpfs failed: $(head -1 "$TMP/mount.err")"
else
	why=""
fi
if [ -n "$why" ]; then
	MNT=""
	for c in "a full tmpfs: errors for what was not stored" "... nothing acknowledged lost, history served" \
	    "... space back: stored again" "... restart: all there" "a database that cannot be created on a full disk: exit 2"; do
		skip "$c" "$why"
	done
else
	head -c 1200000 /dev/zero >"$MNT/filler"
	messages 3000 1000 $T1 >"$TMP/full.in"
	serve full --db "$MNT/full.db" --token t
	run_in "$(cat "$TMP/full.in")" -u "$URL" --token t -W 60 pipe
	mv "$TMP/out" "$TMP/full.frames"
	grep -v '^chatcat: server error: \(Message\|Reply\) not stored: database or disk is full$' "$TMP/err" >"$TMP/full.other"
	rerr=$(grep -c 'Reply not stored' "$TMP/err")
	"$CHATCAT" -u "$URL" --token t history $T1 >"$TMP/full.hist"
	r=$(lost "$TMP/full.frames" "$TMP/full.hist")
	echo "# 2 MiB tmpfs, 3000 messages of 1 KiB: $r"
	set -- $r
	assert "a full tmpfs: pipe exits 1; every message acknowledged or refused as not stored ($r)" \
	    [ "$RC/$(grep -c . "$TMP/full.other")/$(($2 + $6 - rerr))" = 1/0/3000 -a "$6" -gt 0 ]
	hl=$(lines "$TMP/full.hist")
	assert "... nothing acknowledged lost, and the history is still served" [ "$8" = 0 -a "$hl" -le $(($2 * 2)) -a "$hl" -ge $(($2 * 2 - rerr)) ]
	rm "$MNT/filler"
	run -u "$URL" --token t -q --jq '.content // empty' -r send --thread $T1 space is back
	check "... space back: the same server stores and answers again" 0 "space \nis \nback" ""
	crash full
	serve full --db "$MNT/full.db" --token t
	"$CHATCAT" -u "$URL" --token t history $T1 >"$TMP/full.hist2"
	assert "... after kill -9 and a restart, all of it is there" \
	    [ "$(lost "$TMP/full.frames" "$TMP/full.hist2")/$(lines "$TMP/full.hist2")" = "$r/$((hl + 2))" ]
	stop full
	head -c 3000000 /dev/zero >"$MNT/filler" 2>/dev/null
	run serve --listen 127.0.0.1:0 --db "$MNT/new.db" --token t
	check "a database that cannot be created on a full disk: exit 2" 2 "" "chatcat: $MNT/new.db: cannot open the database: database or disk is full"
	rm -f "$MNT/filler"
fi

# --- kill -9 during a streamed reply -----------------------------------------
GO="$TMP/go"
AGENT_CMD="printf 'first '; while [ ! -e '$GO' ]; do sleep 0.01; done; printf second"
SHAPE='[.type, .role, .content, .status] | map(. // "-") | join("|")'
serve st --db "$TMP/st.db" --token t --agent-cmd "$AGENT_CMD"
"$CHATCAT" -u "$URL" --token t --jq "$SHAPE" -r send --thread $T1 go >"$TMP/c.out" 2>"$TMP/c.err" &
cp=$!
wait_for "$TMP/c.out" '^message\|assistant\|first \|processing$'
crash st
wait $cp
serve st --db "$TMP/st.db" --token t
run -u "$URL" --token t --jq "$SHAPE" -r history $T1
check "kill -9 during a reply: the history holds the part the client saw, marked interrupted" 0 "message|user|go|-\nmessage|assistant|first |interrupted" ""
stop st

serve st --db "$TMP/st2.db" --token t --agent-cmd "$AGENT_CMD"
PORT_ST=$PORT
printf '{"type":"message","thread_id":"%s","content":"go"}\n' $T2 >"$TMP/one.in"
mkfifo "$TMP/feed"
"$CHATCAT" -u "$URL" --token t --jq "$SHAPE" -r pipe --reconnect --backfill <"$TMP/feed" >"$TMP/c.out" 2>"$TMP/c.err" &
cp=$!
exec 8>"$TMP/feed"
cat "$TMP/one.in" >&8
wait_for "$TMP/c.out" '^message\|assistant\|first \|processing$'
crash st
"$CHATCAT" serve --listen 127.0.0.1:$PORT_ST --db "$TMP/st2.db" --token t >"$TMP/st.out" 2>"$TMP/st.err" 8>&- &  # not a writer of the feed
PIDS="$PIDS $!"
st_PID=$!
wait_for "$TMP/st.out" '^CHATCAT_URL='
wait_for "$TMP/c.out" 'interrupted' 20
# stdin ends: the client finishes, and says that the reply stays cut.
exec 8>&-
deadline=$((SECONDS + 20))
while kill -0 $cp 2>/dev/null && [ $SECONDS -lt $deadline ]; do
	sleep 0.02
done
kill $cp 2>/dev/null
wait $cp
RC=$?
cp "$TMP/c.out" "$TMP/out"
cp "$TMP/c.err" "$TMP/err"
check "pipe --reconnect --backfill after kill -9 mid-reply: the part recovered, marked interrupted, the cut reported, exit 14" 14 \
    "message_received|-|-|-\nmessage|assistant|first |processing\nmessage|assistant|first |interrupted" \
    "chatcat: warning: thread $T2: the history holds no finished reply to the message whose reply was cut off (it may still be running, or was interrupted)"
crash st
touch "$GO"  # the agents of the killed servers live on: let them end

# --- a stalled history reader does not hold the log back ----------------------
serve wal --db "$TMP/wal.db" --token t
messages 4000 1000 $T3 | "$CHATCAT" -u "$URL" --token t pipe >/dev/null 2>&1
mkfifo "$TMP/hold"
"$PYTHON" "$RAWCLIENT" 127.0.0.1 $PORT t noread $T3 <"$TMP/hold" >"$TMP/nr.out" 2>&1 &
nr=$!
exec 9>"$TMP/hold"
wait_for "$TMP/nr.out" asked
messages 6000 1000 $T1 >"$TMP/wal.in"
"$CHATCAT" -u "$URL" --token t -W 60 pipe <"$TMP/wal.in" >"$TMP/wal.out" 2>&1 &
cp=$!
peak=0
while kill -0 $cp 2>/dev/null; do
	sz=$(stat -c %s "$TMP/wal.db-wal" 2>/dev/null || echo 0)
	[ "$sz" -gt "$peak" ] && peak=$sz
	sleep 0.02
done
wait $cp
RC=$?
echo "# stalled reader, 6000 messages of 1 KiB written: peak -wal $peak bytes"
assert "a stalled history reader, 6000 messages of 1 KiB written meanwhile: all answered" [ "$RC/$(grep -c '"complete"' "$TMP/wal.out")" = 0/6000 ]
assert "... and the -wal file stayed under 16 MiB (peak $peak bytes)" [ "$peak" -gt 0 -a "$peak" -lt 16777216 ]
exec 9>&-
wait $nr
stop wal

# --- --sync --------------------------------------------------------------------
serve sync --db "$TMP/sync.db" --token t --sync full
run -u "$URL" --token t -q --jq '.content // empty' -r send --thread $T1 synced
check "--sync full: served" 0 "synced" ""
stop sync
run serve --listen 127.0.0.1:0 --db "$TMP/x.db" --sync sometimes
check "--sync with a bad mode: exit 2" 2 "" "chatcat: --sync: expected normal or full, got 'sometimes'\nTry 'chatcat --help' for more information."
run --sync full send --thread $T1 hi
check "--sync is for serve only" 2 "" "chatcat: --sync does not apply to send\nTry 'chatcat --help' for more information."

# --- file modes ------------------------------------------------------------------
mode() { stat -c %a "$1"; }
umask 022  # serve's stdout file, and anything else, made as README users do
serve new --db "$TMP/new.db"
run -u "$URL" --token "$TOKEN" -q send --thread $T1 hi
assert "a new database and its -wal: 0600" [ "$(mode "$TMP/new.db") $(mode "$TMP/new.db-wal")" = "600 600" ]
stop new
: >"$TMP/old.db"
chmod 644 "$TMP/old.db"
: >"$TMP/old.db-wal"
chmod 644 "$TMP/old.db-wal"
serve old --db "$TMP/old.db"
run -u "$URL" --token "$TOKEN" -q send --thread $T1 hi
assert "an existing empty database at 0644 (and a -wal at 0644) is made 0600 before the token goes in" \
    [ "$(mode "$TMP/old.db") $(mode "$TMP/old.db-wal")" = "600 600" ]
assert "... and the ready line, with the token, went to a file made 0600" [ "$(mode "$TMP/old.out")" = 600 ]
stop old
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	: >"$TMP/root.db"
	chmod 644 "$TMP/root.db"
	chmod 755 "$TMP"
	setpriv --reuid=65534 --regid=65534 --clear-groups "$CHATCAT" serve \
	    --listen 127.0.0.1:0 --db "$TMP/root.db" >"$TMP/out" 2>"$TMP/err" </dev/null
	RC=$?
	chmod 700 "$TMP"
	check "someone else's database readable by others: refused, exit 2" 2 "" "chatcat: $TMP/root.db: readable by others (mode 0644) and cannot be made private: Operation not permitted"
else
	skip "someone else's database readable by others: refused, exit 2" "needs root and setpriv(1) to run as another user"
fi
finish
