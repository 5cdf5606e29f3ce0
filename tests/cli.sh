#!/bin/bash
# Command-line handling: help, version, usage errors (exit 2) and the jq
# compile error (exit 3), all decided before any network work: the URL
# points at a port nothing listens on, so a connection attempt would show
# up as exit 10.
. "${srcdir:-.}/tests/lib.sh"

HINT="Try 'chatcat --help' for more information."
NOWHERE="ws://127.0.0.1:1"

run --help
check "--help prints usage on stdout" 0 "~usage: chatcat \[options\] send .*See chatcat\(1\)\." ""
run --version
check "--version" 0 "~chatcat [0-9.]+ libwebsockets/[0-9][0-9.]*[^- ]* libjq/[^ ]+ oniguruma/[^ ]+ OpenSSL/[^ ]+ SQLite/[0-9.]+" ""
run --bogus
check "unknown long option" 2 "" "chatcat: unknown option: --bogus\n$HINT"
run -Z send
check "unknown short option" 2 "" "chatcat: unknown option: -Z\n$HINT"
run --token
check "option without its argument" 2 "" "chatcat: option needs an argument: --token\n$HINT"
run --token x
check "no command" 2 "" "chatcat: no command given: use send, history, pipe, chat or serve\n$HINT"
run --token x fetch
check "unknown command" 2 "" "chatcat: unknown command 'fetch': use send, history, pipe, chat or serve\n$HINT"
run -u $NOWHERE --token x send --thread nope hi
check "invalid thread id" 2 "" "chatcat: invalid thread id 'nope': expected a UUID\n$HINT"
run -u $NOWHERE --token x send --agent 1234 hi
check "invalid agent id" 2 "" "chatcat: invalid agent id '1234': expected a UUID\n$HINT"
run -u $NOWHERE --token x --api-key y send hi
check "two credentials" 2 "" "chatcat: give exactly one credential (--token, --token-file, --api-key or --api-key-file)\n$HINT"
run -u $NOWHERE send hi
check "no credential" 2 "" "chatcat: no credential: use --token, --api-key, CHATCAT_TOKEN or CHATCAT_API_KEY\n$HINT"
CHATCAT_TOKEN=a CHATCAT_API_KEY=b run -u $NOWHERE send hi
check "both credentials in the environment" 2 "" "chatcat: both CHATCAT_TOKEN and CHATCAT_API_KEY are set: give exactly one credential\n$HINT"
run -u $NOWHERE --token x -W soon send hi
check "bad --timeout" 2 "" "chatcat: --timeout: invalid number of seconds: 'soon'\n$HINT"
run -u $NOWHERE --token x --idle -1 send hi
check "negative --idle" 2 "" "chatcat: --idle: invalid number of seconds: '-1'\n$HINT"
run -u $NOWHERE --token x --max-frame 0 send hi
check "bad --max-frame" 2 "" "chatcat: --max-frame: invalid size: '0'\n$HINT"
run -u $NOWHERE --token x -H NoColon send hi
check "bad --header" 2 "" "chatcat: --header: expected 'Name: value', got 'NoColon'\n$HINT"
run -u $NOWHERE --token x -H "Bad Name: v" send hi
check "a --header name with a space" 2 "" "chatcat: --header: expected 'Name: value', got 'Bad Name: v'\n$HINT"
# A CR or LF would end the header and start another: never sent.
CTL="a header cannot contain CR, LF or other control characters"
run -u $NOWHERE --token x -H $'X-A: 1\r\nX-B: 2' send hi
check "--header with CR LF" 2 "" "chatcat: --header: $CTL\n$HINT"
run -u $NOWHERE --token x --origin $'https://a.example\nX-B: 2' send hi
check "--origin with LF" 2 "" "chatcat: --origin: $CTL\n$HINT"
run -u $NOWHERE --token x --user-agent $'ua\r' send hi
check "--user-agent with CR" 2 "" "chatcat: --user-agent: $CTL\n$HINT"
run -u $NOWHERE --token x --origin "" send hi
check "an empty --origin" 2 "" "chatcat: --origin: the URL is empty\n$HINT"
run -u $NOWHERE --token x --origin https://a.example -H "origin: https://b.example" send hi
check "--origin and -H Origin together" 2 "" "chatcat: give --origin or -H 'Origin: ...', not both\n$HINT"
run -u $NOWHERE --token x --user-agent a -H "User-Agent: b" send hi
check "--user-agent and -H User-Agent together" 2 "" "chatcat: give --user-agent or -H 'User-Agent: ...', not both\n$HINT"
run -u ftp://example.org --token x send hi
check "unsupported URL scheme" 2 "" "chatcat: ftp://example.org: unsupported scheme (use ws, wss, http or https)"
run -u ws://127.0.0.1:99999 --token x send hi
check "invalid port" 2 "" "chatcat: ws://127.0.0.1:99999: invalid port"
run -u ws://user@127.0.0.1:1 --token x send hi
check "user information in the URL (not shown)" 2 "" "chatcat: ws://***@127.0.0.1:1: user information in URLs is not supported"
run -u $NOWHERE --token x -r history $T1
check "-r without --jq" 2 "" "chatcat: -r, -j and -e need --jq or --jq-file\n$HINT"
run -u $NOWHERE --token x --agent $AGENT history $T1
check "--agent with history" 2 "" "chatcat: --agent does not apply to history\n$HINT"
run -u $NOWHERE --token x history
check "history without a thread" 2 "" "chatcat: history needs a thread: --thread UUID or THREAD\n$HINT"
run -u $NOWHERE --token x history --thread $T1 $T2
check "history with two threads" 2 "" "chatcat: history takes one thread: --thread UUID or THREAD\n$HINT"
run -u $NOWHERE --token-file "$TMP/missing" send hi
check "missing token file" 2 "" "chatcat: $TMP/missing: No such file or directory\n$HINT"
: >"$TMP/empty"
run -u $NOWHERE --token-file "$TMP/empty" send hi
check "empty token file" 2 "" "chatcat: $TMP/empty: no credential on the first line\n$HINT"
printf '\377\376' >"$TMP/bad-utf8"
"$CHATCAT" -u $NOWHERE --token x send --thread $T1 <"$TMP/bad-utf8" >"$TMP/out" 2>"$TMP/err"
RC=$?
check "content that is not UTF-8" 2 "" "chatcat: stdin: invalid UTF-8 at byte 0"
run -u $NOWHERE --token x --jq '.content |' history $T1
check "jq compile error, before connecting" 3 "" "~chatcat: --jq: .*syntax error.*"
run -u $NOWHERE --token x --jq '.[' send hi
check "jq compile error on send" 3 "" "~chatcat: --jq: .*"
run -u $NOWHERE --token x --cacert /dev/null -k send hi
check "--cacert with --insecure" 2 "" "chatcat: --cacert and --insecure contradict each other\n$HINT"
run -u $NOWHERE --token x --jq . --jq-file /dev/null history $T1
check "--jq and --jq-file together" 2 "" "chatcat: give --jq or --jq-file, not both\n$HINT"
run --thread $T1 serve
check "serve with a client option" 2 "" "chatcat: --thread does not apply to serve\n$HINT"
run serve --help
assert "serve --help: exit 0, serve's options only (--listen, not --jq)" sh -c '[ "$1" = 0 ] && grep -q -- --listen "$2" && ! grep -q -- --jq "$2"' sh "$RC" "$TMP/out"
run send --help
assert "send --help: send's options only (--jq, not --listen or --follow)" grep -q -- '--jq EXPR' "$TMP/out"
assert "... and none of serve's or pipe's" sh -c '! grep -q -- "--listen\|--follow" "$1"' sh "$TMP/out"
# Which command takes an option is the option table's: serve refuses every
# client option, even one whose value would be checked first.
for opt in "--until .x" "--jq-file /nonexistent" "-R" "--follow" "--reconnect" "--count 1" "--cacert /nonexistent" "--jq ." "--idle 1" "--no-fence" "--events /dev/null" "-u ws://127.0.0.1:1"; do
	set -- $opt
	run $opt serve --listen 127.0.0.1:0
	name=$1
	case $name in -R) name=--raw-input ;; -u) name=--url ;; esac
	check "serve $opt: refused, nothing started" 2 "" "chatcat: $name does not apply to serve\n$HINT"
