#!/bin/bash
# Profiles: the config file's sections, each precedence rule (command
# line, then environment, then the profile, then the defaults), every kind
# of bad input (FILE:LINE: reason, exit 2) and the check that refuses a
# secret others may read.  Most cases use --dry-run, whose stderr names
# the URL and headers a run would use without connecting; the last ones
# send through a profile to a real `chatcat serve`.
. "${srcdir:-.}/tests/lib.sh"
plan 40

HINT="Try 'chatcat --help' for more information."
CONF=$XDG_CONFIG_HOME/chatcat/config
mkdir -p "$XDG_CONFIG_HOME/chatcat"
printf 'tok-from-file\n' >"$TMP/tok"
A=ws://127.0.0.1:1/a
B=ws://127.0.0.1:1/b

# conf TEXT: write the config file, readable by its owner only.
conf() {
	printf '%b' "$1" >"$CONF"
	chmod 600 "$CONF"
}

# target: the URL the last dry run would have connected to.
target() {
	sed -n 's/^chatcat: dry run: would connect to //p' "$TMP/err"
}

# uses DESC URL: the last run was a dry run of exit 0 towards URL.
uses() {
	local got
	got=$(target)
	if [ "$RC" = 0 ] && [ "$got" = "$2?token=***" ]; then
		pass "$1"
	else
		fail "$1" "expected the target $2?token=***, got '$got'"
	fi
}

conf "# two servers\n[default]\nurl = $A\ntoken-file = $TMP/tok\n\n[b]\nurl = $B\ntoken-file=$TMP/tok\n"
run send --dry-run --thread $T1 hi
uses "[default] applies when no profile is named" $A
CHATCAT_PROFILE=b run send --dry-run --thread $T1 hi
uses "CHATCAT_PROFILE picks a section" $B
CHATCAT_PROFILE=default run --profile b send --dry-run --thread $T1 hi
uses "--profile beats CHATCAT_PROFILE" $B
CHATCAT_URL=ws://127.0.0.1:1/env run --profile b send --dry-run --thread $T1 hi
uses "CHATCAT_URL beats the profile's url" ws://127.0.0.1:1/env
CHATCAT_URL=ws://127.0.0.1:1/env run -u ws://127.0.0.1:1/cli --profile b send --dry-run --thread $T1 hi
uses "-u beats CHATCAT_URL and the profile" ws://127.0.0.1:1/cli

conf "[default]\nurl = $A\ntoken-file = $TMP/missing\n"
run send --dry-run --thread $T1 hi
check "the profile's token-file is read when nothing else gives a credential" 2 "" "chatcat: $TMP/missing: No such file or directory\nchatcat: $CONF:3: in profile [default]\n$HINT"
CHATCAT_API_KEY=k run send --dry-run --thread $T1 hi
assert "CHATCAT_API_KEY beats the profile's token-file" [ "$RC" = 0 -a "$(target)" = "$A?key=***" ]
run --token t send --dry-run --thread $T1 hi
uses "--token beats the profile's token-file" $A

conf "[default]\nurl = $A\ntoken-file = $TMP/tok\nthread = $T2\nbackfill = true\nheader = X-One: 1\nheader = X-Two: 2\nuser-agent = prof/1\n"
run send --dry-run hi
check "the profile's thread, headers and user-agent; a key that does not apply to send is ignored" 0 \
    "{\"type\":\"message\",\"thread_id\":\"$T2\",\"agent_id\":null,\"content\":\"hi\"}" \
    "~.*> User-Agent: prof/1\n> X-One: 1\n> X-Two: 2"
CHATCAT_THREAD=$T1 run send --dry-run hi
check "CHATCAT_THREAD beats the profile's thread" 0 \
    "{\"type\":\"message\",\"thread_id\":\"$T1\",\"agent_id\":null,\"content\":\"hi\"}" "~.*"
run history --dry-run $T1
check "history's THREAD operand beats the profile's thread" 0 \
    "{\"type\":\"history\",\"thread_id\":\"$T1\"}" "~.*"
run --user-agent cli/2 send --dry-run hi
check "--user-agent beats the profile's" 0 "~.*" "~.*> User-Agent: cli/2\n> X-One: 1\n> X-Two: 2"
run -v send --dry-run hi
check "-v says which profile and file" 0 "~.*" "~chatcat: profile \[default\] from $CONF\n.*"

conf "[default]\nurl = $A\ntoken-file = $TMP/tok\n"
CHATCAT_CONFIG=$TMP/other run send --dry-run --thread $T1 hi
check "CHATCAT_CONFIG naming a missing file" 2 "" "chatcat: $TMP/other: No such file or directory\n$HINT"
printf '[default]\nurl = %s\ntoken-file = %s\n' $B "$TMP/tok" >"$TMP/other"
CHATCAT_CONFIG=$TMP/other run send --dry-run --thread $T1 hi
uses "CHATCAT_CONFIG names another file" $B
CHATCAT_CONFIG=$TMP/missing run --config "$TMP/other" send --dry-run --thread $T1 hi
uses "--config beats CHATCAT_CONFIG" $B
rm "$CONF"
run -u $A --token t send --dry-run --thread $T1 hi
uses "no config file and no profile named: the defaults" $A
run -u $A --token t --profile b send --dry-run --thread $T1 hi
check "a profile named but no config file" 2 "" "chatcat: $CONF: No such file or directory\n$HINT"

