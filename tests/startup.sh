#!/bin/bash
# Start-up: a process loads only what its command needs (src/lib/lazylib.h):
# a send over ws:// only libc; OpenSSL for wss://; libjq (and oniguruma)
# for a filter; libwebsockets and SQLite for serve; libedit for chat.  A
# library that cannot be loaded is a one-line error naming the Debian
# package; a send to the thread already recorded for --continue does not
# write the record again.
. "${srcdir:-.}/tests/lib.sh"
plan 11

# sonames FILE: the libraries the dynamic loader (LD_DEBUG=files) opened.
sonames() {
	sed -n 's/.*file=\([^ ]*\) \[0\]; *\(needed\|dynamically loaded\).*/\1/p' "$1" | sort -u
}
# loaded FILE SONAME: the loader opened SONAME.
loaded() { sonames "$1" | grep -qxF "$2"; }
# only_libc FILE: nothing loaded but libc (and, in the sanitizer build, the
# sanitizers' runtime and what it needs).
only_libc() {
	local sanitizers='^(libasan\.so\.[0-9]*|libubsan\.so\.[0-9]*|libgcc_s\.so\.1|libm\.so\.6|libstdc\+\+\.so\.6)$'

	[ "${CHATCAT_SANITIZED:-no}" = yes ] || sanitizers='^$'
	[ "$(sonames "$1" | grep -Ev "$sanitizers")" = libc.so.6 ]
}
# ld_run ARGS...: run chatcat with the loader's trace in $TMP/ld.
ld_run() {
	LD_DEBUG=files LD_DEBUG_OUTPUT=$TMP/ld "$CHATCAT" "$@" >"$TMP/out" 2>"$TMP/err" </dev/null
	RC=$?
	cat "$TMP"/ld.* >"$TMP/ld" 2>/dev/null
	rm -f "$TMP"/ld.*
}

serve s --db "$TMP/s.db"
C=(-u "$URL" --token "$TOKEN")
ld_run "${C[@]}" send --thread $T1 hello
assert "send without a filter: exit 0, the reply complete" \
    grep -q '"content":"hello".*"status":"complete"' "$TMP/out"
assert "... with neither libjq, oniguruma, SQLite nor libedit loaded" \
    eval '! loaded "$TMP/ld" "libjq.so.1" && ! loaded "$TMP/ld" "libonig.so.5" &&
	! loaded "$TMP/ld" "libsqlite3.so.0" && ! loaded "$TMP/ld" "libedit.so.2" &&
	loaded "$TMP/ld" "libc.so.6"'
assert "... nor libwebsockets, OpenSSL, libcap or zlib: libc alone" \
    eval '! loaded "$TMP/ld" "libwebsockets.so.17" && ! loaded "$TMP/ld" "libssl.so.3" &&
	! loaded "$TMP/ld" "libcrypto.so.3" && ! loaded "$TMP/ld" "libcap.so.2" &&
	! loaded "$TMP/ld" "libz.so.1" && only_libc "$TMP/ld"'
ld_run "${C[@]}" --version
assert "--version: the versions, with no library loaded but libc" \
    eval '[ "$RC" = 0 ] && grep -q "^chatcat [^ ]* libwebsockets/[0-9.]* libjq/[^ ]* oniguruma/[0-9.]* OpenSSL/[0-9.]* SQLite/[0-9.]*\$" "$TMP/out" &&
	only_libc "$TMP/ld"'
# wss:// to a port where nothing listens (the TLS session is made first).
ld_run -u wss://127.0.0.1:1/chat/ws --token x send --thread $T1 hello
assert "wss://: OpenSSL loaded (then the connection is refused, exit 10), not libwebsockets" \
    eval '[ "$RC" = 10 ] && loaded "$TMP/ld" "libssl.so.3" && loaded "$TMP/ld" "libcrypto.so.3" &&
	! loaded "$TMP/ld" "libwebsockets.so.17"'
