/*
 * outcome.c: the table behind outcome.h.  Codes are matched as whole
 * words, so a user or method named "expired2" is left alone.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "outcome.h"

static const struct {
	const char	*code;
	const char	*words;
} codes[] = {
	{ "invalid_code", "wrong code" },
	{ "expired", "expired" },
	{ "locked_out", "locked" },
	{ "inactive_user", "inactive user" },
	{ "bad_credentials", "bad password" },
	{ "not_found", "not found" },
	{ "exists", "already there" },
	{ "bad_state", "wrong state" },
	{ "not_allowed", "not allowed" },
	{ "usage", "bad input" },
	{ "bad_passphrase", "bad passphrase" },
	{ "vault_corrupt", "vault damaged" },
	{ "vault_busy", "vault busy" },
	{ "vault_missing", "no vault" },
	{ "backend", "provider error" },
	{ "timeout", "timed out" },
	{ "network", "network error" },
	{ "config", "config error" },
};

static const struct {
	const char	*outcome;
	const char	*words;
} outcomes[] = {
	{ "ok", "ok" },
	{ "pending", "pending" },
	{ "active", "active" },
	{ "mfa_required", "needs a code" },
	{ "refused", "refused" },
	{ "locked", "locked" },
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
			return outcomes[i].words;
	if (!failure(outcome))
		return outcome;
	if ((k = code_in(detail, &at)) >= 0)
		return codes[k].words;
	return "failed";
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
	    codes[k].words, rest);
}