done
run serve extra
check "serve with an operand" 2 "" "chatcat: serve takes no operands\n$HINT"
run -u $NOWHERE --token x --follow send hi
check "a pipe option with send" 2 "" "chatcat: --follow does not apply to send\n$HINT"
run -u $NOWHERE --token x --db /tmp/x.db history $T1
check "a serve option with history" 2 "" "chatcat: --db does not apply to history\n$HINT"
run serve --listen 127.0.0.1:0 --db /nonexistent/dir/chat.db
check "serve with a database it cannot open" 2 "" "~chatcat: /nonexistent/dir/chat\.db: .*"
run -u $NOWHERE --token x --count 0 history $T1
check "--count 0" 2 "" "chatcat: --count: expected a number from 1 to 9223372036854775807, got '0'\n$HINT"
run -u $NOWHERE --token x history $T1
check "a refused connection is exit 10, after the usage checks" 10 "" "chatcat: ws://127.0.0.1:1/chat/ws?token=***: cannot connect: connection refused"

# Closed standard descriptors (a daemon's, `<&-`): what a command needs is
# an error before it connects; /dev/null takes the numbers meanwhile, so
# no socket of ours gets them.  (pipe <&- once watched the signal pipe,
# which took fd 0, as its input and never ended.)
timeout -s KILL 10 "$CHATCAT" -u $NOWHERE --token x pipe --thread $T1 <&- >"$TMP/out" 2>"$TMP/err"
RC=$?
check "pipe with stdin closed: exit 2 before connecting" 2 "" "chatcat: stdin: Bad file descriptor"
"$CHATCAT" -u $NOWHERE --token x send --thread $T1 <&- >"$TMP/out" 2>"$TMP/err"
RC=$?
check "send reading a closed stdin: exit 2" 2 "" "chatcat: stdin: Bad file descriptor"
"$CHATCAT" -u $NOWHERE --token x send --thread $T1 hi >&- 2>"$TMP/err"
RC=$?
: >"$TMP/out"
check "send with stdout closed: exit 2 before connecting" 2 "" "chatcat: stdout: Bad file descriptor"
"$CHATCAT" --version >&- 2>"$TMP/err"
RC=$?
check "--version with stdout closed: exit 2" 2 "" "chatcat: stdout: Bad file descriptor"
"$CHATCAT" -u $NOWHERE --token x history $T1 <&- 2>&- >"$TMP/out"
RC=$?
: >"$TMP/err"
check "history needs no stdin, and a closed stderr takes nothing with it: exit 10" 10 "" ""
finish
