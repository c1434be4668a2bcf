/*
 * cmd.c: the command table and what every command shares: finding an
 * entry by its words, reading its options, checking the argument count
 * and freeing a result without leaving secrets in freed memory.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "cmd.h"
#include "util.h"

extern const struct cmd_entry cmd_init_entry, cmd_passphrase_entry,
    cmd_user_add_entry, cmd_user_set_entry, cmd_user_show_entry,
    cmd_user_list_entry, cmd_user_del_entry, cmd_user_unlock_entry,
    cmd_user_reset_entry, cmd_activate_entry, cmd_confirm_entry,
    cmd_deactivate_entry, cmd_request_code_entry, cmd_login_entry,
    cmd_login_code_entry, cmd_backup_codes_entry, cmd_primary_entry,
    cmd_methods_entry, cmd_config_entry, cmd_test_backend_entry,
    cmd_outbox_entry, cmd_audit_entry;

const struct cmd_entry *const cmd_table[] = {
	&cmd_init_entry,
	&cmd_passphrase_entry,
	&cmd_user_add_entry,
	&cmd_user_set_entry,
	&cmd_user_show_entry,
	&cmd_user_list_entry,
	&cmd_user_del_entry,
	&cmd_user_unlock_entry,
	&cmd_user_reset_entry,
	&cmd_activate_entry,
	&cmd_confirm_entry,
	&cmd_deactivate_entry,
	&cmd_request_code_entry,
	&cmd_login_entry,
	&cmd_login_code_entry,
	&cmd_backup_codes_entry,
	&cmd_primary_entry,
	&cmd_methods_entry,
	&cmd_config_entry,
	&cmd_test_backend_entry,
	&cmd_outbox_entry,
	&cmd_audit_entry,
	NULL
};

const struct cmd_entry *
cmd_find(int argc, char *const *argv, int *used)
{
	const struct cmd_entry	*e;
	size_t			 i, n;

	if (argc < 1)
		return NULL;
	for (i = 0; (e = cmd_table[i]) != NULL; i++) {
		const char	*sp = strchr(e->name, ' ');

		if (sp == NULL) {
			if (strcmp(e->name, argv[0]) == 0) {
				*used = 1;
				return e;
			}
			continue;
		}
		n = (size_t)(sp - e->name);
		if (argc >= 2 && strlen(argv[0]) == n &&
		    strncmp(e->name, argv[0], n) == 0 &&
		    strcmp(sp + 1, argv[1]) == 0) {
			*used = 2;
			return e;
		}
	}
	return NULL;
}

int
cmd_opt_index(const struct cmd_entry *e, const char *name)
{
	int	i;

	for (i = 0; e->opts != NULL && e->opts[i].name != NULL; i++)
		if (strcmp(e->opts[i].name, name) == 0)
			return i;
	return -1;
}

const char *
cmd_opt(const struct cmd_entry *e, const struct cmd_input *in,
    const char *name)
{
	int	i = cmd_opt_index(e, name);

	return i < 0 ? NULL : in->opt[i];
}

enum rd_code
cmd_parse(const struct cmd_entry *e, int argc, char **argv,
    struct cmd_input *in, struct rd_err *err)
{
	int		 i, k;
	const char	*v;
	char		 name[64];

	memset(in, 0, sizeof *in);
	for (i = 0; i < argc; i++) {
		if (!str_has_prefix(argv[i], "--") || argv[i][2] == '\0') {
			if (in->npos == CMD_MAX_POS)
				return rd_err_set(err, RD_USAGE, "too many "
				    "arguments; usage: redoubt %s %s", e->name,
				    e->usage);
			in->pos[in->npos++] = argv[i];
			continue;
		}
		snprintf(name, sizeof name, "%s", argv[i] + 2);
		name[strcspn(name, "=")] = '\0';
		if ((k = cmd_opt_index(e, name)) < 0)
			return rd_err_set(err, RD_USAGE, "%s: unknown option "
			    "--%s; usage: redoubt %s %s", e->name, name,
			    e->name, e->usage);
		if (!e->opts[k].has_arg) {
			if (strchr(argv[i], '=') != NULL)
				return rd_err_set(err, RD_USAGE, "--%s takes "
				    "no value", name);
			in->opt[k] = "";
			continue;
		}
		if (strchr(argv[i], '=') != NULL)
			v = strchr(argv[i], '=') + 1;
		else
			v = i + 1 < argc ? argv[++i] : NULL;
		if (v == NULL)
			return rd_err_set(err, RD_USAGE, "--%s needs a value",
			    name);
		in->opt[k] = v;
	}
	return RD_OK;
}

enum rd_code
cmd_run(const struct cmd_entry *e, struct rd_ctx *ctx,
    const struct cmd_input *in, cJSON *out, struct rd_err *err)
{
	if (in->npos < e->minpos || in->npos > e->maxpos)
		return rd_err_set(err, RD_USAGE, "usage: redoubt %s %s",
		    e->name, e->usage);
	return e->exec(ctx, in, out, err);
}

static void
wipe(cJSON *item)
{
	for (; item != NULL; item = item->next) {
		if (item->valuestring != NULL)
			sodium_memzero(item->valuestring,
			    strlen(item->valuestring));
		wipe(item->child);
	}
}

void
cmd_result_free(cJSON *out)
{
	if (out == NULL)
		return;
	wipe(out->child);
	cJSON_Delete(out);
}
