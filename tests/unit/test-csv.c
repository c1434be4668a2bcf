/*
 * test-csv.c: the CSV reader of the imports: quoting, doubled quotes,
 * quoted line breaks, CRLF, a byte order mark, blank lines skipped, the
 * line each record starts on, and malformed records refused by line with
 * the reader going on at the next one; header lookup; field quoting.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "../../src/csv.h"

static struct csv *
csv_of(const char *text, FILE **fpp)
{
	FILE	*fp = fmemopen((void *)(uintptr_t)text, strlen(text), "r");

	assert_non_null(fp);
	*fpp = fp;
	return csv_open_stream(fp, "test.csv");
}

static void
test_quoting(void **state)
{
	FILE		*fp;
	struct csv	*c = csv_of("\xef\xbb\xbfuser, email \r\n"
	    "\"a, b\",\"say \"\"hi\"\"\"\r\n\n"
	    "x,\"two\nlines\"\n"
	    "last,\n", &fp);
	char		*f[CSV_MAX_FIELDS];
	int		 n;
	long		 line;
	struct rd_err	 err;

	(void)state;
	assert_int_equal(csv_next(c, f, &n, &line, &err), RD_OK);
	assert_int_equal(n, 2);
	assert_int_equal(line, 1);
	assert_string_equal(f[0], "user");
	assert_int_equal(csv_column(f, n, "EMAIL"), 1);
	assert_int_equal(csv_column(f, n, "phone"), -1);
	assert_int_equal(csv_next(c, f, &n, &line, &err), RD_OK);
	assert_int_equal(line, 2);
	assert_string_equal(f[0], "a, b");
	assert_string_equal(f[1], "say \"hi\"");
	assert_int_equal(csv_next(c, f, &n, &line, &err), RD_OK);
	assert_int_equal(line, 4);
	assert_string_equal(f[1], "two\nlines");
	assert_int_equal(csv_next(c, f, &n, &line, &err), RD_OK);
	assert_int_equal(line, 6);
	assert_int_equal(n, 2);
	assert_string_equal(f[0], "last");
	assert_string_equal(f[1], "");
	assert_int_equal(csv_next(c, f, &n, &line, &err), RD_NOT_FOUND);
	csv_free(c);
	fclose(fp);
}

static void
test_malformed(void **state)
{
	FILE		*fp;
	struct csv	*c = csv_of("ok,1\n\"bad\"x,2\ngood,3\n\"open,4\n",
	    &fp);
	char		*f[CSV_MAX_FIELDS];
	int		 n;
	long		 line;
	struct rd_err	 err;

	(void)state;
	assert_int_equal(csv_next(c, f, &n, &line, &err), RD_OK);
	assert_int_equal(csv_next(c, f, &n, &line, &err), RD_USAGE);
	assert_non_null(strstr(err.msg, "test.csv, line 2"));
	assert_int_equal(csv_next(c, f, &n, &line, &err), RD_OK);
	assert_int_equal(line, 3);
	assert_string_equal(f[0], "good");
	assert_int_equal(csv_next(c, f, &n, &line, &err), RD_USAGE);
	assert_non_null(strstr(err.msg, "line 4"));
	csv_free(c);
	fclose(fp);
}

static void
test_write(void **state)
{
	char	*buf = NULL;
	size_t	 len = 0;
	FILE	*fp = open_memstream(&buf, &len);

	(void)state;
	assert_int_equal(csv_write_field(fp, "plain"), 0);
	assert_int_equal(csv_write_field(fp, "a,\"b\""), 0);
	assert_int_equal(csv_write_field(fp, " pad"), 0);
	fclose(fp);
	assert_string_equal(buf, "plain\"a,\"\"b\"\"\"\" pad\"");
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quoting),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_write),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
