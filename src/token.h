/*
 * token.h: hardware and software tokens brought in from elsewhere or
 * taken out (import tokens, export tokens).  A token is what one row of
 * an OATH CSV file, one line of a YubiKey personalization log or one
 * PSKC KeyPackage describes: a serial, a secret and the parameters of its
 * codes.  The readers (tok-oathcsv.c, tok-yubico.c, tok-pskc.c) turn a
 * file into a token_set: the tokens they could read and, for every other
 * row, where it is and why it was refused.  They never touch the vault;
 * the commands do.
 *
 * A token's own facts that the method's keys do not carry (its serial,
 * and for an app token an algorithm, digits or period of its own) are
 * kept with the method as "key=value" lines (vault_method.params, sealed);
 * token_params_* write and read them, and kind-app.c reads them before
 * every code it checks.
 *
 * Ownership: a token_set owns its tokens and refusals (token_set_free
 * wipes the secrets); strings handed in are copied.
 */
#ifndef RD_TOKEN_H
#define RD_TOKEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../backends/backend.h"
#include "config.h"
#include "csv.h"
#include "err.h"
#include "otp.h"

#define TOKEN_SERIAL_MAX	64	/* bytes of a serial */
#define TOKEN_SEED_MIN		10	/* bytes of an OATH secret: 80 bits */
#define TOKEN_SEED_MAX		128
#define TOKEN_AES_LEN		16	/* a YubiKey's AES key */
#define TOKEN_UID_LEN		6	/* a YubiKey's private id */
#define TOKEN_PUBID_MAX		16	/* modhex characters of a public id */
#define TOKEN_USER_MAX		128	/* bytes of a user name */
#define TOKEN_DIGITS_MIN	6	/* as the totp and hotp keys allow */
#define TOKEN_DIGITS_MAX	8
#define TOKEN_PERIOD_MIN	10	/* seconds of a TOTP step */
#define TOKEN_PERIOD_MAX	300

enum token_type {
	TOKEN_TOTP,
	TOKEN_HOTP,
	TOKEN_YUBIKEY,
};

struct token {
	char		 where[48];	/* "line 3", "KeyPackage 2" */
	long		 line;		/* of a CSV row; 0 for PSKC */
	int		 index;		/* of a KeyPackage (1-based); 0 for CSV */
	char		 serial[TOKEN_SERIAL_MAX + 1];
	char		*user;		/* NULL: none given */
	enum token_type	 type;
	enum otp_algo	 algo;		/* TOTP, HOTP */
	int		 digits;	/* TOTP, HOTP */
	int		 period;	/* TOTP: seconds of a step */
	/*
	 * HOTP: the counter of the next code.  TOTP: the last time step
	 * used, -1 when unknown.  YubiKey: the last (usage << 8 | use)
	 * seen, -1 when unknown.
	 */
	int64_t		 counter;
	uint8_t		*secret;	/* seed or AES key; secret_alloc */
	size_t		 secret_len;
	char		 public_id[TOKEN_PUBID_MAX + 1];	/* YubiKey, modhex */
	uint8_t		 private_id[TOKEN_UID_LEN];		/* YubiKey */
};

struct token_refusal {
	char	*where;		/* "line 3", "KeyPackage 2" */
	long	 line;		/* 0 when not a CSV row */
	int	 index;		/* 0 when not a KeyPackage */
	char	*serial;	/* "" when none was read */
	char	*reason;
};

struct token_set {
	struct token		*tok;
	size_t			 n;
	struct token_refusal	*bad;
	size_t			 nbad;
};

void		 token_set_init(struct token_set *s);
void		 token_set_free(struct token_set *s);
/* A new zeroed token at the end of s (algo SHA1, 6 digits, counter -1). */
struct token	*token_set_add(struct token_set *s, long line, int index);
/* Drop the last token added (its row was refused after all). */
void		 token_set_drop_last(struct token_set *s);
/* Record a refused row; fmt is the reason, already translated. */
void		 token_set_refuse(struct token_set *s, long line, int index,
		    const char *serial, const char *fmt, ...)
		    __attribute__((format(printf, 5, 6)));
/*
 * Refuse every token whose serial came earlier in the file, read or
 * refused (only the first row of a serial is read), naming where.
 */
void		 token_set_dedupe(struct token_set *s);

/* "totp", "hotp", "yubikey". */
const char	*token_type_name(enum token_type t);
/* A serial as read: trimmed, 1..TOKEN_SERIAL_MAX printable bytes. */
bool		 token_serial_ok(const char *serial);
/*
 * Decode hex (either case, even length, no blanks) of min..max bytes into
 * a new secret_alloc buffer; false with *why (translated) otherwise.
 */
