#!/bin/bash
# --continue: the last thread of a profile (or URL) across runs, against a
# real `chatcat serve`; the record's place, mode and contents; the usage
# errors.
. "${srcdir:-.}/tests/lib.sh"
plan 14

HINT="Try 'chatcat --help' for more information."
REC=$XDG_STATE_HOME/chatcat/threads
serve s --db "$TMP/s.db"
C=(-u "$URL" --token "$TOKEN")
KEY="url ${URL%%\?*}"

run "${C[@]}" send --continue hi
check "--continue with nothing recorded" 2 "" "chatcat: --continue: no thread recorded for $URL yet\n$HINT"
assert "... and no record was made" [ ! -e "$REC" ]

run "${C[@]}" send first
THREAD=$(sed -n 's/^chatcat: thread //p' "$TMP/err")
check "send makes up a thread and says it" 0 "~.*\"content\":\"first\".*" "chatcat: thread $THREAD"
assert "the record holds that thread for the URL" [ "$(cat "$REC")" = "$THREAD $KEY" ]
assert "the record is mode 0600 in a directory of 0700" \
    [ "$(stat -c %a "$REC") $(stat -c %a "${REC%/*}") $(stat -c %a "$XDG_STATE_HOME")" = "600 700 700" ]
absent() { ! grep -q "$@"; }
assert "the record holds no credential" absent "$TOKEN" "$REC"

run "${C[@]}" send --continue second
check "send --continue: the same thread, no new one made up" 0 "~.*\"thread_id\":\"$THREAD\".*\"content\":\"second\".*" ""
run "${C[@]}" history --continue
assert "history --continue: both messages are in that thread" \
    [ "$RC" = 0 -a "$(grep -c '"role":"user"' "$TMP/out")" = 2 ]
run_in '{"type":"message","content":"third"}' "${C[@]}" pipe --continue
check "pipe --continue fills the thread in" 0 "~.*\"thread_id\":\"$THREAD\".*\"content\":\"third\".*" ""

run "${C[@]}" send --continue --thread $T1 hi
check "--thread and --continue together" 2 "" "chatcat: give --thread (or THREAD) or --continue, not both\n$HINT"
run "${C[@]}" history --continue $T1
check "history THREAD and --continue together" 2 "" "chatcat: give --thread (or THREAD) or --continue, not both\n$HINT"

# A profile has its own record.
mkdir -p "$XDG_CONFIG_HOME/chatcat"
printf '%s\n' "$TOKEN" >"$TMP/tok"
printf '[p]\nurl = %s\ntoken-file = %s\n' "$URL" "$TMP/tok" >"$XDG_CONFIG_HOME/chatcat/config"
run --profile p send --continue hi
check "a profile does not take the URL's thread" 2 "" "chatcat: --continue: no thread recorded for profile [p] yet\n$HINT"
run --profile p send --thread $T1 hi
run --profile p send --continue --dry-run again
check "after a send with --thread, --continue takes it" 0 \
    "{\"type\":\"message\",\"thread_id\":\"$T1\",\"agent_id\":null,\"content\":\"again\"}" "~.*"
run --profile p send --dry-run --thread $T2 again
assert "a dry run records nothing" grep -q "^$T1 profile p\$" "$REC"
finish
