#!/bin/sh
# The README's first command, end to end on this machine: start a local
# chatcat serve (its own database in a temporary directory), send a
# message, fetch the thread's history, stop the server.
set -eu
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
./src/chatcat serve --listen 127.0.0.1:0 --db "$tmp/chat.db" >"$tmp/server.out" 2>"$tmp/server.err" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$tmp"' EXIT
i=0
until grep -q '^CHATCAT_URL=' "$tmp/server.out"; do
	i=$((i + 1))
	[ $i -lt 500 ] || { cat "$tmp/server.err" >&2; exit 1; }
	sleep 0.02
done
echo "\$ chatcat serve --listen 127.0.0.1:0 &"
cat "$tmp/server.out"
export $(head -1 "$tmp/server.out")
thread=11111111-2222-4333-8444-555555555555
echo "\$ chatcat send --thread $thread 'Hello, agent!'"
./src/chatcat send --thread $thread 'Hello, agent!'
echo "\$ chatcat history $thread --jq '.role + \": \" + .content' -r"
./src/chatcat history $thread --jq '.role + ": " + .content' -r
