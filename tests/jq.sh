#!/bin/bash
# The output filter: jq's flags with jq's meanings, named arguments,
# --until, --count, --buffered, and what happens when stdout fails.
. "${srcdir:-.}/tests/lib.sh"
plan 31

{
	printf '{"thread_id":"%s","role":"user","content":"héllo"}\n' $T1
	printf '{"thread_id":"%s","role":"assistant","content":"wörld"}\n' $T1
	printf '{"thread_id":"%s","role":"user","content":"third"}\n' $T1
	# Escapes jq reads in its own way (a surrogate pair) and ones chatcat's
	# faster reader builds itself; the peer escapes every non-ASCII character.
	printf '{"thread_id":"%s","role":"user","content":"%s"}\n' $T2 \
	    'é\u0000😀 \"q\" \\ \/ \t\u001f\u2028'
} >"$TMP/seed"
peer p --token t --seed "$TMP/seed"
C=(-u "$URL" --token t)

run "${C[@]}" --jq .content history $T2
check "escapes and a surrogate pair read as jq reads them" 0 '"é\\u0000😀 \\"q\\" \\\\ / \\t\\u001f\u2028"' ""
run "${C[@]}" --jq '.content | explode | map(tostring) | join(",")' -r history $T2
check "... to the same code points" 0 "233,0,128512,32,34,113,34,32,92,32,47,32,9,31,8232" ""
run "${C[@]}" --jq .content -j history $T1
check "-j: raw, no newlines" 0 "héllowörldthird" ""
run "${C[@]}" --jq .content -a history $T1
check "-a: non-ASCII escaped" 0 '"h\\u00e9llo"\n"w\\u00f6rld"\n"third"' ""
run "${C[@]}" --jq '{z: 1, a: .role}' -S history $T1
check "-S: keys sorted" 0 '{"a":"user","z":1}\n{"a":"assistant","z":1}\n{"a":"user","z":1}' ""
run "${C[@]}" --jq '{a: 1}' --indent 2 --count 1 history $T1
check "--indent 2 and --count 1" 0 '{\n  "a": 1\n}' ""
run "${C[@]}" --jq '{a: 1}' --tab --count 1 history $T1
check "--tab" 0 '{\n\t"a": 1\n}' ""
run "${C[@]}" --jq '{a: 1}' -C --count 1 history $T1
check "-C: colour even into a file" 0 "~.*\\[1;39m\\{.*\\[0m" ""
NO_COLOR= run "${C[@]}" --jq '{a: 1}' --count 1 history $T1
check "no colour into a file by default" 0 '{"a":1}' ""
# On a terminal (script(1) provides one): colour by default, none with NO_COLOR.
tty_run() {
	script -qec "$(printf '%q ' env "$@")" /dev/null </dev/null >"$TMP/tty" 2>"$TMP/err"
	RC=$?
	tr -d '\r' <"$TMP/tty" >"$TMP/out"  # the terminal turns \n into \r\n
}
tty_run -u NO_COLOR "$CHATCAT" "${C[@]}" --jq '{a: 1}' --count 1 history $T1
check "on a terminal: colour by default" 0 "~.*\[1;39m\{.*\[0m.*" ""
tty_run NO_COLOR=1 "$CHATCAT" "${C[@]}" --jq '{a: 1}' --count 1 history $T1
check "on a terminal with NO_COLOR set: no colour" 0 '{"a":1}' ""
run "${C[@]}" --jq '{a: 1}' -C -M --count 1 history $T1
check "-M after -C: no colour" 0 '{"a":1}' ""
run "${C[@]}" --arg who me --argjson n '{"x":[1,2]}' --jq '[$who, $n.x[1]]' --count 1 history $T1
check "--arg and --argjson" 0 '["me",2]' ""
printf '1 2\n[3]\n' >"$TMP/slurp"
printf 'raw text\n' >"$TMP/raw"
run "${C[@]}" --slurpfile s "$TMP/slurp" --rawfile r "$TMP/raw" --jq '[$s, $r]' --count 1 history $T1
check "--slurpfile and --rawfile" 0 '[[1,2,[3]],"raw text\\n"]' ""
CHATCAT_TEST_VAR=from-env run "${C[@]}" --jq '$ENV.CHATCAT_TEST_VAR' -r --count 1 history $T1
check '$ENV' 0 "from-env" ""
printf '.role\n| ascii_upcase\n' >"$TMP/filter.jq"
run "${C[@]}" --jq-file "$TMP/filter.jq" -r history $T1
check "--jq-file" 0 "USER\nASSISTANT\nUSER" ""
run "${C[@]}" --argjson n '{bad' --jq '$n' history $T1
check "--argjson with bad JSON: exit 2" 2 "" "~chatcat: --argjson n: .*"
run "${C[@]}" --rawfile r "$TMP/missing" --jq '$r' history $T1
check "--rawfile with a missing file: exit 2" 2 "" "~chatcat: --rawfile r: .*"
run "${C[@]}" --arg onlyname
check "--arg without its value: exit 2" 2 "" "chatcat: --arg onlyname: a second argument is needed\nTry 'chatcat --help' for more information."
run "${C[@]}" --jq-file "$TMP/missing" history $T1
check "a missing --jq-file: exit 2" 2 "" "chatcat: $TMP/missing: cannot open the filter file"
run "${C[@]}" --indent 9 history $T1
check "--indent out of range" 2 "" "chatcat: --indent: expected a number from 0 to 7, got '9'\nTry 'chatcat --help' for more information."
run "${C[@]}" --until '.role == "assistant"' --idle 600 history $T1
check "--until: stop after the first frame that matches (printed)" 0 "~\{\"type\":\"message\".*\"user\".*\n\{\"type\":\"message\".*\"assistant\".*" ""
run "${C[@]}" --until 'error("no")' --idle 0.2 history $T1
check "--until errors are reported, count as false, exit 5" 5 "~(.*\n){2}.*" "~chatcat: frame 1: jq: error: .*\nchatcat: frame 2: jq: error: .*\nchatcat: frame 3: jq: error: .*"
run "${C[@]}" --count 2 --idle 600 history $T1
check "--count without a filter counts frames" 0 "~(\{\"type\":\"message\"[^\n]*\n){1}\{\"type\":\"message\"[^\n]*" ""
run "${C[@]}" --buffered --jq .content -r history $T1
check "--buffered: the same output" 0 "héllo\nwörld\nthird" ""

