/*
 * test-ui-vault.c: the operator's actions on the vault itself, drawn and
 * driven as in test-ui-screens.c: the first run that makes a vault (KDF
 * choice, passphrase twice), a new passphrase from the user list, the
 * outbox emptied after a confirmation, and Ctrl-L reading the config file
 * again (kept when the new one has problems).  Goldens at 80x24 and, for
 * the first run, 100x40.
 */
#include <sys/stat.h>
#include <unistd.h>

#include "test-ui-fix.h"
#include "../../src/config.h"

/* The fixture's session replaced by one for vault path and config file. */
static void
fix_session(struct fix *f, const char *vault, const char *config)
{
	struct session_opts	o = { 0 };
	struct rd_err		err;

	session_free(f->session);
	o.vault = vault;
	o.config = config;
	f->session = NULL;
	if (session_new(&o, "tui", &f->session, &err) != RD_OK &&
	    config == NULL)
		fail_msg("session: %s", err.msg);
	f->ui.session = f->session;
}

/* Whether pass opens the vault at path (a session of its own). */
static enum rd_code
opens_with(const char *path, const char *pass)
{
	struct session_opts	 o = { 0 };
	struct session		*s;
	struct rd_err		 err;
	enum rd_code		 rc;

	o.vault = path;
	assert_int_equal(session_new(&o, "test", &s, &err), RD_OK);
	rc = session_unlock(s, pass, strlen(pass), &err);
	session_free(s);
	return rc;
}

static bool
file_exists(const char *path)
{
	struct stat	sb;

	return stat(path, &sb) == 0;
}

