/*
 * cli-render.c: results for people (cli-int.h).  A result is the same
 * cJSON object --json prints; here its keys become labels, lists become
 * tables, Unix times become local times and seconds become words.  The
 * few facts that exist for programs and screens (how a method is drawn)
 * are left out.  Labels and words are in the operator's language: a key's
 * label is looked up in the catalogue (cli_labels lists them for it).
 * Every string goes through cli_put_text, so a user name cannot drive the
 * operator's terminal.
 */
#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>
#include <wctype.h>

#include "cli-int.h"
#include "i18n.h"
#include "qr.h"
#include "utf8.h"
#include "util.h"
#include "words.h"

enum shape {
	SHOW,
	HIDE,		/* for programs and screens only */
	MOMENT,		/* Unix time; 0: never */
	SPAN,		/* seconds; 0: none */
};

/* Keys that are not plain values, and labels that are not the key. */
static const struct {
	const char	*key;
	enum shape	 shape;
	const char	*label;
} cli_keys[] = {
	{ "kind", HIDE, NULL },
	{ "sends_code", HIDE, NULL },
	{ "prompt", HIDE, NULL },
	{ "enrol_prompt", HIDE, NULL },
	{ "code_label", HIDE, NULL },
	{ "testable", HIDE, NULL },
	{ "verbose_name", HIDE, NULL },
	{ "to_outbox", HIDE, NULL },
	/*
	 * Token import: "where" ("line 3", "KeyPackage 2") is for programs
	 * that want one field; people get the line or the KeyPackage column.
	 */
	{ "where", HIDE, NULL },
	/* What the screens ask before offering an action; --json has it. */
	{ "code_needed", HIDE, NULL },
	{ "backup_codes_renewable", HIDE, NULL },
	{ "resend_in", SPAN, N_("resend in") },
	/* People get the secret in groups of four. */
	{ "secret", HIDE, NULL },
	{ "secret_grouped", SHOW, N_("secret") },
	{ "otpauth_uri", SHOW, N_("URI") },
	{ "time", MOMENT, NULL },
	{ "created", MOMENT, NULL },
	{ "enrolled", MOMENT, NULL },
	{ "last_used", MOMENT, N_("last used") },
	{ "expires_in", SPAN, N_("expires in") },
	{ "locked_for", SPAN, N_("locked for") },
	{ "cooldown", SPAN, NULL },
};

/*
 * The labels that are their key with spaces ("backup_codes_left"), here
 * only so that the catalogue has them; key_label looks each up.
 */
static const char *const cli_labels[] = {
	N_("action"), N_("activate"), N_("active"), N_("actor"),
	N_("backup codes"), N_("backup codes everywhere"),
	N_("backup codes left"), N_("body"), N_("by"), N_("bytes"),
	N_("checked"), N_("code"), N_("cooldown"), N_("created"),
	N_("deactivate"), N_("destination"), N_("detail"), N_("email"),
	N_("enrolled"), N_("entries"), N_("ephemeral token"), N_("error"),
	N_("error text"), N_("file"), N_("failures"), N_("first bad"),
	N_("full"), N_("handler"), N_("head"), N_("id"),
	N_("in config"), N_("kdf"), N_("locked"), N_("matches"),
	N_("message"), N_("messages"), N_("method"), N_("method used"),
	N_("methods"), N_("methods removed"), N_("name"), N_("ok"),
	N_("other methods"), N_("outcome"), N_("password"), N_("path"),
	N_("phone"), N_("primary"), N_("problems"), N_("provider code"),
	N_("provider message"), N_("replaced"), N_("request id"),
	N_("restored from"), N_("rows"), N_("seconds"),
	N_("send error"), N_("sent at"), N_("sent to"), N_("sheet"), N_("sid"),
	N_("state"), N_("status"), N_("time"), N_("tls"), N_("to"),
	N_("transcript"), N_("user"), N_("users"), N_("vault"),
	N_("warning"),
	/* import users */
	N_("codes not sent"), N_("codes sent"), N_("enrolments"),
	N_("line"), N_("methods started"), N_("methods waiting for send"),
	N_("reason"), N_("refusals"), N_("report"),
	N_("rows per second"), N_("rows refused"), N_("send failures"),
	N_("users created"), N_("users skipped"), N_("users updated"),
	N_("sheets written"), N_("sheet failures"),
	/* import and export tokens */
	N_("format"), N_("imported"), N_("refused"), N_("tokens"),
	N_("where"), N_("serial"), N_("type"), N_("exported"),
	N_("skipped"), N_("algorithm"), N_("digits"), N_("period"),
	N_("counter"), N_("public id"),
};