"$CHATCAT" "${C[@]}" --jq 'range(100000)' history $T1 2>"$TMP/err" | head -c5 >"$TMP/out"
RC=${PIPESTATUS[0]}
check "many outputs into a closed pipe: exit 0, quietly" 0 "0\n1\n2" ""
"$CHATCAT" "${C[@]}" --jq 'range(100000)' --buffered history $T1 2>"$TMP/err" | head -c5 >"$TMP/out"
RC=${PIPESTATUS[0]}
check "... also with --buffered" 0 "0\n1\n2" ""
if [ -w /dev/full ]; then
	run "${C[@]}" history $T1 >/dev/full
	"$CHATCAT" "${C[@]}" history $T1 >/dev/full 2>"$TMP/err"
	RC=$?
	: >"$TMP/out"
	check "stdout full: exit 2 with the reason" 2 "" "chatcat: stdout: No space left on device"
	"$CHATCAT" "${C[@]}" --jq '[range(20000)]' history $T1 >/dev/full 2>"$TMP/err"
	RC=$?
	check "... also when one output is larger than the buffer" 2 "" "chatcat: stdout: No space left on device"
else
	pass "# SKIP /dev/full is missing"
	pass "# SKIP /dev/full is missing"
fi
run "${C[@]}" --jq 'if .role == "user" then 1 else empty end' -e history $T1
check "-e: the last output decides (1: exit 0)" 0 "1\n1" ""
run "${C[@]}" --jq '.x' -e history $T1
check "-e: null last output: exit 4" 4 "null\nnull\nnull" ""
finish
