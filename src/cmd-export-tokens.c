/*
 * cmd-export-tokens.c: `redoubt export tokens --format pskc --out FILE
 * [--method NAME]`: every active authenticator-app and offline YubiKey
 * method (or those of method NAME) in one RFC 6030 container, with plain
 * secrets, for moving tokens to another server or vault.
 *
 * The file holds every secret it names, so: it is written only when
 * asked for by name, never over an existing file (O_EXCL, so a link or a
 * file made in between is not followed or truncated), created with mode
 * 0600 from the start, and the export is audited (how many tokens, which
 * method, which file; no secret).  Each token keeps the serial it was
 * imported with; one enrolled here gets a stable serial made from its
 * row (token_serial_of).  A method no longer in the config, or whose
 * handler changed since enrolment, is skipped and named in the summary.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "cmd.h"
#include "flow.h"
#include "i18n.h"
#include "json.h"
#include "kind.h"
#include "token.h"
#include "util.h"

enum {
	ET_FORMAT,
	ET_OUT,
	ET_METHOD,
	ET_NOPTS
};

static const struct cmd_opt et_opts[ET_NOPTS] = {
	[ET_FORMAT] = { .name = "format", .has_arg = true,
	    .help = N_("pskc (RFC 6030), the only one written") },
	[ET_OUT] = { .name = "out", .has_arg = true,
	    .help = N_("the file to write (mode 0600; never overwritten); it "
	    "holds every secret") },
	[ET_METHOD] = { .name = "method", .has_arg = true,
	    .help = N_("only the tokens of this method") },
};

struct et_names {
	char	**v;
	size_t	  n;
};

static void
et_name(void *arg, const char *name, bool active)
{
	struct et_names	*l = arg;

	(void)active;
	l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
	l->v[l->n++] = xstrdup(name);
}

/* Every user name, a page at a time. */
static enum rd_code RD_CHECK
et_users(struct rd_ctx *ctx, struct et_names *l, struct rd_err *err)
{
	enum rd_code	rc;
	size_t		before;

	do {
		before = l->n;
		rc = vault_user_list(ctx->vault, NULL, l->n > 0 ?
		    l->v[l->n - 1] : NULL, 1000, et_name, l, err);
	} while (rc == RD_OK && l->n - before == 1000);
	return rc;
}

struct et_run {
	struct token_set	 s;
	cJSON			*skipped;
	const char		*only;	/* --method, or NULL */
};

static void
et_skip(struct et_run *r, const char *user, const char *method,
    const char *why)
{
	cJSON	*o = cJSON_CreateObject();

	json_str(o, "user", user);
	json_str(o, "method", method);
	json_str(o, "reason", why);
	cJSON_AddItemToArray(r->skipped, o);
}

/* vm (active, of user u) into r's set when it is a token. */
static void
et_method(struct rd_ctx *ctx, struct et_run *r, const struct vault_user *u,
    const struct vault_method *vm)
{
	const struct method_cfg	*mc = config_method(ctx->cfg, vm->name);
	struct be_app_params	 p;
	struct be_device	 dev;
	enum token_type		 type;
	struct token		*t;

	if (r->only != NULL && strcmp(vm->name, r->only) != 0)
		return;
	if (mc == NULL) {
		/* A token's digits and period may be in the keys: unknown. */
		et_skip(r, u->name, vm->name, _("the method is no longer in "
		    "the config"));
		return;
	}
	if (!token_method_type(mc, &type))
		return;
	if (strcmp(kind_backend(mc)->cfg.name, vm->handler) != 0) {
		et_skip(r, u->name, vm->name, _("the method's handler changed "
		    "since it was enrolled"));
		return;
	}
	t = token_set_add(&r->s, 0, 0);
	t->type = type;
	t->user = xstrdup(u->name);
	token_serial_of(vm->params, u->id, vm->id, vm->created, t->serial);
	if (type == TOKEN_YUBIKEY) {
		flow_device_load(vm, &dev);
		if (dev.len != TOKEN_AES_LEN + TOKEN_UID_LEN ||
		    dev.public_id[0] == '\0') {
			sodium_memzero(&dev, sizeof dev);
			token_set_drop_last(&r->s);
			et_skip(r, u->name, vm->name, _("the key's material or "
			    "public id is missing"));
			return;
		}
		t->secret = secret_alloc(TOKEN_AES_LEN + 1);
		memcpy(t->secret, dev.material, TOKEN_AES_LEN);
		t->secret_len = TOKEN_AES_LEN;
		memcpy(t->private_id, dev.material + TOKEN_AES_LEN,
		    TOKEN_UID_LEN);
		snprintf(t->public_id, sizeof t->public_id, "%s",
		    dev.public_id);
		t->counter = dev.counter;
		sodium_memzero(&dev, sizeof dev);
		return;
	}
	if (vm->secret == NULL || vm->secret_len == 0) {
		token_set_drop_last(&r->s);
		et_skip(r, u->name, vm->name, _("the method holds no secret"));
		return;
	}
	token_app_params(mc, vm->params, &p, &t->algo);
	t->digits = p.digits;
	t->period = p.period;
	/* The file has HOTP's next counter and TOTP's last step used. */
	t->counter = type == TOKEN_HOTP ? vm->counter + 1 : vm->counter;
	t->secret = secret_alloc(vm->secret_len + 1);
	memcpy(t->secret, vm->secret, vm->secret_len);
	t->secret_len = vm->secret_len;
}

