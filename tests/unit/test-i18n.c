/*
 * test-i18n.c: the operator's language.  Durations read with the plural
 * forms of the locale's language (Polish has three: 1 minuta, 2 minuty,
 * 5 minut), English stays as it was under C, and --json keeps messages
 * English whatever the locale.  Needs the pl_PL.UTF-8 locale (make deps
 * makes it) and the catalogue built into share/locale (make).
 */
#include <locale.h>
#include <string.h>

#include "harness.h"

#include "../../src/i18n.h"
#include "../../src/words.h"

static void
duration_is(long secs, const char *want)
{
	char	buf[64];

	words_duration(secs, buf, sizeof buf);
	assert_string_equal(buf, want);
}

/* The locale and the catalogue, or the test fails: nothing is skipped. */
static void
polish(void)
{
	assert_non_null(setlocale(LC_ALL, "pl_PL.UTF-8"));
	i18n_init(LOCALEDIR, false);
}

static void
english(void)
{
	setlocale(LC_ALL, "C");
	i18n_init(LOCALEDIR, false);
}

static void
test_durations_english(void **state)
{
	(void)state;
	english();
	duration_is(1, "1 second");
	duration_is(45, "45 seconds");
	duration_is(60, "1 minute");
	duration_is(120, "2 minutes");
	duration_is(300, "5 minutes");
	duration_is(2 * 3600 + 300, "2 hours 5 minutes");
	duration_is(3600 * 24 * 3, "3 days");
}

static void
test_durations_polish(void **state)
{
	(void)state;
	polish();
	duration_is(1, "1 sekunda");
	duration_is(2, "2 sekundy");
	duration_is(45, "45 sekund");
	duration_is(60, "1 minuta");
	duration_is(120, "2 minuty");
	duration_is(300, "5 minut");
	duration_is(12 * 60, "12 minut");
	duration_is(22 * 60, "22 minuty");
	duration_is(25 * 60, "25 minut");
	duration_is(2 * 3600 + 300, "2 godziny 5 minut");
	duration_is(5 * 3600 + 60, "5 godzin 1 minuta");
	duration_is(21 * 3600 + 2 * 60, "21 godzin 2 minuty");
	duration_is(3600 * 24 * 3, "3 dni");
	english();
}

static void
test_messages_polish(void **state)
{
	(void)state;
	polish();
	assert_string_equal(_("yes"), "tak");
	assert_string_equal(ngettext("%d entry", "%d entries", 1), "%d wpis");
	assert_string_equal(ngettext("%d entry", "%d entries", 3), "%d wpisy");
	assert_string_equal(ngettext("%d entry", "%d entries", 5), "%d wpisów");
	assert_string_equal(ngettext("%d entry", "%d entries", 22),
	    "%d wpisy");
	assert_string_equal(ngettext("%d entry", "%d entries", 112),
	    "%d wpisów");
	english();
	assert_string_equal(_("yes"), "yes");
}

/* --json anywhere before a "--" keeps every message English. */
static void
test_json_english(void **state)
{
	char	*with[] = { "redoubt", "user", "show", "alice", "--json",
			NULL };
	char	*first[] = { "redoubt", "--json", "user", "list", NULL };
	char	*none[] = { "redoubt", "user", "show", "alice", NULL };
	char	*after[] = { "redoubt", "user", "add", "--", "--json", NULL };

	(void)state;
	assert_true(i18n_wants_json(5, with));
	assert_true(i18n_wants_json(4, first));
	assert_false(i18n_wants_json(4, none));
	assert_false(i18n_wants_json(5, after));
	assert_non_null(setlocale(LC_ALL, "pl_PL.UTF-8"));
	i18n_init(LOCALEDIR, true);
	assert_string_equal(_("yes"), "yes");
	duration_is(300, "5 minutes");
	/* The character set stays the operator's: only messages are C. */
	assert_string_equal(setlocale(LC_CTYPE, NULL), "pl_PL.UTF-8");
	english();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_durations_english),
		cmocka_unit_test(test_durations_polish),
		cmocka_unit_test(test_messages_polish),
		cmocka_unit_test(test_json_english),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
