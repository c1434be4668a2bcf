/*
 * outcome.c: the table behind outcome.h.  Codes are matched as whole
 * words, so a user or method named "expired2" is left alone.  The words
 * are in the operator's language; the codes never are.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "../src/i18n.h"
#include "outcome.h"

static const struct {
	const char	*code;
	const char	*words;
} codes[] = {
	{ "invalid_code", N_("wrong code") },
	{ "expired", N_("expired") },
	{ "locked_out", N_("locked") },
	{ "inactive_user", N_("inactive user") },
	{ "bad_credentials", N_("bad password") },
	{ "not_found", N_("not found") },
	{ "exists", N_("already there") },
	{ "bad_state", N_("wrong state") },
	{ "not_allowed", N_("not allowed") },
	{ "usage", N_("bad input") },
	{ "bad_passphrase", N_("bad passphrase") },
	{ "vault_corrupt", N_("vault damaged") },
	{ "vault_busy", N_("vault busy") },
	{ "vault_missing", N_("no vault") },
	{ "backend", N_("provider error") },
	{ "timeout", N_("timed out") },
	{ "network", N_("network error") },
	{ "config", N_("config error") },
};

static const struct {
	const char	*outcome;
	const char	*words;
} outcomes[] = {
	{ "ok", N_("ok") },
	{ "pending", N_("pending") },
	{ "active", N_("active") },
	{ "mfa_required", N_("needs a code") },
	{ "refused", N_("refused") },
	{ "locked", N_("locked") },
};

static bool
word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* The code of the table at the word starting at s, or -1. */
static int
code_at(const char *s)
{
	size_t	i, n;

	for (i = 0; i < sizeof codes / sizeof codes[0]; i++) {
		n = strlen(codes[i].code);
		if (strncmp(s, codes[i].code, n) == 0 && !word_char(s[n]))
			return (int)i;
	}
	return -1;
}

/*
 * The code a failure's detail names, where the core writes it: alone or
 * before brackets ("invalid_code", "bad_credentials (not a user name)"),
 * or after the first ": " ("sms via sms_twilio: backend 21211").  A
 * method named like a code ("timeout via exec ...") is not taken for one.
 */
static int
code_in(const char *detail, const char **at)
{
	const char	*colon;
	int		 k;

	if (detail == NULL)
		return -1;
	if ((k = code_at(detail)) >= 0 && (detail[strlen(codes[k].code)] ==
	    '\0' || strncmp(detail + strlen(codes[k].code), " (", 2) == 0)) {
		*at = detail;
		return k;
	}
	if ((colon = strstr(detail, ": ")) != NULL &&
	    (k = code_at(colon + 2)) >= 0) {
		*at = colon + 2;
		return k;
	}
	return -1;
}

static bool
failure(const char *outcome)
{
	return outcome != NULL && strcmp(outcome, "failure") == 0;
}

const char *
outcome_word(const char *outcome, const char *detail)
{
	const char	*at;
	size_t		 i;
	int		 k;

	if (outcome == NULL)
		return "";
	for (i = 0; i < sizeof outcomes / sizeof outcomes[0]; i++)
		if (strcmp(outcome, outcomes[i].outcome) == 0)
			return _(outcomes[i].words);
	if (!failure(outcome))
		return outcome;
	if ((k = code_in(detail, &at)) >= 0)
		return _(codes[k].words);
	return _("failed");
}

void
outcome_detail(const char *outcome, const char *detail, char *buf,
    size_t size)
{
	const char	*at, *rest;
	size_t		 len;
	int		 k;

	if (size == 0)
		return;
	snprintf(buf, size, "%s", detail != NULL ? detail : "");
	if (!failure(outcome) || (k = code_in(detail, &at)) < 0)
		return;
	rest = at + strlen(codes[k].code);
	if (at == detail) {
		/* The outcome says it; what follows is the detail. */
		while (*rest == ' ' || *rest == ',')
			rest++;
		len = strlen(rest);
		if (*rest == '(' && len >= 2 && rest[len - 1] == ')')
			snprintf(buf, size, "%.*s", (int)(len - 2), rest + 1);
		else
			snprintf(buf, size, "%s", rest);
		return;
	}
	snprintf(buf, size, "%.*s%s%s", (int)(at - detail), detail,
	    _(codes[k].words), rest);
}
