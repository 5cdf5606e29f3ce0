#!/bin/bash
# The shell completions: the committed files are what src/gencomp makes
# from the option table, and each one, loaded in its real shell, completes
# the commands, the options of the command on the line (and not those of
# another command) and option arguments.  bash is driven through its
# completion function, fish through "complete -C", zsh interactively in a
# tmux pane of its own.  A shell that is not installed is skipped
# (.ci/deps installs them all).
. "${srcdir:-.}/tests/lib.sh"
plan 21

: "${GENCOMP:?GENCOMP must name src/gencomp/gencomp}"
COMP=${srcdir:-.}/completions
RC=0
: >"$TMP/out"
: >"$TMP/err"
mkdir -p "$TMP/dir/sub"
: >"$TMP/dir/file"
# The profiles --profile completes: the [NAME]s of the config file.
mkdir -p "$XDG_CONFIG_HOME/chatcat"
printf '[default]\nurl = x\n[stage-1]\n# [not-one]\n' \
    >"$XDG_CONFIG_HOME/chatcat/config"

# has WORD...: each WORD is a word of $TMP/out (the candidates listed);
# lacks WORD...: none is.
has() {
	local w
	for w in "$@"; do
		grep -qE -- "(^|[[:space:]])${w}([[:space:]]|\$)" "$TMP/out" ||
		    return 1
	done
}
lacks() {
	local w
	for w in "$@"; do
		grep -qE -- "(^|[[:space:]])${w}([[:space:]]|\$)" "$TMP/out" &&
		    return 1
	done
	return 0
}

# send_only: the candidates are send's options and none of serve's only.
send_only() {
	has --thread --agent --jq && lacks --listen --db --agent-cmd --sync
}

# The committed files are the generator's output.
for spec in bash:chatcat zsh:_chatcat fish:chatcat.fish; do
	"$GENCOMP" "${spec%%:*}" >"$TMP/out" 2>"$TMP/err"
	RC=$?
	assert "completions/${spec#*:} is gencomp ${spec%%:*}'s output" \
	    cmp -s "$TMP/out" "$COMP/${spec#*:}"
done

# bash WORD...: complete the last WORD of "chatcat WORD..." in bash; the
# candidates go to $TMP/out, one a line.
bash_complete() {
	bash --norc --noprofile -c 'source "$1" || exit 1; shift
		COMP_WORDS=(chatcat "$@")
		COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
		_chatcat
		printf "%s\n" "${COMPREPLY[@]}"' bash "$COMP/chatcat" "$@" \
	    >"$TMP/out" 2>"$TMP/err"
	RC=$?
}

bash_complete ""
assert "bash: the commands" has send history pipe serve
bash_complete send --
assert "bash: after send, send's options" has --thread --agent --jq
assert "bash: ... and not serve's" send_only
bash_complete serve --sync ""
assert "bash: --sync's choices" has normal full
bash_complete --capath "$TMP/dir/"
assert "bash: a directory after --capath" \
    eval '[ "$(cat "$TMP/out")" = "$TMP/dir/sub" ]'
bash_complete send --profile ""
assert "bash: --profile offers the config file's profiles" \
    eval '[ "$(sort "$TMP/out" | tr "\n" " ")" = "default stage-1 " ]'

# fish LINE: complete LINE in fish; the candidates to $TMP/out.
fish_complete() {
	fish --no-config -c 'source $argv[1]; or exit 1
		complete -C $argv[2]' "$COMP/chatcat.fish" "$1" \
	    >"$TMP/out" 2>"$TMP/err"
	RC=$?
}

if command -v fish >/dev/null 2>&1; then
	fish_complete "chatcat "
	assert "fish: the commands" has send history pipe serve
	fish_complete "chatcat send --"
	assert "fish: after send, send's options" has --thread --agent --jq
	assert "fish: ... and not serve's" send_only
	fish_complete "chatcat serve --sync "
	assert "fish: --sync's choices" has normal full
	fish_complete "chatcat --slurpfile NAME $TMP/dir/"
	assert "fish: a file as --slurpfile's second argument" \
	    has "$TMP/dir/file"
	fish_complete "chatcat --profile "
	assert "fish: --profile offers the config file's profiles" \
	    eval 'has default stage-1 && lacks not-one'
	# Installed as make install does for a prefix (configure's default
	# $datadir/fish/vendor_completions.d), fish loads it by itself once
	# XDG_DATA_DIRS names the prefix's share (a chatcat on PATH).
	mkdir -p "$TMP/prefix/share/fish/vendor_completions.d" "$TMP/prefix/bin" \
	    "$TMP/fishhome"
	cp "$COMP/chatcat.fish" "$TMP/prefix/share/fish/vendor_completions.d/"
	printf '#!/bin/sh\n' >"$TMP/prefix/bin/chatcat"
	chmod +x "$TMP/prefix/bin/chatcat"
	HOME=$TMP/fishhome XDG_CONFIG_HOME= XDG_DATA_HOME= \
	    PATH=$TMP/prefix/bin:$PATH XDG_DATA_DIRS=$TMP/prefix/share:/usr/share \
	    fish -c 'complete -C "chatcat "' >"$TMP/out" 2>"$TMP/err"
	assert "fish: found in the prefix's vendor_completions.d via XDG_DATA_DIRS" \
	    has send history pipe serve
