# Shared helpers for chatcat's TAP test scripts (sourced by bash).
#
# Every case runs the real binary against a real server on 127.0.0.1,
# port 0; servers print "listening on 127.0.0.1:PORT" and are found by
# polling for that line with a deadline.  Everything started is stopped by
# the EXIT trap.  The TAP plan is counted, not written by hand: finish
# prints it after the last case.  A missing prerequisite skips the whole
# script with its reason (skip_all, exit 77; tests/tap-run.sh tells the
# TAP driver): python3-websockets, checked here for every script that
# starts a Python peer, or what a script asks for with require.

set -u
: "${CHATCAT:?CHATCAT must name the chatcat binary}"
: "${PEER:?PEER must name tests/peer.py}"
PYTHON=${PYTHON:-/usr/bin/python3}
RAWPEER=$(dirname "$PEER")/rawpeer.py
TMP=$(mktemp -d "${TMPDIR:-/tmp}/chatcat-test.XXXXXX")
PIDS=""
n=0
failed=0
T1=11111111-1111-4111-8111-111111111111
T2=22222222-2222-4222-8222-222222222222
AGENT=33333333-3333-4333-8333-333333333333
export NO_COLOR=1
# No user's config file or thread record: the tests' own, under $TMP.
export XDG_CONFIG_HOME=$TMP/config XDG_STATE_HOME=$TMP/state
unset CHATCAT_URL CHATCAT_TOKEN CHATCAT_API_KEY CHATCAT_THREAD http_proxy \
    CHATCAT_CONFIG CHATCAT_PROFILE \
    HTTP_PROXY https_proxy HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY

cleanup() {
	for p in $PIDS; do
		kill "$p" 2>/dev/null
	done
	wait 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 99' INT TERM

plan() { :; }  # the plan is counted (finish); kept for old callers

finish() {
	[ "$failed" -eq 0 ] || echo "# $failed of $n failed"
	echo "1..$n"
	[ "$failed" -eq 0 ]
	exit $?
}

# skip_all REASON: skip the whole script (nothing run yet).
skip_all() {
	echo "1..0 # SKIP $1"
	exit 77
}

# require WHAT...: skip the whole script unless each is there: a command
# name, or python3-websockets.
require() {
	local w
	for w in "$@"; do
		case $w in
		python3-websockets)
			"$PYTHON" -c 'import websockets' 2>/dev/null ||
			    skip_all "python3-websockets is missing for $PYTHON" ;;
		*)
			command -v "$w" >/dev/null 2>&1 ||
			    skip_all "$w is not installed" ;;
		esac
	done
}

# A script that starts a Python peer needs python3-websockets.
if grep -qE '^[[:space:]]*(peer|start)[[:space:]]|\$(RAW)?PEER|rawclient|wsclient' "$0" 2>/dev/null; then
	require python3-websockets
fi

# wait_for FILE PATTERN [SECS]: poll until FILE has a line matching PATTERN.
wait_for() {
	local deadline=$((SECONDS + ${3:-30}))
	while ! grep -qE -- "$2" "$1" 2>/dev/null; do
		if [ "$SECONDS" -ge "$deadline" ]; then
			echo "# timed out waiting for '$2' in $1" >&2
			return 1
		fi
		sleep 0.02
	done
}

# start NAME PROGRAM ARGS...: run a server; sets URL (ws://127.0.0.1:PORT)
# and PORT, and records its pid.
start() {
	local name=$1
	shift
	# Emptied here, not only by the child's redirection: a restarted
	# server's old line must not be read before the child truncates it.
	: >"$TMP/$name.out"
	"$@" >"$TMP/$name.out" 2>"$TMP/$name.err" &
	PIDS="$PIDS $!"
	eval "${name}_PID=$!"
	if ! wait_for "$TMP/$name.out" '^listening on ' 20; then
		cat "$TMP/$name.err" >&2
		echo "Bail out! server $name did not start"
		exit 99
	fi
	PORT=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' \
	    "$TMP/$name.out")
	URL="ws://127.0.0.1:$PORT"
}

# peer NAME ARGS...: start tests/peer.py (token "sekrit" unless --token).
peer() {
	local name=$1
	shift
	start "$name" "$PYTHON" "$PEER" --time 2026-01-01T00:00:00Z "$@"
}

# run ARGS...: run chatcat; sets RC, OUT and ERR (files $TMP/out, $TMP/err).
run() {
	"$CHATCAT" "$@" >"$TMP/out" 2>"$TMP/err" </dev/null
	RC=$?
}

# run_in INPUT ARGS...: run with INPUT on stdin.
run_in() {
	local input=$1
	shift
	printf '%s' "$input" | "$CHATCAT" "$@" >"$TMP/out" 2>"$TMP/err"
	RC=$?
}

pass() { n=$((n + 1)); echo "ok $n - $1"; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }

