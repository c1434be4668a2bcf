#!/bin/sh
# Run cmocka test binaries one after another and print a closing tally
# line; with --valgrind, under valgrind's memcheck.
vg=""
if [ "$1" = "--valgrind" ]; then
	vg="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --suppressions=$(dirname "$0")/valgrind.supp"
	shift
fi
pass=0 fail=0
for t in "$@"; do
	if $vg "$t"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAILED: $t"; fi
done
echo "unit: $pass passed, $fail failed"
[ $fail -eq 0 ]