else
	for c in commands "send's options" "not serve's" choices file \
	    profiles vendor; do
		skip "fish: $c" "fish is not installed"
	done
fi

# zsh runs in a tmux server of its own (its socket in $TMP), killed on
# exit.  Each case types a line and a Tab between two echoed markers,
# and the pane's text between them is what zsh listed.
ZSOCK=$TMP/tmux
zsh_stop() {
	tmux -S "$ZSOCK" kill-server >/dev/null 2>&1
	cleanup
}

zsh_start() {
	mkdir -p "$TMP/zfunc" &&
	cp "$COMP/_chatcat" "$TMP/zfunc/" || return 1
	cat >"$TMP/zshrc" <<EOF
PS1='%% '
fpath=("$TMP/zfunc" \$fpath)
autoload -Uz compinit && compinit -u -d "$TMP/zcompdump"
unsetopt list_ambiguous always_last_prompt
LISTMAX=100000
cd "$TMP"
EOF
	trap zsh_stop EXIT
	env -u TMUX tmux -S "$ZSOCK" -f /dev/null new-session -d -x 200 -y 50 \
	    "env HOME='$TMP' TERM=screen zsh -f" || return 1
	zsh_keys ". '$TMP/zshrc'" Enter
}

# zsh_keys TEXT KEY...: type TEXT, then press the KEYs.
zsh_keys() {
	tmux -S "$ZSOCK" send-keys -l "$1" && shift &&
	tmux -S "$ZSOCK" send-keys "$@"
}

# zsh_complete N TEXT: type TEXT and a Tab, then run the line as ": TEXT"
# (with what the Tab filled in).  What zsh listed goes to $TMP/out, the
# line it ran to $TMP/line.  Fails if the end marker does not show within
# 20 seconds, or if zsh complained instead of listing.
zsh_complete() {
	local n=$1 deadline=$((SECONDS + 20))
	zsh_keys "echo BEGIN''$n" Enter &&
	zsh_keys "$2" Tab C-a &&
	zsh_keys ": " Enter &&
	zsh_keys "echo END''$n" Enter || return 1
	while :; do
		tmux -S "$ZSOCK" capture-pane -p -J -S - >"$TMP/pane" 2>&1
		grep -q "^END$n\$" "$TMP/pane" && break
		if [ "$SECONDS" -ge "$deadline" ]; then
			cp "$TMP/pane" "$TMP/out"
			return 1
		fi
		sleep 0.05
	done
	sed -n "/^BEGIN$n\$/,/^END$n\$/p" "$TMP/pane" >"$TMP/range"
	sed -e '1d' -e '$d' -e '/^% /d' "$TMP/range" >"$TMP/out"
	sed -n 's/^% : //p' "$TMP/range" >"$TMP/line"
	# A broken spec makes _arguments print its complaint instead.
	! grep -q '_arguments' "$TMP/out"
}

if ! command -v zsh >/dev/null 2>&1 || ! command -v tmux >/dev/null 2>&1
then
	for c in commands "send's options" "not serve's" choices "a file" \
	    profiles; do
		skip "zsh: $c" "zsh or tmux is not installed"
	done
elif ! zsh_start; then
	for c in commands "send's options" "not serve's" choices "a file" \
	    profiles; do
		fail "zsh: $c" "tmux could not start zsh"
	done
else
	zsh_complete 1 "chatcat " && has send history pipe serve
	assert "zsh: the commands" [ $? -eq 0 ]
	zsh_complete 2 "chatcat send --" && has --thread --agent --jq
	assert "zsh: after send, send's options" [ $? -eq 0 ]
	assert "zsh: ... and not serve's" send_only
	zsh_complete 3 "chatcat serve --sync " && has normal full
	assert "zsh: --sync's choices" [ $? -eq 0 ]
	zsh_complete 4 "chatcat --capath dir/" &&
	    grep -qx "chatcat --capath dir/sub/\?" "$TMP/line"
	assert "zsh: the one directory after --capath is filled in" [ $? -eq 0 ]
	zsh_complete 5 "chatcat --profile " && has default stage-1 &&
	    lacks not-one
	assert "zsh: --profile offers the config file's profiles" [ $? -eq 0 ]
fi

finish
