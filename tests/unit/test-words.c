/*
 * test-words.c: durations said one way (words_duration), and the message
 * templates that say them: {validity} in words, {minutes} as a number,
 * and "{minutes} minutes" of older templates never read "1 minutes".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "../../backends/backend.h"
#include "../../src/util.h"
#include "../../src/words.h"

static void
dur_is(long secs, const char *want)
{
	char	buf[64];

	words_duration(secs, buf, sizeof buf);
	assert_string_equal(buf, want);
}

static void
test_duration(void **state)
{
	(void)state;
	dur_is(1, "1 second");
	dur_is(55, "55 seconds");
	dur_is(60, "1 minute");
	dur_is(90, "90 seconds");
	dur_is(120, "2 minutes");
	dur_is(599, "10 minutes");
	dur_is(3600, "60 minutes");
	dur_is(7500, "2 hours 5 minutes");
	dur_is(7200, "2 hours");
	dur_is(3 * 86400, "3 days");
}

/* tpl expanded for a code that lives secs seconds (minutes: rounded up). */
static char *
expand(const char *tpl, long secs, bool exact)
{
	struct be_call		call = { .user = "alice", .issuer = "ACME" };
	struct be_message	msg = { .code = "123456" };
	struct rd_buf		out;
	char			*s;

	msg.minutes = (int)((secs + 59) / 60);
	msg.seconds = exact ? secs : 0;
	rd_buf_init(&out, 4096);
	backend_expand(tpl, &call, &msg, &out);
	s = xstrdup(out.data);
	rd_buf_free(&out);
	return s;
}

static void
expand_is(const char *tpl, long secs, bool exact, const char *want)
{
	char	*got = expand(tpl, secs, exact);

	assert_string_equal(got, want);
	free(got);
}

static void
test_templates(void **state)
{
	(void)state;
	expand_is("{code} valid for {validity}.", 60, true,
	    "123456 valid for 1 minute.");
	expand_is("{code} valid for {validity}.", 90, true,
	    "123456 valid for 90 seconds.");
	expand_is("{code} valid for {validity}.", 600, true,
	    "123456 valid for 10 minutes.");
	/* A test message knows only the minutes. */
	expand_is("valid for {validity}", 60, false, "valid for 1 minute");
	/* Older templates: the number and its word together. */
	expand_is("It expires in {minutes} minutes.", 60, true,
	    "It expires in 1 minute.");
	expand_is("It expires in {minutes} minutes.", 90, true,
	    "It expires in 90 seconds.");
	expand_is("{issuer} {user}: {minutes} min", 60, true,
	    "ACME alice: 1 min");
	expand_is("ważny {minutes} minut", 600, true, "ważny 10 minut");
}

/* Every built-in message, at a one-minute validity. */
static void
test_builtin_singular(void **state)
{
	static const char *const files[] = { "share/templates/code.txt",
	    "share/templates/code.html" };
	char	*tpl, *got;
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof files / sizeof files[0]; i++) {
		tpl = harness_slurp(files[i]);
		assert_non_null(tpl);
		got = expand(tpl, 60, true);
		assert_non_null(strstr(got, "valid for 1 minute."));
		assert_null(strstr(got, "1 minutes"));
		free(got);
		free(tpl);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_duration),
		cmocka_unit_test(test_templates),
		cmocka_unit_test(test_builtin_singular),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