# peak_kb PID: the peak resident size of a running process (VmHWM).
peak_kb() { sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' /proc/$1/status; }
# wait_peak PID: wait for PID (a child of the script), reading its peak
# resident size while it runs: the last reading in $peak, its exit status
# in $RC.
wait_peak() {
	local r
	peak=0
	while kill -0 "$1" 2>/dev/null; do
		r=$(peak_kb "$1" 2>/dev/null)
		[ -n "$r" ] && [ "$r" -gt "$peak" ] && peak=$r
		sleep 0.05
	done
	wait "$1"
	RC=$?
}

# assert_rss DESC KB LIMIT: memory limits mean nothing under sanitizers.
assert_rss() {
	if [ "${CHATCAT_SANITIZED:-no}" = yes ] || [ -n "${CHATCAT_UNDER:-}" ]; then
		skip "$1" "peak RSS ($2 kB) is not measured under sanitizers"
	else
		assert "$1" [ "$2" -lt "$3" ]
	fi
}
fail() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $1"
	shift
	for line in "$@"; do
		echo "# $line"
	done
	echo "# exit status: $RC"
	sed 's/^/# stdout: /' "$TMP/out" | head -20
	sed 's/^/# stderr: /' "$TMP/err" | head -20
}

# check DESC RC STDOUT STDERR: the last run's exit status, stdout and
# stderr must equal these exactly ("\n" between lines; "" for empty).
# A pattern starting with "~" is an extended regex that must match the
# whole of the text instead.
check() {
	local desc=$1 rc=$2 out=$3 err=$4
	if [ "$RC" != "$rc" ]; then
		fail "$desc" "expected exit status $rc"
	elif ! matches "$(cat "$TMP/out")" "$out"; then
		fail "$desc" "stdout differs; expected: $out"
	elif ! matches "$(cat "$TMP/err")" "$err"; then
		fail "$desc" "stderr differs; expected: $err"
	else
		pass "$desc"
	fi
}

matches() {
	case $2 in
	"~"*)
		local re=${2#\~}
		re=${re//\\n/$'\n'}
		[[ $1 =~ ^${re}$ ]]
		;;
	*) [ "$1" = "$(printf '%b' "$2")" ] ;;
	esac
}

# assert DESC COMMAND...: a case that holds when COMMAND succeeds.
assert() {
	local desc=$1
	shift
	if "$@"; then
		pass "$desc"
	else
		fail "$desc" "failed: $*"
	fi
}

# frames FILE: the text frames a peer recorded with --record, one a line,
# without chatcat's fences ({"type":"fence-HEX"}); all_frames FILE: with.
frames() {
	all_frames "$1" | grep -vE '^\{"type":"fence-[0-9a-f]{32}"\}$'
}
all_frames() {
	"$PYTHON" -c 'import json, signal, sys
signal.signal(signal.SIGPIPE, signal.SIG_DFL)
for line in open(sys.argv[1]):
    d = json.loads(line)
    if "frame" in d:
        print(d["frame"])
    elif "binary" in d:
        print("<binary>")
    elif "send_timeout" in d:
        print("<send timeout>")' "$1"
}

# closes FILE: the close code and reason of each connection a peer recorded.
closes() {
	"$PYTHON" -c 'import json, sys
for line in open(sys.argv[1]):
    d = json.loads(line)
    if "close" in d:
        print(d["close"], d["reason"])' "$1"
}

# request_path FILE: the request targets a peer recorded, one a line.
request_path() {
	"$PYTHON" -c 'import json, sys
for line in open(sys.argv[1]):
    print(json.loads(line)["path"])' "$1"
}

# request_header FILE NAME: the value of header NAME in the last request.
request_header() {
	"$PYTHON" -c 'import json, sys
lines = open(sys.argv[1]).read().splitlines()
print(json.loads(lines[-1])["headers"].get(sys.argv[2], ""))' "$1" "$2"
}

# serve NAME ARGS...: start `chatcat serve --listen 127.0.0.1:0 ARGS`; sets
# URL, PORT and TOKEN (empty when the server printed none) from its line.
serve() {
	local name=$1
	shift
	: >"$TMP/$name.out"  # see start()
	"$CHATCAT" serve --listen 127.0.0.1:0 "$@" >"$TMP/$name.out" \
	    2>"$TMP/$name.err" &
	PIDS="$PIDS $!"
	eval "${name}_PID=$!"
	if ! wait_for "$TMP/$name.out" '^CHATCAT_URL=' 20; then
		cat "$TMP/$name.err" >&2
		echo "Bail out! chatcat serve $name did not start"
		exit 99
	fi
	URL=$(sed -n 's/^CHATCAT_URL=\([^ ]*\).*/\1/p' "$TMP/$name.out")
	PORT=$(echo "$URL" | sed 's/.*:\([0-9]*\)\/.*/\1/')
	TOKEN=$(sed -n 's/.* CHATCAT_TOKEN=\([0-9a-f]*\)$/\1/p' "$TMP/$name.out")
}

# stop NAME: SIGTERM a server started by serve/start; sets RC to its status.
stop() {
	local pid
	eval "pid=\$${1}_PID"
	kill -TERM "$pid"
	wait "$pid"
	RC=$?
	: >"$TMP/out"
	: >"$TMP/err"
}
