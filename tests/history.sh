#!/bin/bash
# history against the independent peer, and the --jq filter with -r/-e and
# its runtime errors (exit 5).
. "${srcdir:-.}/tests/lib.sh"
plan 16

{
	printf '{"thread_id":"%s","role":"user","content":"question %s"}\n' $T1 1 $T1 2
	printf '{"thread_id":"%s","role":"assistant","content":"answer"}\n' $T1
} >"$TMP/seed"
H() { # id role content
	printf '{"type":"message","id":"msg_%s","thread_id":"%s","role":"%s","content":"%s","created_at":"2026-01-01T00:00:00Z"}' "$1" $T1 "$2" "$3"
}
EXPECT="$(H 1 user 'question 1')\n$(H 2 user 'question 2')\n$(H 3 assistant answer)"

peer doc --token sekrit --seed "$TMP/seed"
C=(-u "$URL" --token sekrit)
run "${C[@]}" --idle 600 history $T1
check "history: every message, history_end consumed (not the idle gap)" 0 "$EXPECT" ""
run "${C[@]}" --idle 600 history --thread $T1
check "history --thread UUID" 0 "$EXPECT" ""
CHATCAT_THREAD=$T1 run "${C[@]}" --idle 600 history
check "history takes CHATCAT_THREAD" 0 "$EXPECT" ""
run "${C[@]}" --idle 600 history $T2
check "an empty thread is an empty history" 0 "" ""
run "${C[@]}" --jq .content -r history $T1
check "--jq .content -r" 0 "question 1\nquestion 2\nanswer" ""
run "${C[@]}" --jq '{r: .role}' history $T1
check "--jq output is compact JSON" 0 '{"r":"user"}\n{"r":"user"}\n{"r":"assistant"}' ""
run "${C[@]}" --jq 'select(.role == "nobody")' -e history $T1
check "-e and no output: exit 4" 4 "" ""
run "${C[@]}" --jq '.role == "assistant"' -e history $T1
check "-e and a true last output: exit 0" 0 "false\nfalse\ntrue" ""
run "${C[@]}" --jq 'if .role == "user" then error("no users") else .content end' history $T1
check "jq runtime errors name the frame, the run goes on, exit 5" 5 '"answer"' "chatcat: frame 1: jq: error: no users\nchatcat: frame 2: jq: error: no users"

peer noend --token sekrit --seed "$TMP/seed" --no-history-end --record "$TMP/noend.rec"
run -u "$URL" --token sekrit --idle 0.3 history $T1
check "no end marker: complete after --idle of silence" 0 "$EXPECT" ""
run -u "$URL" --token sekrit --idle 600 --fence history $T1
check "no end marker: --fence completes" 0 "$EXPECT" ""
assert "the history request frame" [ "$(frames "$TMP/noend.rec" | head -1)" = "{\"type\":\"history\",\"thread_id\":\"$T1\"}" ]

peer dep --token sekrit --mode deployed --seed "$TMP/seed"
run -u "$URL" --token sekrit --idle 0.3 history $T1
check "deployed server's user/token replay" 0 "~(\{\"type\":\"user\".*\n){2}\{\"type\":\"token\".*" ""

i=0
while [ $i -lt 3000 ]; do
	printf '{"thread_id":"%s","role":"user","content":"message %d"}\n' $T2 $i
	i=$((i + 1))
done >"$TMP/seed-big"
peer big --token sekrit --seed "$TMP/seed-big"
run -u "$URL" --token sekrit history $T2
assert "3000 messages: every one, in order" [ "$(cut -d'"' -f20 "$TMP/out" | md5sum)" = "$(i=0; while [ $i -lt 3000 ]; do echo "message $i"; i=$((i + 1)); done | md5sum)" ]
"$CHATCAT" -u "$URL" --token sekrit history $T2 2>"$TMP/err" | head -2 >"$TMP/out"
RC=${PIPESTATUS[0]}
check "history | head -2: exit 0, nothing on stderr" 0 "~(\{\"type\":\"message\".*\n?){2}" ""

peer silent --token sekrit --silent
run -u "$URL" --token sekrit -W 0.3 --idle 600 history $T1
check "history: --timeout, exit 124" 124 "" "chatcat: timed out after 0.3 s"
finish
