/*
 * test-ui-search.c: the user list's search as you type at 80x24 finds
 * users by the start of their name and by their whole e-mail address or
 * phone number (any case, written forms), the matches above the names
 * (tests/golden/users-found*.txt); the selection walks from the matches
 * into the names and back, Enter opens a match, and the names scroll
 * under the matches that stay.
 */
#include "test-ui-fix.h"

static void
add(struct fix *f, const char *name, const char *email, const char *phone)
{
	struct rd_err	err;

	assert_int_equal(harness_run(&f->h, &err, "user", "add", name,
	    "--email", email, "--phone", phone, NULL), RD_OK);
}

static void
test_found(void **state)
{
	struct fix	f;

	(void)state;
	fix_open(&f, 80, 24);
	harness_answer(&f.h, "alice pw");
	users_add(&f);
	/* A name that is an address, and dave whose address it is. */
	add(&f, "ops@example.com", "ops@example.com", "+15550000001");
	add(&f, "dave", "Ops@Example.com", "+48500000000");
	start_users(&f);
	assert_true(screen_has(&f, "or a whole e-mail or phone number"));
	press(&f, '/');
	type(&f, "ops@example.co");
	/* Only the start of the name so far: no e-mail is that. */
	assert_true(screen_has(&f, "ops@example.com"));
	assert_false(screen_has(&f, "dave"));
	type(&f, "m");
	draw(&f, "users-found");
	press(&f, UK_ENTER);
	/* The match first, then the name; down and up walk both. */
	assert_true(screen_has(&f, "found by e-mail"));
	press(&f, 'j');
	press(&f, UK_ENTER);
	assert_string_equal(top_name(&f), "user detail");
	assert_true(screen_has(&f, "User ops@example.com"));
	press(&f, UK_ESC);
	press(&f, 'k');
	press(&f, UK_ENTER);
	assert_true(screen_has(&f, "User dave"));
	press(&f, UK_ESC);
	/* A phone number in a written form finds its owner alone. */
	press(&f, UK_ESC);
	press(&f, '/');
	type(&f, "+48 500-000 (000)");
	draw(&f, "users-found-phone");
	press(&f, UK_ENTER);
	press(&f, UK_ENTER);
	assert_true(screen_has(&f, "User dave"));
	press(&f, UK_ESC);
	/* Neither a name nor a whole address: said so. */
	press(&f, UK_ESC);
	press(&f, '/');
	type(&f, "+48 500");
	assert_true(screen_has(&f, "no user name starts with that, and no "
	    "e-mail or phone number is that"));
	fix_close(&f);
}

static void
test_found_scroll(void **state)
{
	struct fix	f;
	struct rd_err	err;
	char		name[32];
	int		i;

	(void)state;
	fix_open(&f, 80, 24);
	/* 30 names starting with the address, and two owners of it. */
	for (i = 0; i < 30; i++) {
		snprintf(name, sizeof name, "desk@example.com.%02d", i);
		assert_int_equal(harness_run(&f.h, &err, "user", "add", name,
		    NULL), RD_OK);
	}
	add(&f, "erin", "desk@example.com", "+15550000002");
	add(&f, "frank", "DESK@example.com", "+15550000003");
	start_users(&f);
	press(&f, '/');
	type(&f, "desk@example.com");
	press(&f, UK_ENTER);
	/* 19 rows: two matches and 17 names, the rest a page down. */
	assert_true(screen_has(&f, "erin"));
	assert_true(screen_has(&f, "desk@example.com.16"));
	assert_false(screen_has(&f, "desk@example.com.17"));
	press(&f, UK_PGDN);
	press(&f, UK_PGDN);
	assert_true(screen_has(&f, "erin"));
	assert_true(screen_has(&f, "frank"));
	assert_true(screen_has(&f, "desk@example.com.29"));
	assert_false(screen_has(&f, "desk@example.com.12"));
	press(&f, UK_HOME);
	assert_true(screen_has(&f, "desk@example.com.00"));
	press(&f, UK_ENTER);
	assert_true(screen_has(&f, "User erin"));
	fix_close(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_found),
		cmocka_unit_test(test_found_scroll),
	};

	return cmocka_run_group_tests_name("ui search", tests, NULL, NULL);
}
