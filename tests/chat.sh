#!/bin/bash
# chatcat chat on a pseudo-terminal (tests/ptydrive.py): turns on one
# thread, a reply with long pauses, Ctrl-C during a reply and at the
# prompt, Ctrl-D, the slash commands, continued lines, drops between
# turns and during a reply, the input history file.
. "${srcdir:-.}/tests/lib.sh"
plan 24
PTY=$(dirname "$PEER")/ptydrive.py
export XDG_STATE_HOME=$TMP/state

# chat NAME ARGS...: run chat on a terminal with the steps in $TMP/NAME.in;
# the terminal's output is $TMP/NAME.tty, the exit status RC.
chat() {
	local name=$1
	shift
	: >"$TMP/$name.tty"
	"$PYTHON" "$PTY" "$TMP/$name.tty" "$TMP/$name.in" -- "$CHATCAT" "$@" \
	    chat 2>"$TMP/$name.drv" </dev/null
	RC=$?
}
# steps NAME STEP...: the steps of a chat (tests/ptydrive.py's script).
steps() {
	local name=$1
	shift
	printf '%s\n' "$@" >"$TMP/$name.in"
}
# field FILE KEY: KEY of each message frame a peer recorded, as JSON.
field() {
	frames "$1" | "$PYTHON" -c 'import json, signal, sys
signal.signal(signal.SIGPIPE, signal.SIG_DFL)
for l in sys.stdin:
    d = json.loads(l)
    if d.get("type") == "message":
        print(json.dumps(d[sys.argv[1]]))' "$2"
}
has() { grep -qF -- "$2" "$TMP/$1.tty"; }

echo hi | "$CHATCAT" -u ws://127.0.0.1:9 --token t chat >"$TMP/out" 2>"$TMP/err"
RC=$?
check "stdin not a terminal: exit 2, pointing to pipe -R" 2 "" \
    "chatcat: chat: standard input is not a terminal; to send lines from a file or a pipe, use 'chatcat pipe -R'"
run -u ws://127.0.0.1:9 --token t chat extra
check "chat takes no operands" 2 "" "~chatcat: chat takes no operands.*\nTry.*"

# ------------------------------------------------------------ two turns
serve srv --token sekrit --db "$TMP/db"
SRV=$URL
steps two \
    'expect > ' \
    'send first question\r' \
    'expect \r\nfirst question\r\n> ' \
    'send second question\r' \
    'expect \r\nsecond question\r\n> ' \
    'send \x04'
chat two -u "$SRV" --token sekrit
assert "two turns, then Ctrl-D: exit 0" [ "$RC" = 0 ]
TH=$(sed -n 's/^chatcat: thread \([0-9a-f-]*\).*/\1/p' "$TMP/two.tty" | head -1)
assert "the new thread's id is shown when the chat starts" \
    [ "${#TH}" = 36 ]
run -u "$SRV" --token sekrit history -t "$TH"
check "... both turns went to that thread" 0 \
    "user: first question\n\nassistant: first question\n\nuser: second question\n\nassistant: second question" ""
steps cont \
    'expect > ' \
    'send /history\r' \
    'expect assistant: second question\r\n> ' \
    'send /thread\r' \
    'expect > ' \
    'send \x04'
chat cont -u "$SRV" --token sekrit --thread "$TH"
assert "--thread continues a thread: /history shows it" [ "$RC" = 0 ]
assert "... /thread prints its id" has cont "/thread"$'\r\n'"$TH"
steps contd \
    'expect > ' \
    'send /thread\r' \
    'expect > ' \
    'send \x04'
chat contd -u "$SRV" --token sekrit --continue
assert "--continue: the chat goes on in the thread the last chat used" \
    has contd "/thread"$'\r\n'"$TH"
stop srv

# ------------------------------------------- a reply with long pauses
peer slow --mode deployed --token t --parts 3 --gap 1 --final-status none \
    --reply 'AAA BBB CCC'
steps slow \
    'expect > ' \
    'send go\r' \
    'expect \r\nAAA BBB CCC\r\n> ' \
    'send \x04'
chat slow -u "$URL" --token t
assert "pauses inside a reply do not bring the prompt back early" \
    [ "$RC" = 0 ]
