/*
 * backend.h: one interface for every channel, as curl's vtls is one
 * interface for every TLS library.
 *
 * Each handler of DESIGN.md §2 is one struct backend, defined in its own
 * backends/be-*.c and listed in the registry of backend.c.  A backend is
 * its config face (struct cfg_handler: name, own keys, check) and the
 * protocol of its kind, one small struct of function pointers each:
 *
 *   kind		core does				backend does
 *   BE_CODE	makes a random code, keeps its hash	code->send carries it
 *   BE_VERIFY	keeps the provider's request id		verify->start, ->check
 *   BE_APP	TOTP/HOTP with liboath (src/otp.c)	app->params: its keys
 *   BE_DEVICE	keeps key material and counters		device->enrol, ->validate
 *
 * The core reaches these through its own table of kinds (src/kind.h) and
 * never looks at kind itself.  Backends never print: what a provider said
 * goes into struct be_reply, and with a transcript buffer the whole
 * exchange is written there with credentials and codes replaced by ***.
 */
#ifndef RD_BACKEND_H
#define RD_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../src/cfg.h"
#include "../src/err.h"

struct rd_buf;

enum be_kind {
	BE_CODE,
	BE_VERIFY,
	BE_APP,
	BE_DEVICE,
	BE_KIND_COUNT
};

/* What the core hands a backend for one operation. */
struct be_call {
	const char			*method;	/* the method's name */
	const struct cfg_section	*own;		/* the handler's own keys */
	long				 timeout;	/* seconds a provider may take */
	const char			*issuer;
	const char			*user;		/* the username, for templates */
	struct rd_buf			*transcript;	/* not NULL: record the exchange */
	volatile int			*cancel;	/* not NULL: set to stop early */
	/*
	 * The outbox handler keeps messages in the vault, which only the core
	 * may reach: it hands this callback in.  The body may hold the code;
	 * the callee seals it.
	 */
	enum rd_code			(*outbox_put)(void *host,
					    const char *method, const char *to,
					    const char *body,
					    struct rd_err *err) RD_CHECK;
	void				*host;
};

/* A message to carry (BE_CODE) or a verification to start (BE_VERIFY). */
struct be_message {
	const char	*to;		/* address or phone number, unmasked */
	const char	*code;		/* BE_CODE only */
	int		 minutes;	/* how long the code lives, rounded up */
	long		 seconds;	/* the same exactly; 0: minutes only */
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
	/*
	 * Why no secure channel was made ("TLS handshake failed: ..."), ""
	 * otherwise; status is then 0, as no provider answered.
	 */
	char	tls[256];
};

/* BE_DEVICE state kept by the core, sealed in the vault. */
struct be_device {
	uint8_t		material[64];	/* handler-defined, e.g. AES key + private id */
	size_t		len;
	char		public_id[17];	/* bound at confirm; "" before */
	int64_t		counter;	/* last accepted (usage << 8 | use); -1: none */
};

/* BE_CODE: carry a code the core made. */
struct be_code_ops {
	enum rd_code	(*send)(const struct be_call *call,
			    const struct be_message *msg,
			    struct be_reply *reply, struct rd_err *err) RD_CHECK;
};

/* BE_VERIFY: the provider makes and checks the code. */
struct be_verify_ops {
	/* Fills reply->request_id. */
	enum rd_code	(*start)(const struct be_call *call,
			    const struct be_message *msg,
			    struct be_reply *reply, struct rd_err *err) RD_CHECK;
	/* RD_OK, RD_INVALID_CODE, RD_EXPIRED, RD_LOCKED_OUT, ... */
	enum rd_code	(*check)(const struct be_call *call,
			    const char *request_id, const char *code,
			    struct be_reply *reply, struct rd_err *err) RD_CHECK;
};

/* BE_APP: the parameters of the codes, from the handler's keys. */
struct be_app_params {
	const char	*algorithm;	/* sha1, sha256, sha512 */
	int		 digits;
	int		 period;	/* seconds of a step; 0: counter based */
	int		 window;	/* steps either side, or look-ahead */
};
struct be_app_ops {
	void		(*params)(const struct cfg_section *own,
			    struct be_app_params *out);
};

/* BE_DEVICE: a key that makes its own one-time passwords. */
struct be_device_ops {
	/* What activation asks the operator for; NULL: nothing. */
	const char	*enrol_prompt;
	/*
	 * The material is a Yubico OTP AES key (16 bytes) and private id
	 * (6), so YubiKeys can be imported into it (import tokens).
	 */
	bool		 yubico_aes;
	/* Parse what the operator gives at activation. */
	enum rd_code	(*enrol)(const struct be_call *call, const char *input,
			    struct be_device *dev, struct rd_err *err) RD_CHECK;
	/*
	 * Check an OTP.  On RD_OK, reply->public_id names the key and
	 * dev->counter holds the new counter to store.
	 */
	enum rd_code	(*validate)(const struct be_call *call,
			    struct be_device *dev, const char *otp,
			    struct be_reply *reply, struct rd_err *err) RD_CHECK;
};

struct backend {
	/* First member: the registry hands the config a pointer to it. */
	struct cfg_handler		 cfg;
	enum be_kind			 kind;
	/* The protocol of its kind: exactly the one of kind is set. */
	const struct be_code_ops	*code;
	const struct be_verify_ops	*verify;
	const struct be_app_ops		*app;
	const struct be_device_ops	*device;
};

/* The i-th backend of the registry, or NULL past the last. */
const struct backend	*backend_at(size_t i);
const struct backend	*backend_find(const char *name);
/* The backend whose config face h is (h from cfg_handler_find). */
const struct backend	*backend_of(const struct cfg_handler *h);

/*
 * Append tpl to out with {code}, {user}, {issuer}, {validity} and
 * {minutes} filled in.
 */
void			 backend_expand(const char *tpl,
			    const struct be_call *call,
			    const struct be_message *msg, struct rd_buf *out);
/*
 * The text of a message key (subject, body): the operator's value as
 * written, else the built-in default (marked N_() in the key table) in
 * the operator's language.
 */
const char		*backend_text(const struct cfg_section *own, int key);

#endif