bool		 token_hex(const char *hex, size_t min, size_t max,
		    uint8_t **out, size_t *len, const char **why);
/* An algorithm name: sha1, SHA-256, HMAC-SHA512, ... */
bool		 token_algo_parse(const char *name, enum otp_algo *out);
/* Fields trimmed of blanks in place. */
char		*token_trim(char *s);

/*
 * The whole file at path ("-": stdin; at most TOKEN_FILE_MAX bytes) into *out
 * (secret_alloc, NUL-terminated, *len bytes): a PSKC file holds secrets.
 */
#define TOKEN_FILE_MAX	(64 << 20)
enum rd_code	 token_read_file(const char *path, char **out, size_t *len,
		    struct rd_err *err) RD_CHECK;

/*
 * The readers.  Each reads the whole input; a row it cannot use becomes
 * a refusal and the reading goes on.  An error is returned only when the
 * input as a whole cannot be read (then s holds what was read so far).
 */
/*
 * A CSV format (tok-csv.c): comment() says whether a record whose first
 * field is first is a comment (*skip), or stops the file with an error;
 * row() fills t from a record, or says why not into why.
 */
struct token_csv {
	enum rd_code	(*comment)(const char *first, long line, bool *skip,
			    struct rd_err *err) RD_CHECK;
	bool		(*row)(char **f, int nf, struct token *t, char *why,
			    size_t whysz);
};
enum rd_code	 token_csv_read(struct csv *c, struct token_set *s,
		    const struct token_csv *fmt, struct rd_err *err) RD_CHECK;
enum rd_code	 tok_oathcsv_read(struct csv *c, struct token_set *s,
		    struct rd_err *err) RD_CHECK;
enum rd_code	 tok_yubico_read(struct csv *c, struct token_set *s,
		    struct rd_err *err) RD_CHECK;
enum rd_code	 tok_pskc_read(const char *xml, size_t len,
		    struct token_set *s, struct rd_err *err) RD_CHECK;
/*
 * An RFC 6030 container of the tokens, plain values, as XML in *out
 * (secret_alloc; *len bytes, NUL-terminated).  issuer (may be NULL) goes
 * into every Key.
 */
enum rd_code	 tok_pskc_write(const struct token *tok, size_t n,
		    const char *issuer, char **out, size_t *len,
		    struct rd_err *err) RD_CHECK;

/*
 * --assign: a CSV file with the header serial,user (more columns are
 * ignored).  The map is a list of pairs; a serial given twice is an
 * error naming both lines.
 */
struct token_assign {
	char	**serial;
	char	**user;
	size_t	  n;
};
enum rd_code	 token_assign_read(struct csv *c, struct token_assign *a,
		    struct rd_err *err) RD_CHECK;
/* The user of serial, or NULL. */
const char	*token_assign_user(const struct token_assign *a,
		    const char *serial);
void		 token_assign_free(struct token_assign *a);

/*
 * The method's params lines of t: serial always; for an app token the
 * algorithm, digits and period (TOTP) too, so that a later change of the
 * method's keys does not change the token's codes.  Free with free().
 */
char		*token_params_format(const struct token *t);
/* The value of key in params (NULL: none) into out; false when absent. */
bool		 token_params_get(const char *params, const char *key,
		    char *out, size_t outsz);
/*
 * An app method's parameters with the token's own (params, may be NULL)
 * over the method's keys: algorithm, digits and period.
 */
void		 token_params_app(const char *params, struct be_app_params *p,
		    enum otp_algo *algo);
/*
 * The parameters of an app method's codes: mc's keys, then the token's
 * own (params, may be NULL) over them.
 */
void		 token_app_params(const struct method_cfg *mc,
		    const char *params, struct be_app_params *p,
		    enum otp_algo *algo);
/*
 * The kind of token mc takes: its app's (TOTP when it has a period, else
 * HOTP) or a YubiKey for the offline yubikey handler; false for any other
 * handler.
 */
bool		 token_method_type(const struct method_cfg *mc,
		    enum token_type *out);
/*
 * The serial of a method: the one it was imported with, else one made
 * from the row ("RD" and 16 hex digits of a BLAKE2b hash of the user's
 * and the method's row ids and the method's creation time), stable for
 * as long as the method is enrolled.
 */
void		 token_serial_of(const char *params, int64_t user_id,
		    int64_t method_id, int64_t created,
		    char out[TOKEN_SERIAL_MAX + 1]);

#endif
