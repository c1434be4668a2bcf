/*
 * print.c: the print key's job (print.h).  Not a command of the table:
 * the codes were made and shown by one a moment ago, and only the screen
 * still holds them, so the job hands them to the core directly, which
 * writes the sheet and records it just as --sheet does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/enrol-sheet.h"
#include "../src/i18n.h"
#include "print.h"
#include "widget.h"

static enum rd_code RD_CHECK
print_fn(struct ui *ui, struct ui_job *j, cJSON *out, struct rd_err *err)
{
	const struct print_src	*p = j->arg;
	struct sheet		 sh;
	cJSON			*res = cJSON_CreateObject(), *v;
	char			 name[256], *written = NULL;
	enum rd_code		 rc;

	/* References: cJSON_Delete below frees none of the screen's. */
	cJSON_AddStringToObject(res, "user", p->user);
	if (p->codes != NULL)
		cJSON_AddItemReferenceToObject(res, "backup_codes",
		    (cJSON *)p->codes);
	if (p->app != NULL &&
	    (v = cJSON_GetObjectItemCaseSensitive(p->app, "otpauth_uri")) !=
	    NULL)
		cJSON_AddItemReferenceToObject(res, "otpauth_uri", v);
	if (p->app != NULL &&
	    (v = cJSON_GetObjectItemCaseSensitive(p->app, "secret")) != NULL)
		cJSON_AddItemReferenceToObject(res, "secret", v);
	enrol_sheet_from(&ui->ctx, res, &sh);
	enrol_sheet_name(&ui->ctx, p->user, name, sizeof name);
	rc = enrol_sheet_save(&ui->ctx, &sh, name, &written, err);
	enrol_sheet_clear(&sh);
	cJSON_Delete(res);
	if (rc == RD_OK)
		cJSON_AddStringToObject(out, "sheet", written);
	free(written);
	return rc;
}

struct ui_job *
print_job(int tag, const struct print_src *src)
{
	struct ui_job	*j = job_new(tag, NULL);

	j->fn = print_fn;
	j->arg = (void *)src;
	return j;
}

void
print_done(struct screen *sc, const struct ui_job *j)
{
	const char	*path, *slash;

	if (j->rc != RD_OK) {
		scr_msg_job(sc, j);
		return;
	}
	path = job_str(j->out, "sheet");
	/* The file's name first: a narrow line cuts the folder. */
	slash = strrchr(path, '/');
	if (slash == NULL)
		scr_msg(sc, ROLE_OK, _("Sheet written: %s"), path);
	else
		scr_msg(sc, ROLE_OK, _("Sheet written: %s in %.*s"), slash + 1,
		    slash == path ? 1 : (int)(slash - path), path);
}