static enum shape
key_shape(const char *key, const char **label)
{
	size_t	i, n = strlen(key);

	*label = NULL;
	for (i = 0; i < sizeof cli_keys / sizeof cli_keys[0]; i++)
		if (strcmp(cli_keys[i].key, key) == 0) {
			*label = cli_keys[i].label;
			return cli_keys[i].shape;
		}
	if (n > 3 && strcmp(key + n - 3, "_at") == 0)
		return MOMENT;
	return SHOW;
}

/*
 * "backup_codes_left" reads "backup codes left", or what the catalogue
 * says for it.
 */
static void
key_label(const char *key, char *buf, size_t size)
{
	const char	*label;
	size_t		 i;

	key_shape(key, &label);
	snprintf(buf, size, "%s", label != NULL ? label : key);
	for (i = 0; buf[i] != '\0'; i++)
		if (buf[i] == '_')
			buf[i] = ' ';
	for (i = 0; i < sizeof cli_labels / sizeof cli_labels[0]; i++)
		if (strcmp(cli_labels[i], buf) == 0)
			break;
	if (label != NULL || i < sizeof cli_labels / sizeof cli_labels[0]) {
		label = _(buf);
		if (label != buf)
			snprintf(buf, size, "%s", label);
	}
}

/* A table header in capitals, letters of any language (the locale's). */
static void
upper(char *buf, size_t size)
{
	char		 out[256], *o = out;
	const char	*s = buf;
	mbstate_t	 in_st, out_st;
	wchar_t		 wc;
	size_t		 n, m;

	memset(&in_st, 0, sizeof in_st);
	memset(&out_st, 0, sizeof out_st);
	while (*s != '\0' && (size_t)(o - out) + MB_CUR_MAX < sizeof out) {
		n = mbrtowc(&wc, s, strlen(s), &in_st);
		if (n == 0 || n > strlen(s))
			return;		/* not text of the locale: leave it */
		if ((m = wcrtomb(o, (wchar_t)towupper((wint_t)wc), &out_st)) ==
		    (size_t)-1)
			return;
		o += m;
		s += n;
	}
	*o = '\0';
	if ((size_t)(o - out) < size)
		memcpy(buf, out, (size_t)(o - out) + 1);
}

/*
 * Up to len bytes of s as text: valid UTF-8 passes, a control (C0, DEL,
 * C1) or a byte that is not UTF-8 shows as '?', so nothing printed can
 * drive the terminal; newlines pass when lines is set, else show as ' '.
 */
static void
put_span(FILE *fp, const char *s, size_t len, bool lines)
{
	const char	*end = s + len;
	uint32_t	 cp;
	size_t		 n;

	while (s < end && *s != '\0') {
		n = utf8_next(s, &cp);
		if (n == 0 || s + n > end) {
			fputc('?', fp);
			s++;
			continue;
		}
		if (cp == '\n' && !lines)
			fputc(' ', fp);
		else if (utf8_control(cp) && cp != '\n')
			fputc('?', fp);
		else
			fwrite(s, 1, n, fp);
		s += n;
	}
}

void
cli_put_text(FILE *fp, const char *s)
{
	put_span(fp, s, strlen(s), true);
}

/* Columns text takes: one a code point (what this output holds). */
static int
text_width(const char *s)
{
	uint32_t	cp;
	size_t		n;
	int		w = 0;

	for (; *s != '\0'; s += n ? n : 1, w++)
		n = utf8_next(s, &cp);
	return w;
}

/* The states of a method, as people read them; --json keeps the words. */
static const char *const cli_states[] = {
	N_("active"), N_("pending"), N_("none"),
};

