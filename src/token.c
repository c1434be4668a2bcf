/*
 * token.c: the parts of token import and export every format shares (see
 * token.h): the set of tokens and refusals a reader fills, checks of a
 * serial, a hex secret and an algorithm name, the --assign map, and the
 * params lines kept with an imported method.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "i18n.h"
#include "kind.h"
#include "token.h"
#include "util.h"

void
token_set_init(struct token_set *s)
{
	memset(s, 0, sizeof *s);
}

static void
token_wipe(struct token *t)
{
	secret_release(t->secret);
	free(t->user);
	sodium_memzero(t, sizeof *t);
}

void
token_set_free(struct token_set *s)
{
	size_t	i;

	for (i = 0; i < s->n; i++)
		token_wipe(&s->tok[i]);
	free(s->tok);
	for (i = 0; i < s->nbad; i++) {
		free(s->bad[i].where);
		free(s->bad[i].serial);
		free(s->bad[i].reason);
	}
	free(s->bad);
	memset(s, 0, sizeof *s);
}

static void
token_where(char *buf, size_t size, long line, int index)
{
	if (index > 0)
		snprintf(buf, size, "KeyPackage %d", index);
	else
		snprintf(buf, size, "line %ld", line);
}

struct token *
token_set_add(struct token_set *s, long line, int index)
{
	struct token	*t;

	s->tok = xrealloc(s->tok, (s->n + 1) * sizeof *s->tok);
	t = &s->tok[s->n++];
	memset(t, 0, sizeof *t);
	t->line = line;
	t->index = index;
	token_where(t->where, sizeof t->where, line, index);
	t->algo = OTP_SHA1;
	t->digits = 6;
	t->counter = -1;
	return t;
}

void
token_set_drop_last(struct token_set *s)
{
	if (s->n > 0)
		token_wipe(&s->tok[--s->n]);
}

void
token_set_refuse(struct token_set *s, long line, int index,
    const char *serial, const char *fmt, ...)
{
	struct token_refusal	*r;
	char			 where[48], *reason;
	va_list			 ap;
	int			 n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	reason = xmalloc((size_t)(n < 0 ? 0 : n) + 1);
	va_start(ap, fmt);
	if (vsnprintf(reason, (size_t)(n < 0 ? 0 : n) + 1, fmt, ap) < 0)
		reason[0] = '\0';
	va_end(ap);
	token_where(where, sizeof where, line, index);
	s->bad = xrealloc(s->bad, (s->nbad + 1) * sizeof *s->bad);
	r = &s->bad[s->nbad++];
	r->where = xstrdup(where);
	r->line = index > 0 ? 0 : line;
	r->index = index;
	/* A serial that is no serial is not repeated: it may be anything. */
	r->serial = xstrdup(serial != NULL && token_serial_ok(serial) ?
	    serial : "");
	r->reason = reason;
}

/* Where serial first appears before pos in the refused rows, or NULL. */
static const char *
token_refused_before(const struct token_set *s, size_t nbad,
    const char *serial, long pos)
{
	const char	*first = NULL;
	long		 best = pos, p;
	size_t		 i;

	for (i = 0; i < nbad; i++) {
		p = s->bad[i].index > 0 ? s->bad[i].index : s->bad[i].line;
		if (p < best && strcmp(s->bad[i].serial, serial) == 0) {
			best = p;
			first = s->bad[i].where;
		}
	}
	return first;
}

void
token_set_dedupe(struct token_set *s)
{
	const char	*first;
	size_t		 i, j, k = 0, nbad = s->nbad;
	long		 pos;

	for (i = 0; i < s->n; i++) {
		/* A copy after a refused row is no less doubtful. */
		pos = s->tok[i].index > 0 ? s->tok[i].index : s->tok[i].line;
		first = token_refused_before(s, nbad, s->tok[i].serial, pos);
		for (j = 0; first == NULL && j < k; j++)
			if (strcmp(s->tok[j].serial, s->tok[i].serial) == 0)
				first = s->tok[j].where;
		if (first != NULL) {
			token_set_refuse(s, s->tok[i].line, s->tok[i].index,
			    s->tok[i].serial, _("serial %s already appears at "
			    "%s; only its first row is read"),
			    s->tok[i].serial, first);
			token_wipe(&s->tok[i]);
			continue;
		}
		if (k != i) {
			s->tok[k] = s->tok[i];
			memset(&s->tok[i], 0, sizeof s->tok[i]);
		}
		k++;
	}
	s->n = k;
}

const char *
token_type_name(enum token_type t)
{
	switch (t) {
	case TOKEN_TOTP:
		return "totp";
	case TOKEN_HOTP:
		return "hotp";
	case TOKEN_YUBIKEY:
		return "yubikey";
	}
	return "?";
}

