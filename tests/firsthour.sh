#!/bin/bash
# A newcomer's first hour (issue 15): the first start with nothing in
# place, the README's first snippet run as a script, jq habits and option
# mistakes, help per command, errors that say what to do next, -V, the
# man page's rendering and what chatcat does on a terminal (through a
# pseudo-terminal, tests/ptyrun.py).
. "${srcdir:-.}/tests/lib.sh"
require python3-websockets

HINT="Try 'chatcat --help' for more information."
NOWHERE="ws://127.0.0.1:1"
PTYRUN=$(dirname "$PEER")/ptyrun.py
MAN=${srcdir:-.}/man/chatcat.1
README=${srcdir:-.}/README.md
OK='~(.*\n)*.*"status":"complete"\}'

# --- First start -----------------------------------------------------------
# No ~/.local at all: serve makes every missing directory, mode 0700.
OLDHOME=$HOME
export HOME=$TMP/home
unset XDG_STATE_HOME
mkdir -m 700 "$HOME"
serve first
assert "serve without ~/.local: it starts, on the default database" \
    [ -f "$HOME/.local/state/chatcat/chat.db" ]
modes=$(stat -c %a "$HOME/.local" "$HOME/.local/state" \
    "$HOME/.local/state/chatcat" | tr '\n' ' ')
assert "... each directory made is private (0700): $modes" \
    [ "$modes" = "700 700 700 " ]
run -u "$URL" --token "$TOKEN" -q send --thread $T1 hi
check "... and it answers" 0 "$OK" ""
stop first
export HOME=$OLDHOME

# The README's first snippet, as a script: it waits for the ready line
# before it reads it (in a script the file is still empty otherwise).
mkdir "$TMP/bin" "$TMP/readme" "$TMP/readme/home"
printf '#!/bin/sh\nexec %s "$@"\n' "$CHATCAT" >"$TMP/bin/chatcat"
chmod +x "$TMP/bin/chatcat"
sed -n '/^install -m 600 \/dev\/null server.line/,/^export /p' "$README" \
    >"$TMP/readme/snippet"
assert "the README's first snippet waits for the ready line" \
    grep -q "until grep -q '^CHATCAT_URL=' server.line" "$TMP/readme/snippet"
(
	cd "$TMP/readme" && export HOME=$TMP/readme/home PATH=$TMP/bin:$PATH &&
	    unset XDG_STATE_HOME && sed -i 's/--listen 0/--listen 127.0.0.1:0/' snippet &&
	    . ./snippet && chatcat -q send 'first start' >"$TMP/out" 2>"$TMP/err"
	echo $? >"$TMP/readme/rc"
	kill %1
	wait
)
RC=$(cat "$TMP/readme/rc")
check "... run as a script, the send after it gets its reply" 0 "$OK" ""

# --- jq habits and option mistakes ----------------------------------------
serve s
C=(-u "$URL" --token "$TOKEN")
run "${C[@]}" -c --jq .type send --thread $T1 hi
check "-c (jq's habit) is accepted: output is compact already" 0 '"message_received"\n"message"' ""
run "${C[@]}" --compact-output -q send --thread $T1 hi
check "--compact-output too" 0 "$OK" ""
run "${C[@]}" --jq -r .content history $T1
check "--jq -r: the flag taken as the filter is named" 2 "" "chatcat: --jq took '-r' as its filter; put the filter right after --jq\n$HINT"
run "${C[@]}" --until --count 1 history $T1
check "--until takes the same care" 2 "" "chatcat: --until took '--count' as its filter; put the filter right after --until\n$HINT"
run "${C[@]}" --jq -1 -q history $T1
check "... while a negative number is a filter" 0 "~(-1\n)*-1" ""
run "${C[@]}" sned hi
check "a mistyped command: did you mean" 2 "" "chatcat: unknown command 'sned': did you mean send?\n$HINT"
run "${C[@]}" --thred $T1 send hi
check "a mistyped long option: did you mean" 2 "" "chatcat: unknown option: --thred (did you mean --thread?)\n$HINT"
run "${C[@]}" --tokne=secret send hi
check "... never showing what follows '='" 2 "" "chatcat: unknown option: --tokne (did you mean --token?)\n$HINT"
run "${C[@]}" -q send --thread $T2 --jq 'select(.type == "message") | .content' -j -- what does -v mean
check "send -- what does -v mean: -v is a word of the message" 0 "what does -v mean" ""

run help send
check "chatcat help send: synopsis first" 0 "~usage: chatcat \[options\] send \[--thread UUID\] \[--agent UUID\] \[--\] \[TEXT\.\.\.\]\n(.*\n)*Examples:\n  chatcat send [^\n]*\n  chatcat send [^\n]*-- what does -v mean\n\nSee chatcat\(1\)\." ""
cp "$TMP/out" "$TMP/help-send"
assert "... send's options, not serve's" \
    bash -c "grep -q -- '--jq EXPR' '$TMP/help-send' && grep -q -- '--agent UUID' '$TMP/help-send' && ! grep -q -- '--listen' '$TMP/help-send'"