# bad NAME TEXT STDERR: a config file that is refused with STDERR.
bad() {
	conf "$2"
	run -u $A --token t send --dry-run --thread $T1 hi
	check "$1" 2 "" "$3\n$HINT"
}
bad "unknown key" "[default]\n# c\nbogus = 1\n" "chatcat: $CONF:3: unknown key 'bogus'"
bad "an option that is not a key (jq)" "[default]\njq = .\n" "chatcat: $CONF:2: unknown key 'jq'"
conf "[default]\nurl = $A\n"
run -u $A --token t --profile nope send --dry-run --thread $T1 hi
check "unknown profile" 2 "" "chatcat: $CONF: no profile [nope]\n$HINT"
bad "seconds of the wrong type" "[default]\ntimeout = soon\n" "chatcat: $CONF:2: expected a number of seconds, got 'soon'"
bad "a flag of the wrong type" "[x]\n[default]\ninsecure = maybe\n" "chatcat: $CONF:3: expected true or false, got 'maybe'"
bad "a value the option refuses" "[default]\nindent = 9\n" "chatcat: --indent: expected a number from 0 to 7, got '9'\nchatcat: $CONF:2: in profile [default]"
bad "a section repeated" "[default]\n[b]\n[default]\n" "chatcat: $CONF:3: the profile is given twice: 'default'"
bad "a key repeated" "[default]\nurl = $A\nurl = $B\n" "chatcat: $CONF:3: 'url' given twice in [default] (first on line 2)"
bad "two credentials in a profile" "[default]\ntoken-file = $TMP/tok\napi-key-file = $TMP/tok\n" "chatcat: $CONF:3: a second credential in [default] (first on line 2)"
bad "a setting before any section" "url = $A\n" "chatcat: $CONF:1: a setting before the first [NAME]: 'url'"
bad "an empty value" "[default]\nurl =\n" "chatcat: $CONF:2: no value for 'url'"
conf "[default]\nurl = $A\ntoken = t\nuser-agent =\n"
run send --dry-run --thread $T1 hi
check "an empty value where the option takes '' (no User-Agent)" 0 "~.*" "~.*> Sec-WebSocket-Version: 13"
bad "a line that is neither" "[default]\nurl\n" "chatcat: $CONF:2: expected [NAME], KEY = VALUE or a # comment"
bad "a bad section name" "[a b]\n" "chatcat: $CONF:1: a profile name is letters, digits, '.', '_' and '-', not 'a b'"

conf "[default]\nurl = $A\n[prod]\ntoken = sekrit\n"
chmod 640 "$CONF"
run send --dry-run --thread $T1 hi
check "a token in a file the group may read is refused" 2 "" "chatcat: $CONF:4: holds a secret but group or others may read the file: chmod 600 it, or use token-file\n$HINT"
chmod 600 "$CONF"
run --profile prod -u $A send --dry-run --thread $T1 hi
uses "... and taken once the file is private" $A
conf "[default]\nurl = $A\ntoken-file = ~/tok\n"
chmod 644 "$CONF"
HOME=$TMP run send --dry-run --thread $T1 hi
uses "token-file (with ~/) in a file others may read is fine" $A

serve s --db "$TMP/s.db"
printf '%s\n' "$TOKEN" >"$TMP/stok"
conf "[local]\nurl = $URL\ntoken-file = $TMP/stok\n[default]\nurl = $URL\ntoken-file = $TMP/tok\n"
run --profile local send --thread $T1 hello
check "send through a profile to a real server" 0 "~.*\"type\":\"message\".*" ""
run send --thread $T1 hello
check "the [default] profile's wrong token is refused by the server" 13 "" "~.*"

# --fence and --no-fence are one setting: the command line's wins over the
# profile's other spelling (the peer records the fence frames).
peer p --token sekrit --record "$TMP/p.rec"
fences() { all_frames "$TMP/p.rec" | grep -c '"type":"fence-'; }
conf "[default]\nurl = $URL\ntoken = sekrit\nfence = true\n"
run send --thread $T1 one
assert "the profile's fence = true sends a fence" [ "$RC" = 0 -a "$(fences)" = 1 ]
run --no-fence send --thread $T1 two
assert "--no-fence beats the profile's fence = true" [ "$RC" = 0 -a "$(fences)" = 1 ]
conf "[default]\nurl = $URL\ntoken = sekrit\nno-fence = true\n"
run --fence send --thread $T1 three
assert "--fence beats the profile's no-fence = true" [ "$RC" = 0 -a "$(fences)" = 2 ]
finish
