/*
 * test-import.c: the user import's core (src/import*.c) on the injected
 * clock and random stream: tx_step undoes one step and keeps the rest of
 * its transaction; a row is written whole or not at all (a method that
 * fails takes its user with it); chunks smaller than the file; code
 * channels wait for --send and then go out after the commit; a kind that
 * would ask for key material is refused, not asked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "../../src/import.h"
#include "../../src/tx.h"
#include "../../src/util.h"
#include "../../vault/vault.h"

static const char import_cfg[] =
    "[method.app]\nhandler = totp\n"
    "[method.key]\nhandler = yubikey\n"
    "[method.mail]\nhandler = outbox\nsource_field = email\n";

static bool
has_user(struct harness_core *h, const char *name)
{
	struct vault_user	u;
	struct rd_err		err;
	enum rd_code		rc;

	rc = vault_user_get(h->ctx.vault, name, &u, &err);
	vault_user_clear(&u);
	return rc == RD_OK;
}

static enum rd_code RD_CHECK
add_one(struct rd_ctx *ctx, void *arg, struct rd_err *err)
{
	struct vault_user	u;
	enum rd_code		rc;

	memset(&u, 0, sizeof u);
	snprintf(u.name, sizeof u.name, "%s", (const char *)arg);
	u.active = true;
	rc = vault_user_add(ctx->vault, &u, err);
	vault_user_clear(&u);
	return rc;
}

static enum rd_code RD_CHECK
add_then_fail(struct rd_ctx *ctx, void *arg, struct rd_err *err)
{
	enum rd_code	rc;

	if ((rc = add_one(ctx, arg, err)) != RD_OK)
		return rc;
	return rd_err_set(err, RD_USAGE, "refused after writing");
}

static enum rd_code RD_CHECK
three_steps(struct rd_ctx *ctx, void *arg, struct rd_err *err)
{
	struct rd_err	serr;

	(void)arg;
	assert_int_equal(tx_step(ctx, add_one, "ann", err), RD_OK);
	assert_int_equal(tx_step(ctx, add_then_fail, "ben", &serr), RD_USAGE);
	assert_string_equal(serr.msg, "refused after writing");
	assert_int_equal(tx_step(ctx, add_one, "ann", &serr), RD_EXISTS);
	return tx_step(ctx, add_one, "cat", err);
}

static void
test_tx_step(void **state)
{
	struct harness_core	h;
	struct rd_err		err;

	(void)state;
	harness_core_open(&h, NULL);
	assert_int_equal(tx_run(&h.ctx, three_steps, NULL, &err), RD_OK);
	assert_true(has_user(&h, "ann"));
	assert_false(has_user(&h, "ben"));
	assert_true(has_user(&h, "cat"));
	harness_core_close(&h);
}

static char *
write_csv(struct harness_core *h, const char *name, const char *text)
{
	char	*path = xasprintf("%s/%s", h->dir, name);
	FILE	*fp;

	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	return path;
}

static long
num(const cJSON *o, const char *key)
{
	const cJSON	*n = cJSON_GetObjectItem(o, key);

	if (!cJSON_IsNumber(n))
		fail_msg("no number %s", key);
	return (long)n->valuedouble;
}

static void
test_rows_and_chunks(void **state)
{
	struct harness_core	 h;
	struct import_opts	 o = { 0 };
	struct rd_err		 err;
	cJSON			*out = cJSON_CreateObject(), *ref;
	char			*path;

	(void)state;
	harness_core_open(&h, import_cfg);
	path = write_csv(&h, "u.csv",
	    "User,Email,Methods\n"
	    "a1,a1@example.com,app\n"
	    "a2,a2@example.com,mail\n"
	    "a3,,app mail\n"
	    "a4,a4@example.com,key\n"
	    "a5,a5@example.com,\n"
	    "a6,bad,app\n"
	    "a7,,\n"
	    "a8,bad,\n");
	o.path = path;
	o.chunk = 3;		/* three transactions for eight rows */
	assert_int_equal(import_users(&h.ctx, &o, out, &err), RD_OK);
	assert_int_equal(num(out, "rows"), 8);
	assert_int_equal(num(out, "users_created"), 5);
	assert_int_equal(num(out, "rows_refused"), 3);
	assert_int_equal(num(out, "methods_started"), 2);
	assert_int_equal(num(out, "methods_waiting_for_send"), 2);
	ref = cJSON_GetObjectItem(out, "refusals");
	assert_int_equal(cJSON_GetArraySize(ref), 3);
	assert_int_equal(num(cJSON_GetArrayItem(ref, 0), "line"), 5);
	assert_non_null(strstr(harness_str(cJSON_GetArrayItem(ref, 0),
	    "reason"), "an import cannot ask"));
	assert_int_equal(num(cJSON_GetArrayItem(ref, 1), "line"), 7);
	/* The refused rows left nothing, their user included. */
	assert_false(has_user(&h, "a4"));
	assert_false(has_user(&h, "a6"));
	/* Without methods a row is refused before its first write. */
	assert_int_equal(num(cJSON_GetArrayItem(ref, 2), "line"), 9);
	assert_false(has_user(&h, "a8"));
	assert_true(has_user(&h, "a7"));
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(out,
	    "enrolments")), 2);
	cmd_result_free(out);
	free(path);

	/* With send: a code channel starts, a row without its address is
	 * refused whole (its app method too), and a re-run skips. */
	path = write_csv(&h, "s.csv",
	    "user,email,methods\n"
	    "b1,b1@example.com,mail\n"
	    "b2,,app mail\n"
	    "a1,,\n");
	o.path = path;
	o.send = true;
	out = cJSON_CreateObject();
	assert_int_equal(import_users(&h.ctx, &o, out, &err), RD_OK);
	assert_int_equal(num(out, "users_created"), 1);
	assert_int_equal(num(out, "users_skipped"), 1);
	assert_int_equal(num(out, "rows_refused"), 1);
	assert_int_equal(num(out, "codes_sent"), 1);
	assert_int_equal(num(out, "methods_started"), 1);
	assert_false(has_user(&h, "b2"));
	{
		char	code[16];

		harness_outbox_code(&h, code);
		assert_int_equal(strlen(code), 6);
		assert_int_equal(harness_run(&h, &err, "confirm", "b1", "mail",
		    code, NULL), RD_OK);
	}
	cmd_result_free(out);
	free(path);
	harness_core_close(&h);
}

static void
test_header(void **state)
{
	struct harness_core	 h;
	struct import_opts	 o = { 0 };
	struct rd_err		 err;
	cJSON			*out = cJSON_CreateObject();
	char			*p1, *p2;

	(void)state;
	harness_core_open(&h, NULL);

	p1 = write_csv(&h, "h.csv", "user,colour,size\nx,red,1\n");
	p2 = write_csv(&h, "d.csv", "user,email,EMAIL\nx,a@b.c,a@b.c\n");
	o.path = p1;
	assert_int_equal(import_users(&h.ctx, &o, out, &err), RD_USAGE);
	assert_non_null(strstr(err.msg, "'colour', 'size'"));
	o.path = p2;
	assert_int_equal(import_users(&h.ctx, &o, out, &err), RD_USAGE);
	assert_non_null(strstr(err.msg, "email is there twice"));
	free(p1);
	free(p2);
	assert_false(has_user(&h, "x"));
	cmd_result_free(out);
	harness_core_close(&h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tx_step),
		cmocka_unit_test(test_rows_and_chunks),
		cmocka_unit_test(test_header),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
