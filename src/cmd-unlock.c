/*
 * cmd-unlock.c: `redoubt unlock [--idle SECONDS] [--max SECONDS]`: one
 * Argon2id now, then a session ($REDOUBT_SESSION) under which commands
 * open the vault without it (sesstok.h).  The face shows the token as a
 * line for the shell; the token itself is the only copy of its key.
 */
#include <stdlib.h>

#include <sodium.h>

#include "cmd.h"
#include "i18n.h"
#include "json.h"
#include "sesstok.h"

enum {
	UNLOCK_IDLE,
	UNLOCK_MAX,
	UNLOCK_SH,
	UNLOCK_NOPTS
};

static const struct cmd_opt unlock_opts[UNLOCK_NOPTS] = {
	[UNLOCK_IDLE] = { .name = "idle", .has_arg = true,
	    .help = N_("end the session after SECONDS unused (900)") },
	[UNLOCK_MAX] = { .name = "max", .has_arg = true,
	    .help = N_("end the session SECONDS after it began (28800)") },
	[UNLOCK_SH] = { .name = "sh",
	    .help = N_("print a line for eval in a shell") },
};

static enum rd_code RD_CHECK
unlock_seconds(const char *s, const char *name, int64_t def, int64_t *out,
    struct rd_err *err)
{
	char		*end;
	long long	 n;

	if (s == NULL) {
		*out = def;
		return RD_OK;
	}
	n = strtoll(s, &end, 10);
	if (*s == '\0' || *end != '\0' || n < 1 || n > 31 * 86400)
		return rd_err_set(err, RD_USAGE, _("--%s wants a number of "
		    "seconds from 1 to 2678400, not '%s'"), name, s);
	*out = n;
	return RD_OK;
}

static enum rd_code RD_CHECK
unlock_exec(struct rd_ctx *ctx, const struct cmd_input *in, cJSON *out,
    struct rd_err *err)
{
	char		tok[SESSTOK_MAX];
	int64_t		idle, max, expires;
	enum rd_code	rc;

	if ((rc = unlock_seconds(cmd_opt(in, UNLOCK_IDLE), "idle",
	    SESSTOK_IDLE_DEFAULT, &idle, err)) != RD_OK ||
	    (rc = unlock_seconds(cmd_opt(in, UNLOCK_MAX), "max",
	    SESSTOK_MAX_DEFAULT, &max, err)) != RD_OK)
		return rc;
	if ((rc = sesstok_start(ctx, idle, max, tok, &expires, err)) != RD_OK)
		return rc;
	json_str(out, "session", tok);
	cJSON_AddNumberToObject(out, "expires_at", (double)expires);
	sodium_memzero(tok, sizeof tok);
	return RD_OK;
}

const struct cmd_entry cmd_unlock_entry = {
	.name = "unlock",
	.usage = "[--idle SECONDS] [--max SECONDS] [--sh]",
	.help = N_("unlock the vault once for the commands that follow "
	    "(prints REDOUBT_SESSION=...)"),
	.opts = unlock_opts,
	.nopts = UNLOCK_NOPTS,
	.flags = CMD_BATCH_NO,
	.exec = unlock_exec,
};