ld_run "${C[@]}" send --thread $T1 --jq 'select(.status == "complete") | .content' -r hi
check "send --jq: the filter runs" 0 "hi" ""
assert "... with libjq loaded, and not SQLite" \
    eval 'loaded "$TMP/ld" "libjq.so.1" && ! loaded "$TMP/ld" "libsqlite3.so.0"'

# A directory without the libraries (the loader's test hook): the error.
mkdir -p "$TMP/nolibs"
CHATCAT_TEST_LIBDIR=$TMP/nolibs run "${C[@]}" send --thread $T1 --jq .content hi
check "libjq missing: exit 2, one line naming the package" 2 "" \
    "~chatcat: cannot load libjq\.so\.1 \(install the Debian package libjq1\): [^\n]*nolibs/libjq\.so\.1[^\n]*"
CHATCAT_TEST_LIBDIR=$TMP/nolibs run "${C[@]}" send --thread $T1 hi
check "... but a send without a filter does not need it" 0 "~.*\"status\":\"complete\".*" ""
CHATCAT_TEST_LIBDIR=$TMP/nolibs run -u wss://127.0.0.1:1/chat/ws --token x send hi
check "OpenSSL missing: a wss:// send exits 2, one line naming the package" 2 "" \
    "~chatcat: cannot load lib(ssl|crypto)\.so\.3 \(install the Debian package libssl3\): [^\n]*"
CHATCAT_TEST_LIBDIR=$TMP/nolibs run serve --listen 127.0.0.1:0 --db "$TMP/n.db"
check "libwebsockets missing: serve exits 2, one line naming the package" 2 "" \
    "~chatcat: cannot load libwebsockets\.so\.17 \(install the Debian package libwebsockets17\): [^\n]*"
assert "... before it made a database" test ! -e "$TMP/n.db"
# A directory with libwebsockets (and what it needs) but not SQLite.
mkdir -p "$TMP/nosqlite"
LWS_SO=$(/sbin/ldconfig -p | awk '$1 == "libwebsockets.so.17" { print $NF; exit }')
ln -s "$LWS_SO" "$TMP/nosqlite/libwebsockets.so.17"
CHATCAT_TEST_LIBDIR=$TMP/nosqlite run serve --listen 127.0.0.1:0 --db "$TMP/n.db"
check "SQLite missing: serve exits 2, one line naming the package" 2 "" \
    "~chatcat: cannot load libsqlite3\.so\.0 \(install the Debian package libsqlite3-0\): [^\n]*"
assert "... before it made a database" test ! -e "$TMP/n.db"
# chat loads libedit when it starts (the rest of a chat is tested on a
# pseudo-terminal in chat.sh); script(1) gives it a terminal here.
CHATCAT_TEST_LIBDIR=$TMP/nolibs script -qec "$CHATCAT ${C[*]} chat" /dev/null \
    </dev/null >"$TMP/out" 2>&1
RC=$?
assert "libedit missing: chat exits 2, naming the package" \
    eval '[ "$RC" = 2 ] && grep -q "cannot load libedit\.so\.2 (install the Debian package libedit2)" "$TMP/out"'

# The record of the last thread: written once, not again when unchanged.
REC=$XDG_STATE_HOME/chatcat/threads
run "${C[@]}" send --thread $T2 one
ino=$(stat -c %i "$REC")
run "${C[@]}" send --thread $T2 two
assert "a send to the recorded thread leaves the record as it was" \
    eval '[ "$RC" = 0 ] && [ "$(stat -c %i "$REC")" = "$ino" ] && grep -q "^$T2 url $URL\$" "$REC"'
run "${C[@]}" send --thread $T1 three
assert "a send to another thread records it" \
    eval '[ "$RC" = 0 ] && [ "$(stat -c %i "$REC")" != "$ino" ] && grep -q "^$T1 url $URL\$" "$REC"'
finish