static void
write_file(const char *path, const char *text)
{
	FILE	*fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

/* A fixture on a path where no vault is yet, as on a first run. */
static char *
fix_first_run(struct fix *f, int cols, int rows)
{
	char	*path;

	fix_open(f, cols, rows);
	path = malloc(strlen(f->h.dir) + 32);
	sprintf(path, "%s/new/vault.db", f->h.dir);
	fix_session(f, path, NULL);
	f->ui.ctx.vault = NULL;
	f->ui.ctx.vault_path = f->session->vault_path;
	ui_act(&f->ui, act_push(scr_init_new(&f->ui)));
	return path;
}

static void
test_init(void **state)
{
	struct fix	 f;
	char		*path;

	(void)state;
	path = fix_first_run(&f, 80, 24);
	assert_string_equal(top_name(&f), "new vault");
	draw(&f, "init-80x24");
	/* Masked, and q is text here. */
	type(&f, "quite secret");
	assert_false(screen_has(&f, "quite"));
	assert_true(screen_has(&f, "Passphrase: ************"));
	assert_false(f.ui.quit);
	/* Enter on the first field goes to the second. */
	press(&f, UK_ENTER);
	type(&f, "quite secrex");
	press(&f, UK_ENTER);
	assert_true(screen_has(&f, "the two passphrases are not the same: "
	    "type both again"));
	assert_false(screen_has(&f, "Again:      *"));
	assert_false(file_exists(path));
	/* Nothing typed: refused before any work. */
	press(&f, UK_TAB);
	press(&f, UK_TAB);
	press(&f, UK_ENTER);
	assert_true(screen_has(&f, "the passphrase is empty"));
	assert_false(file_exists(path));
	/* From the first field back to the cost: the quickest one. */
	assert_true(screen_has(&f, "(*) moderate"));
	press(&f, UK_BTAB);
	press(&f, UK_LEFT);
	assert_true(screen_has(&f, "(*) interactive"));
	assert_true(screen_has(&f, "( ) moderate"));
	press(&f, UK_ENTER);
	type(&f, "new vault pw");
	press(&f, UK_TAB);
	type(&f, "new vault pw");
	press(&f, UK_TAB);
	press(&f, UK_ENTER);
	/* Made, open through the session, and the user list on it. */
	assert_string_equal(top_name(&f), "user list");
	assert_true(screen_has(&f, "the new vault is open"));
	assert_true(session_unlocked(f.session));
	assert_ptr_equal(f.ui.ctx.vault, f.session->ctx.vault);
	assert_true(file_exists(path));
	assert_int_equal(opens_with(path, "new vault pw"), RD_OK);
	assert_int_equal(opens_with(path, "quite secret"), RD_BAD_PASSPHRASE);
	/* The vault works: a user added from the list is there. */
	press(&f, 'n');
	type(&f, "first");
	press(&f, UK_ENTER);
	assert_true(screen_has(&f, "user first added"));
	fix_close(&f);
	free(path);
}

static void
test_init_big_and_esc(void **state)
{
	struct fix	 f;
	char		*path;

	(void)state;
	path = fix_first_run(&f, 100, 40);
	draw(&f, "init-100x40");
	type(&f, "typed then left");
	press(&f, UK_ESC);
	assert_true(f.ui.quit);
	assert_false(file_exists(path));
	fix_close(&f);
	free(path);

	/* Cancel leaves too; so does q once the focus is off the fields. */
	path = fix_first_run(&f, 80, 24);
	press(&f, UK_BTAB);
	type(&f, "q");
	assert_true(f.ui.quit);
	assert_false(file_exists(path));
	fix_close(&f);
	free(path);
}

/*
 * A long path is wrapped whole at 80 and 100 columns, and the closing
 * note goes whole or not at all.  A vault gone between the start and the
 * unlock leads here too.
 */
static void
test_init_long_path(void **state)
{
	static const char long_path[] = "/srv/help-desk/second-floor/"
	    "identity-and-access-management/redoubt/vaults/primary/"
	    "production-vault-of-the-help-desk.db";
	struct fix	 f;
	char		*path;

	(void)state;
	path = fix_first_run(&f, 80, 24);
	f.ui.title_path = long_path;
	draw(&f, "init-long-80x24");
	assert_true(screen_has(&f, "identity-and-access-management/"));
	assert_true(screen_has(&f, "production-vault-of-the-help-desk.db"));
	fix_close(&f);
	free(path);
	path = fix_first_run(&f, 100, 40);
	f.ui.title_path = long_path;
	draw(&f, "init-long-100x40");
	assert_true(screen_has(&f, "production-vault-of-the-help-desk.db"));
	fix_close(&f);
	free(path);

	/* The unlock screen on a vault removed since the start. */
	fix_open(&f, 80, 24);
	unsetenv("REDOUBT_PASSPHRASE");
	f.ui.ctx.vault = NULL;
	ui_act(&f.ui, act_push(scr_unlock_new(&f.ui, NULL, NULL)));
	assert_int_equal(unlink(f.session->vault_path), 0);
	type(&f, "pw");
	press(&f, UK_ENTER);
	assert_string_equal(top_name(&f), "new vault");
	assert_true(screen_has(&f, "the vault is not there any more: make a "
	    "new one, or Esc leaves"));
	fix_close(&f);
}

static void
test_passphrase(void **state)
{
	struct fix	f;

	(void)state;
	fix_open(&f, 80, 24);
	harness_answer(&f.h, "alice pw");
	users_add(&f);
	start_users(&f);
	press(&f, 'P');
	assert_string_equal(top_name(&f), "vault passphrase");
	draw(&f, "passphrase");
	f.ui.cols = 100;
	f.ui.rows = 40;
	canvas_free(f.c);
	f.c = canvas_new(100, 40);
	draw(&f, "passphrase-100x40");
	f.ui.cols = 80;
	f.ui.rows = 24;
	canvas_free(f.c);
	f.c = canvas_new(80, 24);
	/* The one in use first: nothing typed there, nothing checked. */
	press(&f, UK_TAB);
	type(&f, "the new one");
	press(&f, UK_TAB);
	type(&f, "the new one");
	press(&f, UK_TAB);
	press(&f, UK_ENTER);
	assert_true(screen_has(&f, "type the passphrase that opens the vault "
	    "now, first"));
	/* A wrong one changes nothing. */
	type(&f, "not it");
	press(&f, UK_ENTER);
	press(&f, UK_ENTER);
	press(&f, UK_ENTER);
	assert_true(screen_has(&f, "that is not the passphrase that opens the "
	    "vault now: nothing was changed"));
	assert_string_equal(top_name(&f), "vault passphrase");
	assert_int_equal(opens_with(f.h.path, "pw"), RD_OK);
	assert_int_equal(opens_with(f.h.path, "the new one"),
	    RD_BAD_PASSPHRASE);
	/* The right one, and new ones that differ. */
	type(&f, "pw");
	press(&f, UK_ENTER);
	press(&f, UK_KILL);
	type(&f, "one");
	press(&f, UK_TAB);
	press(&f, UK_KILL);
	type(&f, "two");
	press(&f, UK_ENTER);
	assert_true(screen_has(&f, "the two passphrases are not the same"));
	assert_string_equal(top_name(&f), "vault passphrase");
	assert_int_equal(opens_with(f.h.path, "pw"), RD_OK);
	type(&f, "the new one");
	press(&f, UK_ENTER);
	press(&f, UK_ENTER);
	assert_true(screen_has(&f, "type the passphrase a second time"));
	type(&f, "the new one");
	press(&f, UK_ENTER);
	assert_string_equal(top_name(&f), "user list");
	assert_true(screen_has(&f, "vault passphrase changed: the old one no "
	    "longer opens the vault"));
	assert_int_equal(opens_with(f.h.path, "the new one"), RD_OK);
	assert_int_equal(opens_with(f.h.path, "pw"), RD_BAD_PASSPHRASE);
	/* Cancel changes nothing. */
	press(&f, 'P');
	type(&f, "the new one");
	press(&f, UK_TAB);
	type(&f, "third");
	press(&f, UK_TAB);
	type(&f, "third");
	press(&f, UK_TAB);
	press(&f, UK_TAB);
	press(&f, UK_ENTER);
	assert_string_equal(top_name(&f), "user list");
	assert_int_equal(opens_with(f.h.path, "the new one"), RD_OK);
	fix_close(&f);
}

/*
 * A user added by another process shows on the list without a key, the
 * selection kept on its name; nothing changed, nothing loads.  Ctrl-L
 * loads the list too.
 */
static void
test_idle_refresh(void **state)
{
	struct fix	f;
	struct rd_err	err;

	(void)state;
	fix_open(&f, 80, 24);
	harness_answer(&f.h, "alice pw");
	users_add(&f);
	/* The TUI's vault is the session's, as after an unlock; the
	   harness writes on a connection of its own, as a second shell. */
	assert_int_equal(session_unlock(f.session, "pw", 2, &err), RD_OK);
	f.ui.ctx.vault = f.session->ctx.vault;
	start_users(&f);
	press(&f, UK_DOWN);
	ui_idle(&f.ui);
	ui_idle(&f.ui);
	assert_false(screen_has(&f, "aaron"));
	assert_int_equal(harness_run(&f.h, &err, "user", "add", "aaron",
	    NULL), RD_OK);
	/* Written by the harness, not yet seen: the list is as it was. */
	assert_false(screen_has(&f, "aaron"));
	ui_idle(&f.ui);
	assert_true(screen_has(&f, "aaron"));
	/* bob was selected and still is, one row lower now. */
	press(&f, UK_ENTER);
	assert_string_equal(top_name(&f), "user detail");
	assert_true(screen_has(&f, "bob"));
	assert_false(screen_has(&f, "alice"));
	press(&f, UK_ESC);
	assert_string_equal(top_name(&f), "user list");
	/* A change seen under another screen is not lost: the list loads
	   on coming back.  Ctrl-L loads it as well. */
	assert_int_equal(harness_run(&f.h, &err, "user", "add", "dave",
	    NULL), RD_OK);
	press(&f, UK_REDRAW);
	assert_true(screen_has(&f, "dave"));
	assert_true(screen_has(&f, "configuration read again"));
	fix_close(&f);
}

static int
outbox_count(struct fix *f)
{
	cJSON	*out;
	int	 n;

	assert_int_equal(harness_cmd(&f->h, &out, "outbox", "list", NULL),
	    RD_OK);
	n = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(out,
	    "messages"));
	cmd_result_free(out);
	return n;
}

