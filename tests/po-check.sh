#!/bin/sh
# tests/po-check.sh POT PO...: every catalogue is complete and sound.
#
# For each po/LANG.po: msgfmt --check passes (formats keep their
# conversions, plural forms are declared), and merged with the freshly
# extracted template it has no untranslated and no fuzzy message, so a
# message added to or changed in the sources without its translation
# fails `make test`.  `make update-po` brings the new messages in.
set -u
pot=$1
shift
tmp=$(mktemp -d "${TMPDIR:-/tmp}/redoubt-po.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
for po in "$@"; do
	if ! msgfmt --check -o /dev/null "$po"; then
		echo "po-check: $po: msgfmt --check fails"
		fail=1
		continue
	fi
	msgmerge --quiet -o "$tmp/merged.po" "$po" "$pot" || {
		echo "po-check: $po: msgmerge fails"
		fail=1
		continue
	}
	stats=$(LC_ALL=C msgfmt --check --statistics -o /dev/null \
	    "$tmp/merged.po" 2>&1)
	total=$(grep -c '^msgid ' "$pot")
	case $stats in
	*fuzzy* | *untranslated*)
		echo "po-check: $po: $stats (run make update-po, translate)"
		# Name the first few messages that need work.
		msgattrib --only-fuzzy "$tmp/merged.po" 2>/dev/null |
		    grep "^msgid " | sed 1d | head -n 5 | sed "s/^/  fuzzy: /"
		msgattrib --untranslated "$tmp/merged.po" 2>/dev/null |
		    grep '^msgid ' | sed 1d | head -n 5 |
		    sed 's/^/  untranslated: /'
		fail=1
		;;
	*)
		echo "po-check: $po: $stats ($((total - 1)) in $pot)"
		;;
	esac
done
exit $fail