static enum rd_code RD_CHECK
et_collect(struct rd_ctx *ctx, struct et_run *r, struct rd_err *err)
{
	struct et_names		 names = { NULL, 0 };
	struct vault_user	 u;
	struct vault_method	*list;
	size_t			 i, j, n;
	enum rd_code		 rc;

	rc = et_users(ctx, &names, err);
	for (i = 0; rc == RD_OK && i < names.n; i++) {
		if ((rc = vault_user_get(ctx->vault, names.v[i], &u, err)) !=
		    RD_OK)
			break;
		rc = vault_method_list(ctx->vault, u.id, &list, &n, err);
		for (j = 0; rc == RD_OK && j < n; j++)
			if (list[j].state == VAULT_ACTIVE)
				et_method(ctx, r, &u, &list[j]);
		if (rc == RD_OK)
			vault_method_list_free(list, n);
		vault_user_clear(&u);
	}
	for (i = 0; i < names.n; i++)
		free(names.v[i]);
	free(names.v);
	return rc;
}

static enum rd_code RD_CHECK
et_write(int fd, const char *path, const char *buf, size_t len,
    struct rd_err *err)
{
	ssize_t	w;
	size_t	off = 0;

	while (off < len) {
		w = write(fd, buf + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return rd_err_set(err, RD_USAGE, _("cannot write %s: "
			    "%s"), path, strerror(errno));
		off += (size_t)w;
	}
	if (fsync(fd) != 0)
		return rd_err_set(err, RD_USAGE, _("cannot write %s: %s"),
		    path, strerror(errno));
	return RD_OK;
}

static enum rd_code RD_CHECK
export_tokens_exec(struct rd_ctx *ctx, const struct cmd_input *in,
    cJSON *out, struct rd_err *err)
{
	const char		*format = cmd_opt(in, ET_FORMAT);
	const char		*path = cmd_opt(in, ET_OUT);
	const struct method_cfg	*mc;
	struct et_run		 r;
	enum token_type		 type;
	char			*xml = NULL, *detail;
	size_t			 len = 0;
	enum rd_code		 rc;
	int			 fd;

	memset(&r, 0, sizeof r);
	if (format == NULL || strcmp(format, "pskc") != 0)
		return rd_err_set(err, RD_USAGE, _("--format pskc is needed "
		    "(the only format written)"));
	if (path == NULL || *path == '\0')
		return rd_err_set(err, RD_USAGE, _("--out FILE is needed: "
		    "the export is written only to a file named for it"));
	r.only = cmd_opt(in, ET_METHOD);
	if (r.only != NULL) {
		if ((rc = flow_method_cfg(ctx, r.only, &mc, err)) != RD_OK)
			return rc;
		if (!token_method_type(mc, &type))
			return rd_err_set(err, RD_USAGE, _("method %s "
			    "(handler %s) holds no tokens: use a method of "
			    "handler totp, hotp or yubikey"), mc->name,
			    kind_backend(mc)->cfg.name);
	}
	token_set_init(&r.s);
	r.skipped = cJSON_CreateArray();
	if ((rc = et_collect(ctx, &r, err)) != RD_OK)
		goto out;
	if (r.s.n == 0) {
		rc = rd_err_set(err, RD_NOT_FOUND, _("no active token to "
		    "export; no file was written"));
		goto out;
	}
	if ((rc = tok_pskc_write(r.s.tok, r.s.n, config_str(ctx->cfg,
	    CK_ISSUER), &xml, &len, err)) != RD_OK)
		goto out;
	/*
	 * The file first: a refusal (it exists) keeps the step's writes,
	 * so no audit row may come before it.  Then the audit row; when it
	 * fails, the file goes again.
	 */
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	if (fd < 0) {
		rc = rd_err_set(err, errno == EEXIST ? RD_EXISTS : RD_USAGE,
		    errno == EEXIST ? _("%s exists: an export never "
		    "overwrites a file") : _("cannot create %s: %s"), path,
		    strerror(errno));
		goto out;
	}
	rc = et_write(fd, path, xml, len, err);
	if (close(fd) != 0 && rc == RD_OK)
		rc = rd_err_set(err, RD_USAGE, _("cannot write %s: %s"), path,
		    strerror(errno));
	if (rc == RD_OK) {
		detail = xasprintf("%zu token%s, method %s, file %s", r.s.n,
		    r.s.n == 1 ? "" : "s", r.only != NULL ? r.only : "(all)",
		    path);
		rc = flow_audit(ctx, NULL, "export tokens", "ok", detail, err);
		free(detail);
	}
	if (rc != RD_OK) {
		(void)unlink(path);
		goto out;
	}
	json_str(out, "file", path);
	json_str(out, "format", "pskc");
	json_str(out, "method", r.only);
	json_num(out, "exported", (double)r.s.n);
	cJSON_AddItemToObject(out, "skipped", r.skipped);
	r.skipped = NULL;
out:
	secret_release(xml);
	cJSON_Delete(r.skipped);
	token_set_free(&r.s);
	return rc;
}

const struct cmd_entry cmd_export_tokens_entry = {
	.name = "export tokens",
	.usage = "--format pskc --out FILE [--method NAME]",
	.help = N_("write every active app and YubiKey token, secrets "
	    "included, to a new PSKC file"),
	.minpos = 0,
	.maxpos = 0,
	.opts = et_opts,
	.nopts = ET_NOPTS,
	.flags = CMD_WRITES,
	.exec = export_tokens_exec,
};