static void
test_outbox_clear(void **state)
{
	struct fix	 f;
	cJSON		*out;

	(void)state;
	fix_open(&f, 80, 24);
	harness_answer(&f.h, "alice pw");
	users_add(&f);
	assert_int_equal(harness_cmd(&f.h, &out, "activate", "alice", "email",
	    NULL), RD_OK);
	cmd_result_free(out);
	assert_int_equal(harness_cmd(&f.h, &out, "activate", "alice", "sms",
	    NULL), RD_OK);
	cmd_result_free(out);
	assert_int_equal(outbox_count(&f), 2);
	start_users(&f);
	press(&f, 'o');
	assert_true(screen_has(&f, "x empty"));
	press(&f, 'x');
	assert_string_equal(top_name(&f), "confirmation");
	draw(&f, "outbox-clear");
	/* Cancel has the focus: Enter keeps everything. */
	press(&f, UK_ENTER);
	assert_string_equal(top_name(&f), "outbox");
	assert_int_equal(outbox_count(&f), 2);
	press(&f, 'x');
	press(&f, UK_TAB);
	press(&f, UK_ENTER);
	assert_string_equal(top_name(&f), "outbox");
	assert_true(screen_has(&f, "outbox emptied"));
	/* The list loaded again on coming back. */
	assert_true(screen_has(&f, "no messages"));
	assert_int_equal(outbox_count(&f), 0);
	press(&f, 'x');
	assert_string_equal(top_name(&f), "outbox");
	assert_true(screen_has(&f, "the outbox is empty already"));
	/* One message, from another process: Ctrl-L shows it, and the
	   question is in the singular. */
	assert_int_equal(harness_cmd(&f.h, &out, "test-backend", "email",
	    "ops@example.com", NULL), RD_OK);
	cmd_result_free(out);
	press(&f, UK_REDRAW);
	assert_true(screen_has(&f, "ops@example.com"));
	press(&f, 'x');
	assert_true(screen_has(&f, "Empty the outbox: 1 message. Codes in it"));
	press(&f, 'n');
	assert_string_equal(top_name(&f), "outbox");
	assert_int_equal(outbox_count(&f), 1);
	fix_close(&f);
}

