/*
 * cli-prompt.c: asking a person at the terminal for a secret, with echo
 * off, never from anything but /dev/tty, and the names of what is asked
 * in the operator's language.
 */
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>

#include "cli-int.h"
#include "i18n.h"
#include "line.h"
#include "util.h"

/*
 * What ctx->ask asks for, in the catalogue: the prompt and the messages
 * about the answer name it in the operator's language.
 */
static const char *const cli_asked[] = {
	N_("passphrase"), N_("new vault passphrase"), N_("new passphrase"),
	N_("password"), N_("code"),
	N_("yubikey key (AES_KEY_HEX PRIVATE_ID_HEX)"),
};

/* what in the operator's language, when the catalogue knows it. */
const char *
cli_asked_name(const char *what)
{
	size_t	i;

	for (i = 0; i < sizeof cli_asked / sizeof cli_asked[0]; i++)
		if (strcmp(cli_asked[i], what) == 0)
			return _(what);
	return what;
}

/* Prompt on the terminal with echo off; -1 when there is no terminal. */
int
cli_tty_prompt(const char *prompt, char *buf, size_t size)
{
	FILE		*tty;
	struct termios	 old, quiet;
	int		 r;

	if (!isatty(STDIN_FILENO) || (tty = fopen("/dev/tty", "r+")) == NULL)
		return -1;
	fputs(prompt, tty);
	fflush(tty);
	tcgetattr(fileno(tty), &old);
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	tcsetattr(fileno(tty), TCSAFLUSH, &quiet);
	r = line_read(tty, buf, size);
	tcsetattr(fileno(tty), TCSAFLUSH, &old);
	fputs("\n", tty);
	fclose(tty);
	return r;
}

/* A passphrase from a person at the terminal, twice when it is new. */
enum rd_code
cli_prompt_passphrase(const char *what, bool twice, const char *how,
    char *buf, size_t size, struct rd_err *err)
{
	char		*again;
	int		 r;
	enum rd_code	 rc;

	r = cli_tty_prompt(twice ? _("New passphrase: ") : _("Passphrase: "), buf,
	    size);
	if ((rc = line_bad(r, what, size, err)) != RD_OK)
		return rc;
	if (r != 0)
		return rd_err_set(err, RD_BAD_PASSPHRASE, _("no %s: give %s, "
		    "or run on a terminal"), what, how);
	if (!twice)
		return RD_OK;
	again = secret_alloc(SECRET_LINE_MAX);
	r = cli_tty_prompt(_("Again: "), again, SECRET_LINE_MAX);
	if (r != 0 || strcmp(again, buf) != 0) {
		secret_release(again);
		sodium_memzero(buf, size);
		return rd_err_set(err, RD_USAGE,
		    _("the two passphrases differ"));
	}
	secret_release(again);
	return RD_OK;
}