bool
token_serial_ok(const char *serial)
{
	size_t	n = strlen(serial), i;

	if (n == 0 || n > TOKEN_SERIAL_MAX || serial[0] == ' ' ||
	    serial[n - 1] == ' ')
		return false;
	/* Printable ASCII: it goes into XML, CSV, the audit log and JSON. */
	for (i = 0; i < n; i++)
		if ((unsigned char)serial[i] < 0x20 ||
		    (unsigned char)serial[i] > 0x7e)
			return false;
	return true;
}

char *
token_trim(char *s)
{
	size_t	n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
	    s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

bool
token_hex(const char *hex, size_t min, size_t max, uint8_t **out,
    size_t *len, const char **why)
{
	size_t		 n = strlen(hex), got = 0;
	const char	*end = NULL;
	uint8_t		*buf;

	*out = NULL;
	*len = 0;
	if (n == 0) {
		*why = _("it is empty");
		return false;
	}
	if (n % 2 != 0) {
		*why = _("it has an odd number of hex digits");
		return false;
	}
	if (n / 2 < min || n / 2 > max) {
		*why = min == max ? _("it has the wrong length") :
		    n / 2 < min ? _("it is too short") : _("it is too long");
		return false;
	}
	buf = secret_alloc(n / 2 + 1);
	if (sodium_hex2bin(buf, n / 2, hex, n, NULL, &got, &end) != 0 ||
	    got != n / 2 || end != hex + n) {
		secret_release(buf);
		*why = _("it is not hexadecimal");
		return false;
	}
	buf[got] = 0;
	*out = buf;
	*len = got;
	return true;
}

bool
token_algo_parse(const char *name, enum otp_algo *out)
{
	char	buf[16];
	size_t	i, j = 0;

	if (strncasecmp(name, "HMAC-", 5) == 0)
		name += 5;
	/* SHA1, sha-256, SHA512 alike. */
	for (i = 0; name[i] != '\0' && j + 1 < sizeof buf; i++)
		if (name[i] != '-')
			buf[j++] = (char)tolower((unsigned char)name[i]);
	if (name[i] != '\0')
		return false;
	buf[j] = '\0';
	return otp_algo_parse(buf, out);
}

enum rd_code
token_assign_read(struct csv *c, struct token_assign *a,
    struct rd_err *err)
{
	char		*f[CSV_MAX_FIELDS], *serial, *user;
	int		 nf, cs, cu;
	long		 line, *lines = NULL;
	size_t		 i;
	enum rd_code	 rc;

	memset(a, 0, sizeof *a);
	if ((rc = csv_next(c, f, &nf, &line, err)) != RD_OK)
		return rc == RD_NOT_FOUND ? rd_err_set(err, RD_USAGE,
		    _("--assign: the file is empty (expected the header "
		    "serial,user)")) : rc;
	cs = csv_column(f, nf, "serial");
	cu = csv_column(f, nf, "user");
	if (cs < 0 || cu < 0)
		return rd_err_set(err, RD_USAGE, _("--assign: line %ld is "
		    "not the header serial,user"), line);
	while ((rc = csv_next(c, f, &nf, &line, err)) == RD_OK) {
		if (cs >= nf || cu >= nf) {
			rc = rd_err_set(err, RD_USAGE, _("--assign: line %ld "
			    "has no serial or no user"), line);
			break;
		}
		serial = token_trim(f[cs]);
		user = token_trim(f[cu]);
		if (!token_serial_ok(serial) || *user == '\0' ||
		    strlen(user) > TOKEN_USER_MAX) {
			rc = rd_err_set(err, RD_USAGE, _("--assign: line %ld "
			    "has no serial or no user"), line);
			break;
		}
		for (i = 0; i < a->n; i++)
			if (strcmp(a->serial[i], serial) == 0)
				break;
		if (i < a->n) {
			rc = rd_err_set(err, RD_USAGE, _("--assign: serial %s "
			    "is on line %ld and again on line %ld"), serial,
			    lines[i], line);
			break;
		}
		a->serial = xrealloc(a->serial, (a->n + 1) * sizeof *a->serial);
		a->user = xrealloc(a->user, (a->n + 1) * sizeof *a->user);
		lines = xrealloc(lines, (a->n + 1) * sizeof *lines);
		a->serial[a->n] = xstrdup(serial);
		a->user[a->n] = xstrdup(user);
		lines[a->n++] = line;
	}
	free(lines);
	if (rc == RD_NOT_FOUND)
		return RD_OK;
	token_assign_free(a);
	return rc;
}

const char *
token_assign_user(const struct token_assign *a, const char *serial)
{
	size_t	i;

	for (i = 0; a != NULL && i < a->n; i++)
		if (strcmp(a->serial[i], serial) == 0)
			return a->user[i];
	return NULL;
}

void
token_assign_free(struct token_assign *a)
{
	size_t	i;

	for (i = 0; i < a->n; i++) {
		free(a->serial[i]);
		free(a->user[i]);
	}
	free(a->serial);
	free(a->user);
	memset(a, 0, sizeof *a);
}

char *
token_params_format(const struct token *t)
{
	if (t->type == TOKEN_TOTP)
		return xasprintf("serial=%s\nalgorithm=%s\ndigits=%d\n"
		    "period=%d\n", t->serial, otp_algo_name(t->algo),
		    t->digits, t->period);
	if (t->type == TOKEN_HOTP)
		return xasprintf("serial=%s\nalgorithm=%s\ndigits=%d\n",
		    t->serial, otp_algo_name(t->algo), t->digits);
	return xasprintf("serial=%s\n", t->serial);
}

bool
token_params_get(const char *params, const char *key, char *out,
    size_t outsz)
{
	const char	*p = params, *eol;
	size_t		 klen = strlen(key), vlen;

	for (; p != NULL && *p != '\0'; p = *eol != '\0' ? eol + 1 : eol) {
		eol = strchr(p, '\n');
		if (eol == NULL)
			eol = p + strlen(p);
		if ((size_t)(eol - p) <= klen || strncmp(p, key, klen) != 0 ||
		    p[klen] != '=')
			continue;
		vlen = (size_t)(eol - p) - klen - 1;
		if (vlen >= outsz)
			return false;
		memcpy(out, p + klen + 1, vlen);
		out[vlen] = '\0';
		return true;
	}
	return false;
}

void
token_params_app(const char *params, struct be_app_params *p,
    enum otp_algo *algo)
{
	char	buf[32];
	long	v;

	if (params == NULL)
		return;
	if (token_params_get(params, "algorithm", buf, sizeof buf))
		(void)token_algo_parse(buf, algo);
	/* The ranges the readers allow; a value outside is not the row's. */
	if (token_params_get(params, "digits", buf, sizeof buf) &&
	    str_to_long(buf, TOKEN_DIGITS_MIN, TOKEN_DIGITS_MAX, &v))
		p->digits = (int)v;
	if (p->period > 0 && token_params_get(params, "period", buf,
	    sizeof buf) && str_to_long(buf, TOKEN_PERIOD_MIN, TOKEN_PERIOD_MAX, &v))
		p->period = (int)v;
}

void
token_serial_of(const char *params, int64_t user_id, int64_t method_id,
    int64_t created, char out[TOKEN_SERIAL_MAX + 1])
{
	uint8_t	h[8];
	char	in[64], hex[2 * sizeof h + 1];
	int	n;

	if (params != NULL && token_params_get(params, "serial", out,
	    TOKEN_SERIAL_MAX + 1) && token_serial_ok(out))
		return;
	n = snprintf(in, sizeof in, "%lld:%lld:%lld", (long long)user_id,
	    (long long)method_id, (long long)created);
	crypto_generichash(h, sizeof h, (const uint8_t *)in, (size_t)n, NULL,
	    0);
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	snprintf(out, TOKEN_SERIAL_MAX + 1, "RD%s", hex);
}

static void
token_close(FILE *fp)
{
	if (fp != stdin)
		fclose(fp);
}

enum rd_code
token_read_file(const char *path, char **out, size_t *len,
    struct rd_err *err)
{
	FILE	*fp;
	char	*buf, *grown;
	size_t	 n = 0, cap = 65536, got;

	*out = NULL;
	*len = 0;
	fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (fp == NULL)
		return rd_err_set(err, errno == ENOENT ? RD_NOT_FOUND :
		    RD_USAGE, _("cannot read %s: %s"), path, strerror(errno));
	buf = secret_alloc(cap + 1);
	while ((got = fread(buf + n, 1, cap - n, fp)) > 0) {
		n += got;
		if (n < cap)
			continue;
		if (cap >= TOKEN_FILE_MAX) {
			token_close(fp);
			secret_release(buf);
			return rd_err_set(err, RD_USAGE, _("%s is larger than "
			    "%d MiB"), path, TOKEN_FILE_MAX >> 20);
		}
		grown = secret_alloc(2 * cap + 1);
		memcpy(grown, buf, n);
		secret_release(buf);
		buf = grown;
		cap *= 2;
	}
	if (ferror(fp)) {
		token_close(fp);
		secret_release(buf);
		return rd_err_set(err, RD_USAGE, _("cannot read %s: %s"), path,
		    strerror(errno));
	}
	token_close(fp);
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return RD_OK;
}

void
token_app_params(const struct method_cfg *mc, const char *params,
    struct be_app_params *p, enum otp_algo *algo)
{
	memset(p, 0, sizeof *p);
	kind_backend(mc)->app->params(&mc->own, p);
	*algo = OTP_SHA1;
	if (p->algorithm != NULL && !otp_algo_parse(p->algorithm, algo))
		*algo = OTP_SHA1;
	token_params_app(params, p, algo);
}

bool
token_method_type(const struct method_cfg *mc, enum token_type *out)
{
	const struct kind_ops	*k = kind_of(mc);
	int			 t = k->token != NULL ? k->token(mc) : -1;

	if (t < 0)
		return false;
	*out = (enum token_type)t;
	return true;
}
