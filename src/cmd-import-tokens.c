/*
 * cmd-import-tokens.c: `redoubt import tokens FILE --format
 * oathcsv|pskc|yubico --method NAME [--assign FILE.csv]`: hardware and
 * software tokens enrolled elsewhere become active methods of their
 * users, as if each had been activated and confirmed here.
 *
 * The file is read whole first (token.h: a row that cannot be read is
 * refused with its line or KeyPackage and why).  Then each token: its
 * kind must fit the method (a TOTP token into a totp method, a YubiKey
 * into an offline yubikey method), it needs a user (from the file or from
 * --assign, a CSV of serial,user) who exists and has no method NAME yet
 * (one already there, active or pending, is never overwritten).  A token
 * that passes is stored as activation and confirmation would store it,
 * active, primary when it is the user's first active method, with its
 * serial and code parameters sealed in the method's params, and one audit
 * row (never the secret); one more row names the import as a whole.  No backup codes are made: the user gets them
 * with `backup-codes`.  The whole import is one transaction (the
 * runner's): a row is written whole or not at all, and the summary names
 * every token imported and every row refused.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "cmd.h"
#include "env.h"
#include "flow.h"
#include "i18n.h"
#include "json.h"
#include "kind.h"
#include "otp.h"
#include "token.h"
#include "util.h"

enum {
	IT_FORMAT,
	IT_METHOD,
	IT_ASSIGN,
	IT_NOPTS
};

static const struct cmd_opt it_opts[IT_NOPTS] = {
	[IT_FORMAT] = { .name = "format", .has_arg = true,
	    .help = N_("oathcsv (privacyIDEA's OATH CSV), pskc (RFC 6030) or "
	    "yubico (the YubiKey personalization log)") },
	[IT_METHOD] = { .name = "method", .has_arg = true,
	    .help = N_("the method the tokens become (totp, hotp or offline "
	    "yubikey handler)") },
	[IT_ASSIGN] = { .name = "assign", .has_arg = true,
	    .help = N_("a CSV file with the header serial,user: the user of "
	    "each token the file leaves without one") },
};

/* What one import keeps while it goes through the tokens. */
struct it_run {
	struct rd_ctx		*ctx;
	const struct method_cfg	*mc;
	enum token_type		 mtype;		/* what the method takes */
	const char		*format;
	struct token_assign	 assign;
	cJSON			*done, *refused;
	int			 nbad;
};

/* What kind of token mc takes; RD_USAGE when none. */
static enum rd_code RD_CHECK
it_method_type(const struct method_cfg *mc, enum token_type *out,
    struct rd_err *err)
{
	if (token_method_type(mc, out))
		return RD_OK;
	return rd_err_set(err, RD_USAGE, _("method %s (handler %s) holds no "
	    "tokens: use a method of handler totp, hotp or yubikey"),
	    mc->name, kind_backend(mc)->cfg.name);
}