assert "... and it documents --" grep -q 'after -- every word is an operand' "$TMP/help-send"
run send --help
assert "chatcat send --help is the same text" cmp -s "$TMP/out" "$TMP/help-send"
run help pipe
assert "chatcat help pipe: --thread and --agent are pipe's too" \
    bash -c "grep -q -- '--thread UUID' '$TMP/out' && grep -q -- '--agent UUID' '$TMP/out' && grep -q '^Examples:' '$TMP/out'"
run help sevre
check "chatcat help with a mistyped command" 2 "" "chatcat: unknown command 'sevre': did you mean serve?\n$HINT"
run --help
cp "$TMP/out" "$TMP/help"
run help
assert "chatcat help alone is --help" cmp -s "$TMP/out" "$TMP/help"
assert "--help groups the options: serve's under their heading" \
    bash -c "sed -n '/^Options of serve:/,/^\$/p' '$TMP/help' | grep -q -- '--listen'"
assert "... and names no option as one command's when others take it" \
    bash -c "! grep -E -- '--(thread|agent) .*\((send|send, history)\)' '$TMP/help'"

# The usage text and the man page's SYNOPSIS name the same options for
# each command.
synopsis_help() {
	sed -n "s/^.*chatcat \[options\] $1 //p" "$TMP/help" |
	    grep -oE -- '-(-[a-z-]*|[A-Za-z])' | sort -u | tr '\n' ' '
}
synopsis_man() {
	sed -n '/^\.Sh SYNOPSIS/,/^\.Sh DESCRIPTION/p' "$MAN" |
	    awk -v c="$1" '/^\.Nm/ { on = 0 } $0 == ".Cm " c { on = 1 } on' |
	    grep -oE 'Fl [-A-Za-z]+' | sed 's/^Fl /-/' | sort -u | tr '\n' ' '
}
for c in send history pipe serve; do
	assert "$c: usage and SYNOPSIS name the same options ($(synopsis_help $c))" \
	    [ "$(synopsis_help $c)" = "$(synopsis_man $c)" ]
done

# --- send's message --------------------------------------------------------
run -u $NOWHERE --token x send ''
check "an empty TEXT is refused, before connecting" 2 "" "chatcat: TEXT: the message is empty: nothing to send"
run -u $NOWHERE --token x send
check "an empty stdin is refused" 2 "" "chatcat: stdin: the message is empty: nothing to send"
"$PYTHON" "$PTYRUN" --type 'typed on a terminal' -- "$CHATCAT" "${C[@]}" \
    send --thread $T2 --jq 'select(.type == "message") | .content' -j \
    >"$TMP/out" 2>"$TMP/err"
RC=$?
check "stdin a terminal: it says what it waits for, then sends what was typed" 0 "typed on a terminal\n" "chatcat: reading the message from the terminal: type it, then Ctrl-D on a line of its own"

# --- URLs and errors that say what to do next -----------------------------
run -u 44179 --token x send hi
check "-u with a bare number: refused with a hint" 2 "" "chatcat: 44179: a bare number is not a host: did you mean 127.0.0.1:44179?"
run -u $NOWHERE --token x send hi
check "a connection failure names no thread that will never exist" 10 "" "chatcat: $NOWHERE/chat/ws?token=***: cannot connect: connection refused"
run "${C[@]}" send hi
assert "... while a run that connects names its new thread" \
    grep -qE '^chatcat: thread [0-9a-f-]{36}$' "$TMP/err"
if "$PYTHON" -c 'import socket, sys
s = socket.socket()
sys.exit(s.connect_ex(("127.0.0.1", 8765)) == 0)'; then
	run --token x send hi
	check "nothing at the default URL: how to start a server or name one" 10 "" "chatcat: ws://127.0.0.1:8765/chat/ws?token=***: cannot connect: connection refused\nchatcat: no server at the default URL: start one with 'chatcat serve' or name yours with -u or CHATCAT_URL"
else
	skip "nothing at the default URL: the hint" "something listens on 127.0.0.1:8765 here"
