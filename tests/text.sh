#!/bin/bash
# -t, --text: the reply's text on both dialects, byte for byte; pipe's
# separators; history -t's transcript; escapes neutralised only on a
# terminal.
. "${srcdir:-.}/tests/lib.sh"
plan 19
PTY=$(dirname "$PEER")/ptydrive.py

# same DESC RC PRINTF: the exit status and stdout's exact bytes.
same() {
	printf "$3" >"$TMP/expect"
	if [ "$RC" != "$2" ]; then
		fail "$1" "expected exit status $2"
	elif ! cmp -s "$TMP/out" "$TMP/expect"; then
		fail "$1" "stdout differs: $(od -c "$TMP/out" | head -5 | tr '\n' ' ')"
	else
		pass "$1"
	fi
}

peer doc --token sekrit --parts 3
D=(-u "$URL" --token sekrit)
run "${D[@]}" send -t --thread $T1 hello world
same "doc: send -t prints the parts joined, one newline" 0 'hello world\n'
peer dep --mode deployed --token sekrit --parts 3 --final-status end \
    --tool-pause 0.01
P=(-u "$URL" --token sekrit)
run "${P[@]}" send -t --thread $T1 hello world
same "deployed: token frames, no step or tool frame" 0 'hello world\n'
peer nl --token sekrit --reply $'two\nlines\n'
run -u "$URL" --token sekrit send -t --thread $T1 x
same "a reply ending with a newline gets no second one" 0 'two\nlines\n'
peer depnl --mode deployed --token sekrit --reply $'done\n' \
    --final-status complete
run -u "$URL" --token sekrit send -t --thread $T1 x
same "deployed: a reply ending with a newline" 0 'done\n'

printf 'first\nsecond\n' | "$CHATCAT" "${D[@]}" pipe -R -t --thread $T2 \
    >"$TMP/out" 2>"$TMP/err"
RC=$?
same "doc: pipe -t ends each reply with a newline and a NUL" 0 \
    'first\n\0second\n\0'
printf 'first\nsecond\n' | "$CHATCAT" "${P[@]}" pipe -R -t --thread $T2 \
    >"$TMP/out" 2>"$TMP/err"
RC=$?
same "deployed: pipe -t, the same bytes" 0 'first\n\0second\n\0'

printf '{"type":"history","thread_id":"%s"}\n' $T1 | "$CHATCAT" "${D[@]}" \
    pipe -t >"$TMP/out" 2>"$TMP/err"
RC=$?
same "pipe -t: a history request's answer is a transcript, then a NUL" 0 \
    'user: hello world\n\nassistant: hello world\n\0'
run "${D[@]}" history -t $T1
same "doc: history -t is a transcript" 0 \
    'user: hello world\n\nassistant: hello world\n'
run "${P[@]}" history -t $T2
same "deployed: history -t (user and token frames)" 0 \
    'user: first\n\nassistant: first\n\nuser: second\n\nassistant: second\n'

run "${D[@]}" send -t --jq . hi
check "-t with --jq is a usage error" 2 "" \
    "~chatcat: -t prints text, --jq prints JSON: give one\nTry.*"
run "${D[@]}" send -t --jq-file /dev/null hi
check "-t with --jq-file too" 2 "" "~.*--jq-file prints JSON.*\nTry.*"

peer err --token sekrit --error 'no such agent'
run -u "$URL" --token sekrit send -t --thread $T1 hi
check "an error frame: stderr, exit 1, nothing on stdout" 1 "" \
    "~.*no such agent.*"

peer ignore --mode deployed --token sekrit --ignore-agent $AGENT
run -u "$URL" --token sekrit send -t --agent $AGENT --thread $T1 hi
same "a message never answered: exit 21 as without -t, nothing printed" 21 ''

peer esc --token sekrit --reply $'\e[31mred\x07\xc2\x9b!'
run -u "$URL" --token sekrit send -t --thread $T1 x
same "not a terminal: the bytes the server sent" 0 '\033[31mred\007\302\233!\n'
ESCURL=$URL
: >"$TMP/tty"
printf 'expect !\n' >"$TMP/script"
"$PYTHON" "$PTY" "$TMP/tty" "$TMP/script" -- "$CHATCAT" -u "$ESCURL" \
    --token sekrit send -t --thread $T1 x 2>"$TMP/err"
RC=$?
assert "a terminal: escapes shown, not obeyed" grep -qF \
    "^[[31mred^G"$'\xef\xbf\xbd'"!" "$TMP/tty"
assert "... and no escape byte reaches it" [ "$RC" = 0 -a \
    "$(tr -d -c '\033\007' <"$TMP/tty" | wc -c)" = 0  ]

run "${D[@]}" send -t --count 2 --thread $T1 abc
same "--count counts frames as without -t" 0 'a\n'
run "${P[@]}" send -t --until '.type == "token" and .content == "b"' \
    --thread $T1 abc
same "--until applies to the frames" 0 'ab\n'

serve srv --token sekrit --db "$TMP/db"
run -u "$URL" --token sekrit send -t --thread $T1 'to serve'
same "chatcat serve: send -t" 0 'to serve\n'
finish