static void
it_refuse(struct it_run *r, const struct token *t, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
it_refuse(struct it_run *r, const struct token *t, const char *fmt, ...)
{
	cJSON	*o = cJSON_CreateObject();
	char	 why[512];
	va_list	 ap;

	va_start(ap, fmt);
	if (vsnprintf(why, sizeof why, fmt, ap) < 0)
		why[0] = '\0';
	va_end(ap);
	json_str(o, "where", t->where);
	if (t->line > 0)
		json_num(o, "line", (double)t->line);
	if (t->index > 0)
		json_num(o, "keypackage", t->index);
	json_str(o, "serial", t->serial);
	json_str(o, "reason", why);
	cJSON_AddItemToArray(r->refused, o);
	r->nbad++;
}

/* A row the reader refused, as the summary shows it. */
static void
it_unread(struct it_run *r, const struct token_refusal *b)
{
	cJSON	*o = cJSON_CreateObject();

	json_str(o, "where", b->where);
	if (b->line > 0)
		json_num(o, "line", (double)b->line);
	if (b->index > 0)
		json_num(o, "keypackage", b->index);
	json_str(o, "serial", b->serial);
	json_str(o, "reason", b->reason);
	cJSON_AddItemToArray(r->refused, o);
	r->nbad++;
}

static double
it_pos(const cJSON *o)
{
	const cJSON	*l = cJSON_GetObjectItemCaseSensitive(o, "line");
	const cJSON	*k = cJSON_GetObjectItemCaseSensitive(o, "keypackage");

	return cJSON_IsNumber(l) ? l->valuedouble : cJSON_IsNumber(k) ?
	    k->valuedouble : 0;
}

static int
it_cmp(const void *a, const void *b)
{
	double	x = it_pos(*(cJSON *const *)a), y = it_pos(*(cJSON *const *)b);

	return x < y ? -1 : x > y;
}

/* The refusals in the order of the file (readers' and ours were apart). */
static void
it_sort(cJSON *arr)
{
	cJSON	**v;
	int	  n = cJSON_GetArraySize(arr), i;

	if (n < 2)
		return;
	v = xcalloc((size_t)n, sizeof *v);
	for (i = n - 1; i >= 0; i--)
		v[i] = cJSON_DetachItemFromArray(arr, i);
	qsort(v, (size_t)n, sizeof *v, it_cmp);
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(arr, v[i]);
	free(v);
}

/* vm's material and counter from t, as activation would have made them. */
static void
it_material(const struct token *t, struct vault_method *vm)
{
	struct be_device	dev;

	if (t->type == TOKEN_YUBIKEY) {
		/* be-yubikey.c's layout: AES key, then private id. */
		memset(&dev, 0, sizeof dev);
		memcpy(dev.material, t->secret, TOKEN_AES_LEN);
		memcpy(dev.material + TOKEN_AES_LEN, t->private_id,
		    TOKEN_UID_LEN);
		dev.len = TOKEN_AES_LEN + TOKEN_UID_LEN;
		snprintf(dev.public_id, sizeof dev.public_id, "%s",
		    t->public_id);
		dev.counter = t->counter;
		flow_device_store(&dev, vm);
		sodium_memzero(&dev, sizeof dev);
		return;
	}
	vm->secret_len = t->secret_len;
	vm->secret = secret_alloc(t->secret_len + 1);
	memcpy(vm->secret, t->secret, t->secret_len);
	vm->secret[t->secret_len] = 0;
	/* Stored: the last step or counter used; HOTP's file has the next. */
	vm->counter = t->type == TOKEN_HOTP ? t->counter - 1 : t->counter;
}

static enum rd_code RD_CHECK
it_store(struct it_run *r, const struct token *t, struct vault_user *u,
    struct rd_err *err)
{
	struct rd_ctx		*ctx = r->ctx;
	struct vault_method	 vm, *list = NULL;
	size_t			 n = 0, i;
	bool			 first = true;
	char			*detail, *params;
	cJSON			*o;
	enum rd_code		 rc;

	if ((rc = vault_method_list(ctx->vault, u->id, &list, &n, err)) !=
	    RD_OK)
		return rc;
	for (i = 0; i < n; i++)
		if (list[i].state == VAULT_ACTIVE)
			first = false;
	vault_method_list_free(list, n);
	memset(&vm, 0, sizeof vm);
	vm.user_id = u->id;
	snprintf(vm.name, sizeof vm.name, "%s", r->mc->name);
	snprintf(vm.handler, sizeof vm.handler, "%s",
	    kind_backend(r->mc)->cfg.name);
	vm.state = VAULT_ACTIVE;
	vm.primary = first;
	vm.created = env_now(ctx->env);
	vm.counter = -1;
	it_material(t, &vm);
	params = token_params_format(t);
	vm.params = secret_strdup(params);
	free(params);
	rc = vault_method_put(ctx->vault, &vm, err);
	if (rc == RD_OK) {
		/* Serial and where it came from; never the secret. */
		detail = xasprintf("%s serial %s (%s, %s %s)", vm.name,
		    t->serial, token_type_name(t->type), r->format, t->where);
		rc = flow_audit(ctx, u->name, "import token", "active", detail,
		    err);
		free(detail);
	}
	if (rc == RD_OK) {
		o = cJSON_CreateObject();
		json_str(o, "where", t->where);
		json_str(o, "serial", t->serial);
		json_str(o, "user", u->name);
		json_str(o, "type", token_type_name(t->type));
		json_bool(o, "primary", vm.primary);
		cJSON_AddItemToArray(r->done, o);
	}
	vault_method_clear(&vm);
	return rc;
}

/* One token: refused (noted in r) or stored; an error stops the import. */
static enum rd_code RD_CHECK
it_one(struct it_run *r, const struct token *t, struct rd_err *err)
{
	struct vault_user	 u;
	struct vault_method	 vm;
	const char		*name = t->user;
	const char		*mapped = token_assign_user(&r->assign,
				    t->serial);
	enum rd_code		 rc;

	if (t->type != r->mtype) {
		it_refuse(r, t, _("a %s token does not fit method %s (it takes "
		    "%s tokens)"), token_type_name(t->type), r->mc->name,
		    token_type_name(r->mtype));
		return RD_OK;
	}
	/*
	 * A TOTP's last step used (PSKC Time) cannot be in the future: a
	 * file that means something else by it would lock every code out.
	 */
	if (t->type == TOKEN_TOTP && t->counter > otp_step(env_now(
	    r->ctx->env), t->period)) {
		it_refuse(r, t, _("Time %lld is after the current time step "
		    "(%lld), so it is no step used so far"),
		    (long long)t->counter, (long long)otp_step(env_now(
		    r->ctx->env), t->period));
		return RD_OK;
	}
	if (name != NULL && mapped != NULL && strcmp(name, mapped) != 0) {
		it_refuse(r, t, _("the file names user %s but --assign names "
		    "%s"), name, mapped);
		return RD_OK;
	}
	if (name == NULL)
		name = mapped;
	if (name == NULL) {
		it_refuse(r, t, "%s", _("no user: the file names none and "
		    "--assign does not map this serial"));
		return RD_OK;
	}
	rc = vault_user_get(r->ctx->vault, name, &u, err);
	if (rc == RD_NOT_FOUND) {
		it_refuse(r, t, _("there is no user %s"), name);
		return RD_OK;
	}
	if (rc != RD_OK)
		return rc;
	rc = vault_method_get(r->ctx->vault, u.id, r->mc->name, &vm, err);
	if (rc == RD_OK) {
		it_refuse(r, t, _("user %s already has method %s (%s); it is "
		    "not overwritten"), u.name, vm.name,
		    vm.state == VAULT_ACTIVE ? _("active") : _("pending"));
		vault_method_clear(&vm);
		vault_user_clear(&u);
		return RD_OK;
	}
	if (rc == RD_NOT_FOUND)
		rc = it_store(r, t, &u, err);
	vault_user_clear(&u);
	return rc;
}

/* The file into s, by format. */
static enum rd_code RD_CHECK
it_read(const char *path, const char *format, struct token_set *s,
    struct rd_err *err)
{
	struct csv	*c;
	char		*xml;
	size_t		 len;
	enum rd_code	 rc;

	if (strcmp(format, "pskc") == 0) {
		if ((rc = token_read_file(path, &xml, &len, err)) != RD_OK)
			return rc;
		rc = tok_pskc_read(xml, len, s, err);
		secret_release(xml);
		return rc;
	}
	if ((rc = csv_open_file(path, _("token file"), &c, err)) != RD_OK)
		return rc;
	if (strcmp(format, "oathcsv") == 0)
		rc = tok_oathcsv_read(c, s, err);
	else
		rc = tok_yubico_read(c, s, err);
	csv_free(c);
	return rc;
}

static enum rd_code RD_CHECK
it_assign(const char *path, struct token_assign *a, struct rd_err *err)
{
	struct csv	*c;
	enum rd_code	 rc;

	if ((rc = csv_open_file(path, _("assign file"), &c, err)) != RD_OK)
		return rc;
	rc = token_assign_read(c, a, err);
	csv_free(c);
	return rc;
}

static enum rd_code RD_CHECK
import_tokens_exec(struct rd_ctx *ctx, const struct cmd_input *in,
    cJSON *out, struct rd_err *err)
{
	const char	*format = cmd_opt(in, IT_FORMAT);
	const char	*method = cmd_opt(in, IT_METHOD);
	const char	*assign = cmd_opt(in, IT_ASSIGN);
	struct it_run	 r;
	struct token_set s;
	char		*detail;
	size_t		 i;
	enum rd_code	 rc;

	memset(&r, 0, sizeof r);
	token_set_init(&s);
	if (format == NULL || (strcmp(format, "oathcsv") != 0 &&
	    strcmp(format, "pskc") != 0 && strcmp(format, "yubico") != 0))
		return rd_err_set(err, RD_USAGE, _("--format must be oathcsv, "
		    "pskc or yubico"));
	if (method == NULL || *method == '\0')
		return rd_err_set(err, RD_USAGE, _("--method NAME is needed: "
		    "the method the tokens become"));
	if ((rc = flow_method_cfg(ctx, method, &r.mc, err)) != RD_OK ||
	    (rc = it_method_type(r.mc, &r.mtype, err)) != RD_OK)
		return rc;
	if (strcmp(format, "yubico") == 0 && r.mtype != TOKEN_YUBIKEY)
		return rd_err_set(err, RD_USAGE, _("a yubico file holds "
		    "YubiKeys: method %s takes %s tokens, not YubiKeys (use a "
		    "method of handler yubikey)"), r.mc->name,
		    token_type_name(r.mtype));
	if (assign != NULL && (rc = it_assign(assign, &r.assign, err)) !=
	    RD_OK)
		return rc;
	if ((rc = it_read(in->pos[0], format, &s, err)) != RD_OK)
		goto out;
	r.ctx = ctx;
	r.format = format;
	json_str(out, "file", in->pos[0]);
	json_str(out, "format", format);
	json_str(out, "method", r.mc->name);
	r.done = cJSON_AddArrayToObject(out, "tokens");
	r.refused = cJSON_AddArrayToObject(out, "refusals");
	for (i = 0; i < s.nbad; i++)
		it_unread(&r, &s.bad[i]);
	for (i = 0; i < s.n && rc == RD_OK; i++)
		rc = it_one(&r, &s.tok[i], err);
	if (rc == RD_OK) {
		/* The import as a whole, also when every row was refused. */
		detail = xasprintf("%d imported, %d refused, method %s, format "
		    "%s, file %s", cJSON_GetArraySize(r.done), r.nbad,
		    r.mc->name, format, in->pos[0]);
		rc = flow_audit(ctx, NULL, "import tokens", "ok", detail, err);
		free(detail);
	}
	if (rc == RD_OK) {
		it_sort(r.refused);
		json_num(out, "imported", cJSON_GetArraySize(r.done));
		json_num(out, "refused", r.nbad);
	}
out:
	token_assign_free(&r.assign);
	token_set_free(&s);
	return rc;
}

const struct cmd_entry cmd_import_tokens_entry = {
	.name = "import tokens",
	.usage = "FILE --format oathcsv|pskc|yubico --method NAME "
	    "[--assign FILE.csv]",
	.help = N_("enrol tokens made elsewhere (OATH CSV, PSKC, YubiKey "
	    "log) as active methods"),
	.minpos = 1,
	.maxpos = 1,
	.opts = it_opts,
	.nopts = IT_NOPTS,
	.flags = CMD_WRITES,
	.exec = import_tokens_exec,
};
