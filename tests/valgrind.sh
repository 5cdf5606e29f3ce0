#!/bin/sh
# `make check-valgrind` runs the test suite with $CHATCAT pointing here:
# chatcat under valgrind, where any memory error or leak makes the exit
# status 98 (so the case fails) and the report lands in $VALGRIND_LOGS.
logs=${VALGRIND_LOGS:-${TMPDIR:-/tmp}/chatcat-valgrind}
mkdir -p "$logs"
exec valgrind -q --error-exitcode=98 --leak-check=full \
    --show-leak-kinds=definite,indirect \
    --errors-for-leak-kinds=definite,indirect \
    --suppressions="$(dirname "$0")/valgrind.supp" \
    --log-file="$logs/chatcat.%p" "${CHATCAT_BIN:?}" "$@"
