#!/bin/sh
# The README's first command, end to end on this machine: start a local
# Chat API server, send a message, fetch the thread's history, stop.
set -eu
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
token=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
/usr/bin/python3 tests/peer.py --token "$token" >"$tmp/server.out" 2>"$tmp/server.err" &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$tmp"' EXIT
i=0
until grep -q '^listening on ' "$tmp/server.out"; do
	i=$((i + 1))
	[ $i -lt 500 ] || { cat "$tmp/server.err" >&2; exit 1; }
	sleep 0.02
done
export CHATCAT_URL="ws://$(sed -n 's/^listening on //p' "$tmp/server.out")"
export CHATCAT_TOKEN="$token"
thread=11111111-2222-4333-8444-555555555555
echo "\$ chatcat send --thread $thread 'Hello, agent!'"
./src/chatcat send --thread $thread 'Hello, agent!'
echo "\$ chatcat history $thread --jq '.role + \": \" + .content' -r"
./src/chatcat history $thread --jq '.role + ": " + .content' -r
