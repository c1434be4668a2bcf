/*
 * test-sheet.c: the enrolment sheet.  sheet_write makes a PDF (it starts
 * with %PDF and ends with %%EOF) of one page, also with 60 codes and a
 * QR code, of mode 0600; it refuses a path that exists and leaves it as
 * it was, and leaves nothing behind when it fails or when a staged sheet
 * is dropped.  Through the command table:
 * --sheet writes only when the step commits, adds one audit row without
 * the codes, and a refused step (a wrong code) writes nothing.
 */
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness.h"
#include "../../src/sheet.h"

static const char *const codes[] = { "ab12cd34ef", "gh56jk78mn" };

static void
sheet_fill(struct sheet *s)
{
	memset(s, 0, sizeof *s);
	s->user = "alice";
	s->issuer = "Example Co";
	s->uri = "otpauth://totp/Example%20Co:alice?secret="
	    "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Example%20Co";
	s->secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
	s->codes = codes;
	s->ncodes = 2;
	s->when = 1780000000;
}

/* Whether the n bytes at buf hold needle (a PDF holds NUL bytes). */
static bool
has(const char *buf, size_t n, const char *needle)
{
	size_t	i, k = strlen(needle);

	for (i = 0; i + k <= n; i++)
		if (memcmp(buf + i, needle, k) == 0)
			return true;
	return false;
}

/* Entries of dir but . and .. (a temporary name left would count). */
static int
entries(const char *dir)
{
	DIR		*d = opendir(dir);
	struct dirent	*e;
	int		 n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

static char *
join(const char *dir, const char *name)
{
	char	*p = malloc(strlen(dir) + strlen(name) + 2);

	assert_non_null(p);
	sprintf(p, "%s/%s", dir, name);
	return p;
}

/* The whole file (PDFs hold NUL bytes); *n its size. */
static char *
slurp(const char *path, size_t *n)
{
	FILE	*fp = fopen(path, "rb");
	char	*buf;
	long	 len;

	assert_non_null(fp);
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	len = ftell(fp);
	assert_true(len > 0);
	rewind(fp);
	buf = malloc((size_t)len);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)len, fp), (size_t)len);
	fclose(fp);
	*n = (size_t)len;
	return buf;
}

static void
test_write(void **state)
{
	struct sheet	 s;
	struct rd_err	 err;
	struct stat	 st;
	char		*dir = harness_tmpdir(), *path = join(dir, "a.pdf");
	char		*pdf, *again;
	size_t		 n, n2;

	(void)state;
	sheet_fill(&s);
	assert_int_equal(sheet_write(&s, path, &err), RD_OK);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	pdf = slurp(path, &n);
	assert_true(n > 1000);
	assert_memory_equal(pdf, "%PDF-", 5);
	assert_memory_equal(pdf + n - 6, "%%EOF\n", 6);
	assert_true(has(pdf, n, "/Count 1"));
	assert_int_equal(entries(dir), 1);

	/* Never over a file: refused, the file as it was, nothing left. */
	s.ncodes = 1;
	assert_int_equal(sheet_write(&s, path, &err), RD_EXISTS);
	assert_non_null(strstr(err.msg, path));
	assert_null(strstr(err.msg, codes[0]));
	again = slurp(path, &n2);
	assert_int_equal(n2, n);
	assert_memory_equal(again, pdf, n);
	assert_int_equal(entries(dir), 1);
	free(again);
	free(pdf);
	free(path);
	harness_rmdir(dir);
}

/* Many codes and a QR code still make one page: more columns. */
static void
test_one_page(void **state)
{
	static char	 buf[60][12];
	const char	*many[60];
	struct sheet	 s;
	struct rd_err	 err;
	char		*dir = harness_tmpdir(), *path = join(dir, "m.pdf"), *pdf;
	size_t		 i, n;

	(void)state;
	for (i = 0; i < 60; i++) {
		snprintf(buf[i], sizeof buf[i], "code%06zu", i);
		many[i] = buf[i];
	}
	sheet_fill(&s);
	s.codes = many;
	s.ncodes = 60;
	assert_int_equal(sheet_write(&s, path, &err), RD_OK);
	pdf = slurp(path, &n);
	assert_true(has(pdf, n, "/Count 1"));
	assert_false(has(pdf, n, "/Count 2"));
	free(pdf);
	free(path);
	harness_rmdir(dir);
}