/* A scalar as words, into a malloc'd string. */
static char *
value_text(const char *key, const cJSON *v)
{
	const char	*label;
	char		 buf[64];
	size_t		 i;

	if (cJSON_IsString(v) && strcmp(key, "state") == 0)
		for (i = 0; i < sizeof cli_states / sizeof cli_states[0]; i++)
			if (strcmp(cli_states[i], v->valuestring) == 0)
				return xstrdup(_(cli_states[i]));
	if (cJSON_IsString(v))
		return xstrdup(v->valuestring);
	if (cJSON_IsBool(v))
		return xstrdup(cJSON_IsTrue(v) ? _("yes") : _("no"));
	if (cJSON_IsArray(v) && v->child == NULL)
		return xstrdup(_("none"));
	if (!cJSON_IsNumber(v))
		return xstrdup("-");
	switch (key_shape(key, &label)) {
	case MOMENT:
		if (v->valuedouble <= 0)
			return xstrdup(_("never"));
		words_time((time_t)v->valuedouble, buf, sizeof buf);
		return xstrdup(buf);
	case SPAN:
		if (v->valuedouble <= 0)
			return xstrdup("-");
		words_duration((long)v->valuedouble, buf, sizeof buf);
		return xstrdup(buf);
	default:
		return xasprintf("%.15g", v->valuedouble);
	}
}

/*
 * A method's kind (code, verify, app, device) is for screens; a key
 * slot's (passphrase, keyfile) is what a person reads the list for.
 */
static bool
shown(const cJSON *c)
{
	const char	*label, *v = cJSON_GetStringValue(c);

	if (c->string != NULL && strcmp(c->string, "kind") == 0 &&
	    v != NULL && (strcmp(v, "passphrase") == 0 ||
	    strcmp(v, "keyfile") == 0))
		return true;
	return c->string == NULL || key_shape(c->string, &label) != HIDE;
}

static bool
column_key(const cJSON *f)
{
	return shown(f) && !cJSON_IsArray(f) && !cJSON_IsObject(f);
}

/*
 * A list of objects as a table: a header of labels, aligned columns.
 * Rows need not have the same keys (a YubiKey has a public id, an app a
 * counter): the columns are every key any row has, in the order first
 * seen, and a row without one shows "-" there.
 */
static void
render_table(FILE *fp, const cJSON *arr, int indent)
{
	const cJSON	*e, *f;
	const char	*keys[32];
	char		 label[64], *v;
	int		 widths[32], col, ncol = 0;

	for (e = arr->child; e != NULL; e = e->next)
		for (f = e->child; f != NULL && ncol < 32; f = f->next) {
			if (!column_key(f))
				continue;
			for (col = 0; col < ncol; col++)
				if (strcmp(keys[col], f->string) == 0)
					break;
			if (col < ncol)
				continue;
			keys[ncol] = f->string;
			key_label(f->string, label, sizeof label);
			widths[ncol++] = text_width(label);
		}
	for (e = arr->child; e != NULL; e = e->next)
		for (col = 0; col < ncol; col++) {
			v = value_text(keys[col],
			    cJSON_GetObjectItemCaseSensitive(e, keys[col]));
			if (text_width(v) > widths[col])
				widths[col] = text_width(v);
			secret_free(v);
		}
	fprintf(fp, "%*s", indent, "");
	for (col = 0; col < ncol; col++) {
		key_label(keys[col], label, sizeof label);
		upper(label, sizeof label);
		fprintf(fp, "%s%*s", label, col + 1 < ncol ?
		    widths[col] - text_width(label) + 2 : 0, "");
	}
	fputc('\n', fp);
	for (e = arr->child; e != NULL; e = e->next) {
		fprintf(fp, "%*s", indent, "");
		for (col = 0; col < ncol; col++) {
			v = value_text(keys[col],
			    cJSON_GetObjectItemCaseSensitive(e, keys[col]));
			put_span(fp, v, strlen(v), false);
			fprintf(fp, "%*s", col + 1 < ncol ?
			    widths[col] - text_width(v) + 2 : 0, "");
			secret_free(v);
		}
		fputc('\n', fp);
	}
}

static void	render_at(FILE *fp, const cJSON *obj, int indent, bool heads);