SLOW=$URL

# ------------------------------------------------ Ctrl-C during a reply
steps abandon \
    'expect > ' \
    'send go\r' \
    'expect AAA' \
    'send \x03' \
    'expect abandoned' \
    'expect > ' \
    'send next\r' \
    'expect \r\nAAA BBB CCC\r\n> ' \
    'send \x04'
chat abandon -u "$SLOW" --token t
assert "Ctrl-C during a reply: said, a prompt at once" \
    [ "$RC" = 0 ]
assert "... the abandoned reply's rest is not shown" \
    [ "$(grep -c 'BBB' "$TMP/abandon.tty")" = 1 ]

# ------------------------------------------------------- Ctrl-C at the prompt
peer echo --token t --record "$TMP/echo.rec"
ECHO=$URL
steps int \
    'expect > ' \
    'send abc' \
    'expect abc' \
    'send \x03' \
    'expect > ' \
    'send x\r' \
    'expect \r\nx\r\n> ' \
    'send \x03' \
    'expect Ctrl-C again' \
    'send \x03'
chat int -u "$ECHO" --token t
assert "Ctrl-C twice on an empty line: exit 130" [ "$RC" = 130 ]
assert "... Ctrl-C cleared the typed line" \
    [ "$(field "$TMP/echo.rec" content | tr '\n' ' ')" = '"x" ' ]

# --------------------------------------------- commands, //, continuation
: >"$TMP/echo.rec"
steps cmd \
    'expect > ' \
    'send /help\r' \
    'expect /quit' \
    'expect > ' \
    'send /nonsense\r' \
    'expect /help lists them' \
    'expect > ' \
    'send //slash\r' \
    'expect \r\n/slash\r\n> ' \
    'send one \\\r' \
    'expect . ' \
    'send two\r' \
    'expect \r\ntwo\r\n> ' \
    'send /new\r' \
    'expect chatcat: thread ' \
    'expect > ' \
    'send on the new one\r' \
    'expect \r\non the new one\r\n> ' \
    'send /quit\r'
chat cmd -u "$ECHO" --token t --thread $T1
assert "/quit: exit 0" [ "$RC" = 0 ]
assert "/help lists the commands" has cmd "/history"
assert "an unknown command is named" has cmd "unknown command '/nonsense'"
assert "// sends a literal /; a final \\ continues the line" \
    [ "$(field "$TMP/echo.rec" content | head -2 | tr '\n' ' ')" = '"/slash" "one \ntwo" ' ]
assert "/new: a new thread for what follows" \
    [ "$(field "$TMP/echo.rec" thread_id | uniq | wc -l)" = 2 -a \
      "$(field "$TMP/echo.rec" thread_id | head -1)" = "\"$T1\"" ]

# --------------------------------------------------- the input history
H=$XDG_STATE_HOME/chatcat/chat_history
assert "the input history is kept, mode 0600" \
    [ "$(stat -c %a "$H")" = 600 ]
assert "... with the lines typed" grep -q '^on\\040the\\040new\\040one$' "$H"
assert "... and never the credential" [ "$(grep -c sekrit "$H")" = 0 ]

# ---------------------------------------------------- drops
peer life --token t --lifetime 0.3 --faults 1 --record "$TMP/life.rec"
steps life \
    'expect > ' \
    'send before\r' \
    'expect \r\nbefore\r\n> ' \
    "file $TMP/life.rec \"close\"" \
    'send after\r' \
    'expect \r\nafter\r\n> ' \
    'send \x04'
chat life -u "$URL" --token t
assert "a drop between turns: the next turn works" [ "$RC" = 0 ]
assert "... quietly" [ "$(grep -ci 'lost\|reconnect' "$TMP/life.tty")" = 0 ]

peer cut --token t --drop-after 2 --faults 1 --reply 'whole reply'
steps cut \
    'expect > ' \
    'send hello\r' \
    'expect lost during the reply' \
    'expect whole reply\r\n> ' \
    'send \x04'
chat cut -u "$URL" --token t
assert "a drop during a reply: reported, the reply from the history" \
    [ "$RC" = 0 ]
finish