static void
test_failures_leave_nothing(void **state)
{
	struct sheet		 s;
	struct sheet_file	*f;
	struct rd_err		 err;
	char			*dir = harness_tmpdir();
	char			*path = join(dir, "b.pdf");
	char			*nodir = join(dir, "no/such/dir.pdf");

	(void)state;
	sheet_fill(&s);
	/* No such directory: refused with the reason, nothing made. */
	assert_int_equal(sheet_write(&s, nodir, &err), RD_USAGE);
	assert_non_null(strstr(err.msg, nodir));
	assert_int_equal(entries(dir), 0);
	/* Nothing to print. */
	s.uri = s.secret = NULL;
	s.ncodes = 0;
	assert_int_equal(sheet_write(&s, path, &err), RD_USAGE);
	assert_int_equal(entries(dir), 0);
	/* Staged, never published: the temporary file goes. */
	sheet_fill(&s);
	assert_int_equal(sheet_stage(&s, path, &f, &err), RD_OK);
	assert_int_equal(entries(dir), 1);
	assert_int_equal(sheet_check_path(path, &err), RD_OK);
	sheet_file_free(f);
	assert_int_equal(entries(dir), 0);
	/* Published: at its path only. */
	assert_int_equal(sheet_stage(&s, path, &f, &err), RD_OK);
	assert_int_equal(sheet_publish(f, &err), RD_OK);
	sheet_file_free(f);
	assert_int_equal(entries(dir), 1);
	assert_int_equal(sheet_check_path(path, &err), RD_EXISTS);
	free(nodir);
	free(path);
	harness_rmdir(dir);
}

/* The audit rows of action "sheet", as `audit list` gives them. */
static int
sheet_rows(struct harness_core *h, const char *path, const char *code)
{
	cJSON		*out, *e;
	int		 n = 0;

	assert_int_equal(harness_cmd(h, &out, "audit list", "--action",
	    "sheet", NULL), RD_OK);
	cJSON_ArrayForEach(e, cJSON_GetObjectItem(out, "entries")) {
		assert_string_equal(harness_str(e, "user"), "alice");
		assert_string_equal(harness_str(e, "outcome"), "written");
		assert_non_null(strstr(harness_str(e, "detail"), path));
		if (code != NULL)
			assert_null(strstr(harness_str(e, "detail"), code));
		n++;
	}
	cmd_result_free(out);
	return n;
}

static void
test_commands(void **state)
{
	struct harness_core	 h;
	struct rd_err		 err;
	cJSON			*out;
	char			 code[16], *uri, *path, *wrong;
	const char		*first;

	(void)state;
	harness_core_open(&h, NULL);
	path = join(h.dir, "c.pdf");
	wrong = join(h.dir, "wrong.pdf");
	harness_answer(&h, "secret-pw");
	assert_int_equal(harness_run(&h, &err, "user add", "alice",
	    "--password-stdin", NULL), RD_OK);
	assert_int_equal(harness_cmd(&h, &out, "activate", "alice", "app",
	    NULL), RD_OK);
	uri = strdup(harness_str(out, "otpauth_uri"));
	cmd_result_free(out);
	/* A wrong code: refused, no sheet, no temporary file. */
	assert_int_equal(harness_run(&h, &err, "confirm", "alice", "app",
	    "000000", "--sheet", wrong, NULL), RD_INVALID_CODE);
	assert_int_equal(sheet_check_path(wrong, &err), RD_OK);
	assert_int_equal(sheet_rows(&h, wrong, NULL), 0);
	harness_otp(uri, h.henv.now / 30, 6, code);
	assert_int_equal(harness_cmd(&h, &out, "confirm", "alice", "app",
	    code, "--sheet", path, NULL), RD_OK);
	first = cJSON_GetArrayItem(cJSON_GetObjectItem(out, "backup_codes"),
	    0)->valuestring;
	assert_non_null(strstr(harness_str(out, "sheet"), "c.pdf"));
	assert_int_equal(sheet_check_path(path, &err), RD_EXISTS);
	assert_int_equal(sheet_rows(&h, "c.pdf", first), 1);
	cmd_result_free(out);
	/* Taken: refused before anything is done. */
	harness_otp(uri, h.henv.now / 30 + 1, 6, code);
	assert_int_equal(harness_run(&h, &err, "backup-codes", "alice", code,
	    "--sheet", path, NULL), RD_EXISTS);
	assert_int_equal(sheet_rows(&h, "c.pdf", NULL), 1);
	free(uri);
	free(wrong);
	free(path);
	harness_core_close(&h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_write),
		cmocka_unit_test(test_one_page),
		cmocka_unit_test(test_failures_leave_nothing),
		cmocka_unit_test(test_commands),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
