/*
 * backend.h: one interface for every channel, as curl's vtls is one
 * interface for every TLS library.
 *
 * Each handler of DESIGN.md §2 is one struct backend, defined in its own
 * backends/be-*.c and listed in the registry of backend.c.  The core never
 * knows which channel it talks to: it looks at kind and calls the function
 * pointers that kind uses.
 *
 *   kind		core does				backend does
 *   BE_CODE	makes a random code, keeps its hash	send() carries it
 *   BE_VERIFY	keeps the provider's request id		start() and check()
 *   BE_APP	TOTP/HOTP with liboath (src/otp.c)	nothing but its keys
 *   BE_DEVICE	keeps key material and counters		enrol() and validate()
 *
 * Backends never print: what a provider said goes into struct be_reply,
 * and with a transcript buffer the whole exchange is written there with
 * credentials and codes replaced by ***.
 */
#ifndef RD_BACKEND_H
#define RD_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../src/config.h"
#include "../src/err.h"

struct rd_buf;

enum be_kind {
	BE_CODE,
	BE_VERIFY,
	BE_APP,
	BE_DEVICE,
};

/* What the core hands a backend for one operation. */
struct be_call {
	const struct method_cfg	*method;
	const char		*issuer;
	const char		*user;		/* the username, for templates */
	struct rd_buf		*transcript;	/* not NULL: record the exchange */
	volatile int		*cancel;	/* not NULL: set to stop early */
	/*
	 * The outbox handler keeps messages in the vault, which only the core
	 * may reach: it hands this callback in.  The body may hold the code;
	 * the callee seals it.
	 */
	enum rd_code		(*outbox_put)(void *host, const char *method,
				    const char *to, const char *body,
				    struct rd_err *err);
	void			*host;
};

/* A message to carry (BE_CODE) or a verification to start (BE_VERIFY). */
struct be_message {
	const char	*to;		/* address or phone number, unmasked */
	const char	*code;		/* BE_CODE only */
	int		 minutes;	/* how long the code lives */
	bool		 test;		/* test-backend: mark it as a test */
};

/* What the provider said, whatever the outcome. */
struct be_reply {
	long	status;			/* HTTP status or SMTP reply; 0: none */
	char	code[64];		/* the provider's own code, "" when none */
	char	message[256];		/* the provider's own message */
	char	request_id[128];	/* BE_VERIFY: id of the verification */
	char	public_id[17];		/* BE_DEVICE: the key's public id */
	double	seconds;		/* time the exchange took */
};

/* BE_DEVICE state kept by the core, sealed in the vault. */
struct be_device {
	uint8_t		material[64];	/* handler-defined, e.g. AES key + private id */
	size_t		len;
	char		public_id[17];	/* bound at confirm; "" before */
	int64_t		counter;	/* last accepted (usage << 8 | use); -1: none */
};

struct backend {
	const char		*name;		/* the handler name in config */
	enum be_kind		 kind;
	const char		*source_field;	/* default: email, phone, yubikey, NULL */
	const char		*enrol_prompt;	/* BE_DEVICE: what activation asks
						   the operator for; NULL: nothing */
	const struct cfg_key	*keys;		/* the handler's own keys */
	size_t			 nkeys;
	/* Cross-key rules the table cannot say; problems via config_problem. */
	void			(*check)(const struct method_cfg *m,
				    struct config *cfg);
	/* BE_CODE */
	enum rd_code		(*send)(const struct be_call *call,
				    const struct be_message *msg,
				    struct be_reply *reply, struct rd_err *err);
	/* BE_VERIFY: start fills reply->request_id. */
	enum rd_code		(*start)(const struct be_call *call,
				    const struct be_message *msg,
				    struct be_reply *reply, struct rd_err *err);
	/* BE_VERIFY: RD_OK, RD_INVALID_CODE, RD_EXPIRED, RD_LOCKED_OUT, ... */
	enum rd_code		(*check_code)(const struct be_call *call,
				    const char *request_id, const char *code,
				    struct be_reply *reply, struct rd_err *err);
	/* BE_DEVICE: parse what the operator gives at activation. */
	enum rd_code		(*enrol)(const struct be_call *call,
				    const char *input, struct be_device *dev,
				    struct rd_err *err);
	/*
	 * BE_DEVICE: check an OTP.  On RD_OK, reply->public_id names the key
	 * and dev->counter holds the new counter to store.
	 */
	enum rd_code		(*validate)(const struct be_call *call,
				    struct be_device *dev, const char *otp,
				    struct be_reply *reply, struct rd_err *err);
};

/* The registry, NULL-terminated. */
extern const struct backend *const backend_list[];

const struct backend	*backend_find(const char *name);
const char		*backend_kind_name(enum be_kind kind);

/* Append tpl to out with {code}, {user}, {issuer}, {minutes} filled in. */
void			 backend_expand(const char *tpl, const struct be_call *call,
			    const struct be_message *msg, struct rd_buf *out);

#endif