fi
run -u "wss://127.0.0.1:$PORT" --token "$TOKEN" -k -q send hi
check "wss:// to a plain port: the server does not seem to speak TLS" 11 "" "chatcat: wss://127.0.0.1:$PORT/chat/ws?token=***: TLS failure: wrong version number: the server does not seem to speak TLS (ws:// may be meant)"
if command -v openssl >/dev/null 2>&1 &&
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
    -nodes -keyout "$TMP/tls.key" -out "$TMP/tls.pem" -subj /CN=localhost \
    -days 2 >/dev/null 2>&1; then
	peer tls --token x --tls-cert "$TMP/tls.pem" --tls-key "$TMP/tls.key"
	run -u "ws://127.0.0.1:$PORT" --token x send hi
	check "ws:// to a TLS port: TLS may be needed" 14 "" "chatcat: ws://127.0.0.1:$PORT/chat/ws?token=***: the server closed the connection during the upgrade without answering (TLS may be needed: wss://)"
else
	skip "ws:// to a TLS port: TLS may be needed" "openssl cannot make a certificate"
fi

# --- Colour on a terminal ------------------------------------------------
ESC=$'\033'
run "${C[@]}" -q -M history $T1
cp "$TMP/out" "$TMP/plain"
tty_history() {
	env -u NO_COLOR "$@" "$PYTHON" "$PTYRUN" --tty-out -- "$CHATCAT" \
	    "${C[@]}" -q "${FLAGS[@]}" history $T1 >"$TMP/out" 2>"$TMP/err"
	RC=$?
}
FLAGS=()
tty_history
assert "on a terminal, frames are coloured like jq's (keys bold blue, strings green)" \
    grep -qF "${ESC}[34;1m\"type\"${ESC}[0m${ESC}[1;39m:${ESC}[0m${ESC}[0;32m\"message\"${ESC}[0m" "$TMP/out"
sed "s/${ESC}\[[0-9;]*m//g" "$TMP/out" >"$TMP/stripped"
assert "... and without the colour codes they are the frames, byte for byte" \
    cmp -s "$TMP/stripped" "$TMP/plain"
FLAGS=(-M)
tty_history
assert "-M: no colour on a terminal" bash -c "[ $RC = 0 ] && ! grep -q \$'\\033' '$TMP/out' && cmp -s '$TMP/out' '$TMP/plain'"
FLAGS=()
tty_history NO_COLOR=1
assert "NO_COLOR: no colour on a terminal" bash -c "[ $RC = 0 ] && cmp -s '$TMP/out' '$TMP/plain'"
run "${C[@]}" -q -C history $T1
assert "-C: colour into a pipe too" grep -qF "${ESC}[34;1m\"type\"" "$TMP/out"

# --- Version and man page -------------------------------------------------
run -V
check "-V lists the libraries, none with a trailing dash" 0 "~chatcat [0-9.]+ libwebsockets/[0-9][0-9.]*[^- ]* libjq/[0-9][^ ]* oniguruma/[0-9][0-9.]* OpenSSL/[0-9][^ ]* SQLite/[0-9][0-9.]*" ""
if command -v mandoc >/dev/null 2>&1; then
	mandoc -Tutf8 "$MAN" | col -b >"$TMP/man.txt"
	assert "the man page renders no '-goes -on -printing'" \
	    bash -c "grep -q '^ *goes on printing)' '$TMP/man.txt' && ! grep -q -- '-goes' '$TMP/man.txt'"
	assert "... and no nested quotes in EVENTS" \
	    bash -c "grep -q '(“status complete”, “status end”' '$TMP/man.txt' && ! grep -q '””' '$TMP/man.txt'"
	mandoc -Tlint -W style "$MAN" 2>&1 | grep -v 'referenced manual not found\|mandoc.db lacks' >"$TMP/lint"
	assert "mandoc -Tlint -W style: clean but for pages not installed here" \
	    [ ! -s "$TMP/lint" ]
	assert "EXAMPLES show --" \
	    bash -c "sed -n '/^EXAMPLES/,/^SEE ALSO/p' '$TMP/man.txt' | grep -qF -- 'send --thread \"\$THREAD\" -- what does -v mean'"
else
	for c in "rendering: --follow" "rendering: EVENTS" "lint" "EXAMPLES show --"; do
		skip "man page $c" "mandoc is not installed"
	done
fi

# --- The test harness -----------------------------------------------------
cat >"$TMP/needs.sh" <<EOT
#!/bin/bash
. "$(cd "${srcdir:-.}" && pwd)/tests/lib.sh"
require no-such-tool-here
pass "never reached"
finish
EOT
chmod +x "$TMP/needs.sh"
"$TMP/needs.sh" >"$TMP/out" 2>"$TMP/err"
RC=$?
check "a missing prerequisite: the script skips with its reason, exit 77" 77 "1..0 # SKIP no-such-tool-here is not installed" ""
"$(dirname "$PEER")/tap-run.sh" "$TMP/needs.sh" >"$TMP/out" 2>"$TMP/err"
RC=$?
check "... which tap-run.sh hands to the TAP driver as a skip" 0 "1..0 # SKIP no-such-tool-here is not installed" ""

finish
