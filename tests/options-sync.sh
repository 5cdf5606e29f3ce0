#!/bin/sh
# options-sync.sh: every long option that "chatcat --help" lists must be
# documented in the man page and in the bash, zsh and fish completions, and
# those four files must name no long option that --help does not list.
# The man page must also pass "mandoc -Tlint -W warning" without a word.
#
# TAP output; exit status 1 if any case failed.  Run by automake with
# $srcdir set; $CHATCAT names the binary to ask for --help.
#
# How each file names a long option NAME (comment lines are ignored):
#   man/chatcat.1            mdoc ".Fl -NAME" (".Fl \-NAME" is accepted too)
#   completions/chatcat      --NAME
#   completions/_chatcat     --NAME
#   completions/chatcat.fish -l NAME in a "complete" command; any --NAME
#                            elsewhere in it must be a real option too

srcdir=${srcdir:-.}
CHATCAT=${CHATCAT:-./src/chatcat}

man=$srcdir/man/chatcat.1
bashc=$srcdir/completions/chatcat
zshc=$srcdir/completions/_chatcat
fishc=$srcdir/completions/chatcat.fish

min_options=20
count=0
failed=0

# pass DESCRIPTION / fail DESCRIPTION [DIAGNOSTIC...]: print one TAP result;
# each diagnostic goes on its own "# " line after a failure.
pass()
{
	count=$((count + 1))
	printf 'ok %d - %s\n' "$count" "$1"
}

fail()
{
	count=$((count + 1))
	failed=1
	printf 'not ok %d - %s\n' "$count" "$1"
	shift
	for line in "$@"; do
		printf '# %s\n' "$line"
	done
}

# body KIND FILE: the file without its comment lines.  For fish, lines
# continued with a backslash are joined, so that each "complete" command is
# one line.
body()
{
	case $1 in
	man)	sed '/^\.\\"/d' "$2" ;;
	fish)	sed '/^[[:space:]]*#/d' "$2" | awk '{
			while (/\\$/ && (getline next_line) > 0)
				$0 = substr($0, 1, length($0) - 1) next_line
			print
		}' ;;
	*)	sed '/^[[:space:]]*#/d' "$2" ;;
	esac
}

# names KIND: read a file body on stdin, print the long options it names:
# man ".Fl -NAME"; fish "-l NAME" in a complete command, or "--NAME";
# bash and zsh "--NAME".  Patterns go through the environment, as awk -v
# would eat their backslashes.
names()
{
	case $1 in
	man)	re='Fl \\?-[a-z][a-z-]*' ;;
	*)	re='[^A-Za-z0-9_-]--[a-z][a-z-]*' ;;
	esac
	fish_re='[^A-Za-z0-9_-]-l[[:space:]]+[a-z][a-z-]*'
	[ "$1" = fish ] || fish_re=
	RE=$re FISH_RE=$fish_re awk '
	function scan(line, re,    opt) {
		while (match(line, re)) {
			opt = substr(line, RSTART, RLENGTH)
			line = substr(line, RSTART + RLENGTH)
			sub(/^.*(Fl \\?-|-l[[:space:]]+|--)/, "", opt)
			print opt
		}
	}
	{
		scan(" " $0, ENVIRON["RE"])
		if (ENVIRON["FISH_RE"] != "" && $1 == "complete")
			scan(" " $0, ENVIRON["FISH_RE"])
	}' | sort -u
}

# has KIND NAME: succeed if the file body on stdin names --NAME (for fish,
# as "-l NAME" in a complete command).
has()
{
	case $1 in
	man)	re="Fl \\\\?-$2([^a-z-]|\$)" ;;
	fish)	re="^[[:space:]]*complete[[:space:]].*[[:space:]]-l[[:space:]]+$2([^a-z-]|\$)" ;;
	*)	re="(^|[^A-Za-z0-9_-])--$2([^a-z-]|\$)" ;;
	esac
	grep -Eq -- "$re"
}

# The option column of --help: "  -u, --url URL" or "      --token TOKEN".
help=$("$CHATCAT" --help 2>/dev/null)
help_rc=$?
options=$(printf '%s\n' "$help" |
	sed -e 's/^[[:space:]]*-[[:alnum:]],[[:space:]]*/ /' |
	sed -n 's/^[[:space:]]*--\([a-z][a-z-]*\).*/\1/p' | sort -u)
noptions=$(printf '%s\n' "$options" | grep -c .)


if [ "$help_rc" -eq 0 ] && [ -n "$help" ]; then
	pass "$CHATCAT --help exits 0 with text on stdout"
else
	fail "$CHATCAT --help exits 0 with text on stdout" \
		"exit status $help_rc, $(printf '%s' "$help" | wc -c) bytes"
fi

if [ "$noptions" -ge "$min_options" ]; then
	pass "--help lists $noptions long options (at least $min_options)"
else
	fail "--help lists at least $min_options long options" \
		"found $noptions: $(printf '%s\n' "$options" | tr '\n' ' ')"
fi

# Each file documents every option of --help.
for spec in man:"$man" bash:"$bashc" zsh:"$zshc" fish:"$fishc"; do
	kind=${spec%%:*}
	file=${spec#*:}
	what="$file documents every long option of --help"
	if [ ! -r "$file" ]; then
		fail "$what" "$file cannot be read"
		continue
	fi
	text=$(body "$kind" "$file")
	set --
	for opt in $options; do
		printf '%s\n' "$text" | has "$kind" "$opt" ||
			set -- "$@" "--$opt is missing from $file"
	done
	if [ $# -eq 0 ]; then
		pass "$what"
	else
		fail "$what" "$@"
	fi
done

# ... and names no option that --help does not list.
for spec in man:"$man" bash:"$bashc" zsh:"$zshc" fish:"$fishc"; do
	kind=${spec%%:*}
	file=${spec#*:}
	what="$file names no long option missing from --help"
	if [ ! -r "$file" ]; then
		fail "$what" "$file cannot be read"
		continue
	fi
	set --
	for opt in $(body "$kind" "$file" | names "$kind"); do
		case "
$options
" in
		*"
$opt
"*)	;;
		*)	set -- "$@" "--$opt is in $file but not in --help" ;;
		esac
	done
	if [ $# -eq 0 ]; then
		pass "$what"
	else
		fail "$what" "$@"
	fi
done

what="mandoc -Tlint -W warning $man prints nothing"
if command -v mandoc >/dev/null 2>&1; then
	lint=$(mandoc -Tlint -W warning "$man" 2>&1)
	lint_rc=$?
	if [ "$lint_rc" -eq 0 ] && [ -z "$lint" ]; then
		pass "$what"
	else
		fail "$what" "exit status $lint_rc"
		printf '%s\n' "$lint" | sed 's/^/# /'
	fi
else
	count=$((count + 1))
	printf 'ok %d - %s # SKIP mandoc is not installed\n' "$count" "$what"
fi

echo "1..$count"
exit "$failed"
