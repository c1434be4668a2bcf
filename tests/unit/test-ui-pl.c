/*
 * test-ui-pl.c: screens of the TUI in Polish (pl_PL.UTF-8 and the
 * catalogue of the tree), drawn at 80x24 and compared with
 * tests/golden/pl-NAME.txt: the unlock screen, a user's detail and its
 * help.  Their columns come from the translated words, so the goldens
 * show that the Polish labels fit and line up.
 */
#include <locale.h>

#include "../../src/i18n.h"
#include "test-ui-fix.h"

static int
polish(void **state)
{
	(void)state;
	if (setlocale(LC_ALL, "pl_PL.UTF-8") == NULL)
		return -1;
	i18n_init(LOCALEDIR, false);
	return 0;
}

static int
english(void **state)
{
	(void)state;
	setlocale(LC_ALL, "C");
	i18n_init(LOCALEDIR, false);
	return 0;
}

static void
test_pl_unlock(void **state)
{
	struct fix	f;

	(void)state;
	fix_open(&f, 80, 24);
	f.ui.ctx.vault = NULL;		/* as before unlocking */
	ui_act(&f.ui, act_push(scr_unlock_new(&f.ui, NULL, NULL)));
	draw(&f, "pl-unlock");
	assert_false(screen_has(&f, "passphrase-file"));
	fix_close(&f);
}

static void
test_pl_user(void **state)
{
	struct fix	f;

	(void)state;
	fix_open(&f, 80, 24);
	alice_app(&f, NULL);
	ui_act(&f.ui, act_push(scr_user_new(&f.ui, "alice")));
	draw(&f, "pl-user-alice");
	press(&f, '?');
	assert_string_equal(top_name(&f), "help");
	draw(&f, "pl-help-user");
	press(&f, UK_END);
	draw(&f, "pl-help-user-end");
	fix_close(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pl_unlock),
		cmocka_unit_test(test_pl_user),
	};

	return cmocka_run_group_tests(tests, polish, english);
}
