/*
 * test-shword.c: the batch runner's word splitter against what a POSIX
 * shell makes of the same line: blanks, single and double quotes and
 * their joining, backslashes outside and inside double quotes, empty
 * words, comments (a whole line, after a blank, and a # inside a word
 * that is no comment), and lines refused with their number: a quote
 * left open, a backslash at the end, too many words.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "../../src/shword.h"

/* Split line and check its words are exactly the NULL-ended list. */
static void
split_is(const char *line, ...)
{
	struct shword	 w;
	struct rd_err	 err;
	char		 buf[256];
	const char	*want;
	va_list		 ap;
	int		 i = 0;

	if (shword_split(line, buf, sizeof buf, &w, 1, &err) != RD_OK)
		fail_msg("%s: %s", line, err.msg);
	va_start(ap, line);
	while ((want = va_arg(ap, const char *)) != NULL) {
		if (i >= w.n)
			fail_msg("%s: only %d words", line, w.n);
		if (strcmp(w.v[i], want) != 0)
			fail_msg("%s: word %d is [%s], not [%s]", line, i,
			    w.v[i], want);
		i++;
	}
	va_end(ap);
	if (i != w.n)
		fail_msg("%s: %d words, not %d", line, w.n, i);
	assert_null(w.v[w.n]);
}

static void
test_plain(void **state)
{
	(void)state;
	split_is("user add alice --email a@x.org", "user", "add", "alice",
	    "--email", "a@x.org", NULL);
	split_is("  \tuser   show\talice  ", "user", "show", "alice", NULL);
	split_is("", NULL);
	split_is("   \t ", NULL);
	split_is("x", "x", NULL);
}

static void
test_quotes(void **state)
{
	(void)state;
	split_is("user set 'Anna Nowak' --phone \"+48 500 000 000\"", "user",
	    "set", "Anna Nowak", "--phone", "+48 500 000 000", NULL);
	/* Single quotes keep backslashes and double quotes as they are. */
	split_is("a 'b\\c \"d\"'", "a", "b\\c \"d\"", NULL);
	/* Double quotes keep single quotes and blanks. */
	split_is("\"it's  here\"", "it's  here", NULL);
	/* Quotes join with their neighbours. */
	split_is("a'b'\"c\"d", "abcd", NULL);
	split_is("--email='a b'@x", "--email=a b@x", NULL);
	/* Empty words. */
	split_is("a '' \"\" b", "a", "", "", "b", NULL);
	split_is("''", "", NULL);
	/* A # inside quotes is a letter. */
	split_is("'#x' \"#y\"", "#x", "#y", NULL);
}

static void
test_escapes(void **state)
{
	(void)state;
	/* Outside quotes a backslash takes the next byte as it is. */
	split_is("a\\ b c\\'d \\\\ \\#e \\\"", "a b", "c'd", "\\", "#e", "\"",
	    NULL);
	/* Inside double quotes only \ " $ ` are escaped. */
	split_is("\"q\\\"q\" \"b\\\\s\" \"d\\$ \\`\" \"n\\n\"", "q\"q",
	    "b\\s", "d$ `", "n\\n", NULL);
	/* Inside single quotes nothing is. */
	split_is("'a\\'", "a\\", NULL);
}

static void
test_comments(void **state)
{
	(void)state;
	split_is("# a whole line", NULL);
	split_is("   # indented", NULL);
	split_is("user show alice # who is she", "user", "show", "alice",
	    NULL);
	split_is("user show alice\t#tab before", "user", "show", "alice",
	    NULL);
	/* Not at the start of a word: part of it. */
	split_is("user add a#b --email x#@y", "user", "add", "a#b", "--email",
	    "x#@y", NULL);
	/* A comment may hold quotes that are never closed. */
	split_is("x # it's fine \"", "x", NULL);
}

static void
refused(const char *line, long lineno, const char *what)
{
	struct shword	 w;
	struct rd_err	 err;
	char		 buf[512], num[32];

	assert_int_equal(shword_split(line, buf, sizeof buf, &w, lineno,
	    &err), RD_USAGE);
	assert_int_equal(err.code, RD_USAGE);
	assert_int_equal(w.n, 0);
	snprintf(num, sizeof num, "line %ld", lineno);
	if (strstr(err.msg, num) == NULL || strstr(err.msg, what) == NULL)
		fail_msg("%s: message [%s]", line, err.msg);
}

static void
test_refused(void **state)
{
	char	many[300] = "";
	int	i;

	(void)state;
	refused("user add 'alice", 7, "single quote is not closed");
	refused("user add \"alice", 12, "double quote is not closed");
	refused("a \"b\\\"", 3, "double quote is not closed");
	refused("user show alice\\", 4, "ends in a backslash");
	for (i = 0; i <= SHWORD_MAX; i++)
		strcat(many, "w ");
	refused(many, 9, "more than 64 words");
	/* Exactly the limit is fine. */
	many[strlen(many) - 2] = '\0';
	{
		struct shword	w;
		struct rd_err	err;
		char		buf[300];

		assert_int_equal(shword_split(many, buf, sizeof buf, &w, 1,
		    &err), RD_OK);
		assert_int_equal(w.n, SHWORD_MAX);
		/* A buffer too small for the line is refused, not overrun. */
		assert_int_equal(shword_split(many, buf, 10, &w, 5, &err),
		    RD_USAGE);
		assert_int_equal(w.n, 0);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_quotes),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_comments),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