/* Ctrl-L reads the file again; one with problems is not taken. */
static void
test_reload(void **state)
{
	struct fix	 f;
	char		 conf[256];
	struct config	*before;

	(void)state;
	fix_open(&f, 80, 24);
	snprintf(conf, sizeof conf, "%s/redoubt.conf", f.h.dir);
	write_file(conf, "[redoubt]\nissuer = First Desk\n");
	fix_session(&f, f.h.path, conf);
	f.ui.ctx.cfg = f.session->cfg;
	start_users(&f);
	press(&f, 'c');
	assert_true(screen_has(&f, "issuer = First Desk"));
	write_file(conf, "[redoubt]\nissuer = Second Desk\n");
	press(&f, UK_REDRAW);
	assert_true(f.ui.full);
	assert_true(screen_has(&f, "issuer = Second Desk"));
	assert_false(screen_has(&f, "First Desk"));
	assert_true(screen_has(&f, "configuration read again from"));
	assert_ptr_equal(f.ui.ctx.cfg, f.session->cfg);
	before = f.session->cfg;
	write_file(conf, "[redoubt]\nissuer = Third Desk\nlockout_threshold "
	    "= lots\n");
	press(&f, UK_REDRAW);
	assert_true(screen_has(&f, "the configuration file now has 1 problem"));
	assert_true(screen_has(&f, "issuer = Second Desk"));
	assert_ptr_equal(f.session->cfg, before);
	assert_ptr_equal(f.ui.ctx.cfg, before);
	fix_close(&f);
}

/* Started on a config with problems: fixed and reread, the TUI goes on. */
static void
test_reload_unstuck(void **state)
{
	struct fix	f;
	char		conf[256];

	(void)state;
	unsetenv("REDOUBT_PASSPHRASE");
	fix_open(&f, 80, 24);
	snprintf(conf, sizeof conf, "%s/redoubt.conf", f.h.dir);
	write_file(conf, "[redoubt]\nlockout_threshold = lots\n");
	fix_session(&f, f.h.path, conf);
	f.ui.ctx.cfg = f.session->cfg;
	f.ui.ctx.vault = NULL;
	ui_act(&f.ui, act_push(scr_config_new(&f.ui)));
	assert_true(screen_has(&f, "1 problem:"));
	press(&f, UK_REDRAW);
	assert_string_equal(top_name(&f), "configuration");
	assert_true(screen_has(&f, "still has 1 problem"));
	write_file(conf, "[redoubt]\nlockout_threshold = 3\n");
	press(&f, UK_REDRAW);
	assert_string_equal(top_name(&f), "unlock");
	type(&f, "pw");
	press(&f, UK_ENTER);
	assert_string_equal(top_name(&f), "user list");
	fix_close(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init),
		cmocka_unit_test(test_init_big_and_esc),
		cmocka_unit_test(test_init_long_path),
		cmocka_unit_test(test_passphrase),
		cmocka_unit_test(test_idle_refresh),
		cmocka_unit_test(test_outbox_clear),
		cmocka_unit_test(test_reload),
		cmocka_unit_test(test_reload_unstuck),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