/* "label:" then a list, a nested object or lines of text below it. */
static void
render_block(FILE *fp, const cJSON *c, int indent, bool head)
{
	const cJSON	*e;
	char		 label[64];
	const char	*p, *nl;

	key_label(c->string, label, sizeof label);
	if (head)
		fprintf(fp, "%*s%s:\n", indent, "", label);
	indent += head ? 2 : 0;
	if (cJSON_IsObject(c)) {
		render_at(fp, c, indent, true);
	} else if (cJSON_IsArray(c) && cJSON_IsObject(c->child)) {
		render_table(fp, c, indent);
	} else if (cJSON_IsArray(c)) {
		cJSON_ArrayForEach(e, c) {
			char	*v = value_text(c->string, e);

			fprintf(fp, "%*s", indent, "");
			put_span(fp, v, strlen(v), false);
			fputc('\n', fp);
			secret_free(v);
		}
	} else {
		for (p = c->valuestring; *p != '\0'; p = *nl ? nl + 1 : nl) {
			nl = strchr(p, '\n');
			nl = nl ? nl : p + strlen(p);
			fprintf(fp, "%*s", indent, "");
			put_span(fp, p, (size_t)(nl - p), false);
			fputc('\n', fp);
		}
	}
}

static bool
is_block(const cJSON *c)
{
	/* An empty list is one word, "none", in line with the values. */
	return (cJSON_IsArray(c) && c->child != NULL) || cJSON_IsObject(c) ||
	    (cJSON_IsString(c) && strchr(c->valuestring, '\n') != NULL);
}

static void
render_at(FILE *fp, const cJSON *obj, int indent, bool heads)
{
	const cJSON	*c;
	char		 label[64], *v;
	int		 w = 0, scalars = 0, blocks = 0;

	for (c = obj->child; c != NULL; c = c->next) {
		if (!shown(c))
			continue;
		if (is_block(c)) {
			blocks++;
			continue;
		}
		scalars++;
		key_label(c->string, label, sizeof label);
		if (text_width(label) > w)
			w = text_width(label);
	}
	for (c = obj->child; c != NULL; c = c->next) {
		if (!shown(c) || is_block(c))
			continue;
		key_label(c->string, label, sizeof label);
		v = value_text(c->string, c);
		fprintf(fp, "%*s%s:%*s ", indent, "", label,
		    w - text_width(label), "");
		put_span(fp, v, strlen(v), false);
		fputc('\n', fp);
		secret_free(v);
	}
	for (c = obj->child; c != NULL; c = c->next) {
		if (!shown(c) || !is_block(c))
			continue;
		/* A lone list (user list) needs no heading over its table. */
		render_block(fp, c, indent, heads || scalars > 0 || blocks > 1 ||
		    !cJSON_IsArray(c));
	}
}

void
cli_render(FILE *fp, const cJSON *obj)
{
	const cJSON	*text = cJSON_GetObjectItemCaseSensitive(obj, "text");

	/* A command that wrote its own text (config) says it as it is. */
	if (cJSON_IsString(text)) {
		cli_put_text(fp, text->valuestring);
		return;
	}
	render_at(fp, obj, 0, false);
}

void
cli_render_qr(FILE *fp, const cJSON *obj)
{
	const cJSON	*uri = cJSON_GetObjectItemCaseSensitive(obj,
			    "otpauth_uri");
	const char	*cs = nl_langinfo(CODESET);
	struct qr	*q;
	char		*text;

	if (!cJSON_IsString(uri) || (q = qr_new(uri->valuestring)) == NULL)
		return;
	text = qr_text(q, cs != NULL && (strcmp(cs, "UTF-8") == 0 ||
	    strcmp(cs, "utf8") == 0));
	fputs(text, fp);
	fputc('\n', fp);
	secret_free(text);
	qr_free(q);
}

void
cli_json_clean(cJSON *item)
{
	char	*clean;

	for (; item != NULL; item = item->next) {
		if (cJSON_IsString(item) && !utf8_valid(item->valuestring)) {
			clean = utf8_clean(item->valuestring);
			(void)cJSON_SetValuestring(item, clean);
			free(clean);
		}
		cli_json_clean(item->child);
	}
}
