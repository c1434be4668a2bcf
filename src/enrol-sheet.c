/*
 * enrol-sheet.c: a sheet written as part of the work and recorded in the
 * audit log, in the order enrol-sheet.h explains.
 */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "config.h"
#include "enrol-sheet.h"
#include "env.h"
#include "i18n.h"
#include "json.h"
#include "tx.h"
#include "util.h"

struct enrol_sheet_row {
	const char	*user;
	const char	*path;
};

static const char *
json_text(const cJSON *o, const char *key)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

void
enrol_sheet_from(struct rd_ctx *ctx, const cJSON *res, struct sheet *s)
{
	const cJSON	*codes = cJSON_GetObjectItemCaseSensitive(res,
			    "backup_codes"), *e;
	const char	**list = NULL;
	size_t		 n = 0;

	memset(s, 0, sizeof *s);
	s->user = json_text(res, "user");
	if (s->user == NULL)
		s->user = "";
	s->issuer = config_str(ctx->cfg, CK_ISSUER);
	s->uri = json_text(res, "otpauth_uri");
	s->secret = json_text(res, "secret");
	s->when = env_now(ctx->env);
	if (cJSON_IsArray(codes) && cJSON_GetArraySize(codes) > 0) {
		list = xcalloc((size_t)cJSON_GetArraySize(codes), sizeof *list);
		cJSON_ArrayForEach(e, codes)
			if (cJSON_IsString(e))
				list[n++] = e->valuestring;
	}
	s->codes = list;
	s->ncodes = n;
}

void
enrol_sheet_clear(struct sheet *s)
{
	free((void *)s->codes);
	memset(s, 0, sizeof *s);
}

/* The path for the log and the answer: absolute when it can be said. */
static char *
enrol_sheet_abs(const char *path)
{
	char	buf[PATH_MAX];

	if (realpath(path, buf) == NULL)
		return xstrdup(path);
	return xstrdup(buf);
}

static enum rd_code RD_CHECK
enrol_sheet_audit(struct rd_ctx *ctx, void *arg, struct rd_err *err)
{
	struct enrol_sheet_row	*r = arg;

	return audit_add(ctx->vault, env_now(ctx->env), ctx->actor, r->user,
	    "sheet", "written", r->path, err);
}

/*
 * The published file at path gets its audit row, or goes: a sheet
 * nobody can account for must not stay.  *abs: the absolute path.
 */
static enum rd_code RD_CHECK
enrol_sheet_record(struct rd_ctx *ctx, const char *user, const char *path,
    char **abs, struct rd_err *err)
{
	struct enrol_sheet_row	r;
	enum rd_code		rc;

	*abs = enrol_sheet_abs(path);
	r.user = user;
	r.path = *abs;
	if ((rc = tx_run(ctx, enrol_sheet_audit, &r, err)) != RD_OK) {
		(void)unlink(path);
		free(*abs);
		*abs = NULL;
	}
	return rc;
}

struct enrol_sheet_after {
	struct sheet_file	*file;
	char			*user;
};

static void
enrol_sheet_after_free(void *arg)
{
	struct enrol_sheet_after	*a = arg;

	sheet_file_free(a->file);
	free(a->user);
	free(a);
}

static enum rd_code RD_CHECK
enrol_sheet_after(struct rd_ctx *ctx, void *arg, cJSON *out,
    struct rd_err *err)
{
	struct enrol_sheet_after	*a = arg;
	char				*abs;
	enum rd_code			 rc;

	if ((rc = sheet_publish(a->file, err)) != RD_OK)
		return rc;
	if ((rc = enrol_sheet_record(ctx, a->user, sheet_path(a->file), &abs,
	    err)) != RD_OK)
		return rc;
	json_str(out, "sheet", abs);
	free(abs);
	return RD_OK;
}

enum rd_code
enrol_sheet_stage(struct rd_ctx *ctx, const struct sheet *s,
    const char *path, struct rd_err *err)
{
	struct enrol_sheet_after	*a;
	struct sheet_file		*f;
	enum rd_code			 rc;

	if ((rc = sheet_stage(s, path, &f, err)) != RD_OK)
		return rc;
	a = xcalloc(1, sizeof *a);
	a->file = f;
	a->user = xstrdup(s->user);
	ctx_after(ctx, enrol_sheet_after, a, enrol_sheet_after_free);
	return RD_OK;
}

enum rd_code
enrol_sheet_save(struct rd_ctx *ctx, const struct sheet *s, const char *path,
    char **written, struct rd_err *err)
{
	char		*abs;
	enum rd_code	 rc;

	if (written != NULL)
		*written = NULL;
	if ((rc = sheet_write(s, path, err)) != RD_OK ||
	    (rc = enrol_sheet_record(ctx, s->user, path, &abs, err)) != RD_OK)
		return rc;
	if (written != NULL)
		*written = abs;
	else
		free(abs);
	return RD_OK;
}

void
enrol_sheet_name(struct rd_ctx *ctx, const char *user, char *buf,
    size_t size)
{
	time_t		 t = (time_t)env_now(ctx->env);
	struct tm	 tm;
	char		 stamp[32] = "";
	size_t		 i, start;

	if (localtime_r(&t, &tm) != NULL)
		(void)strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
	snprintf(buf, size, "redoubt-sheet-");
	start = strlen(buf);
	snprintf(buf + start, size - start, "%s-%s.pdf", user, stamp);
	/* The user's part only: no '/' or control character in a name. */
	for (i = start; buf[i] != '\0' && i < start + strlen(user); i++)
		if (!isalnum((unsigned char)buf[i]) && buf[i] != '.' &&
		    buf[i] != '-' && buf[i] != '_')
			buf[i] = '_';
}
