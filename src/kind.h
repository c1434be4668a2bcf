/*
 * kind.h: one table of operations per kind of method (DESIGN.md §2).
 *
 * The core never asks which kind a method is: it takes the method's
 * table (kind_of) and calls what the table offers.  A kind decides how a
 * method gets its material at activation, what activation tells the
 * person, whether and how a code is sent, which typed codes could be its
 * own, how a code is checked and consumed, and how test-backend exercises
 * its channel.  Adding a kind is one file src/kind-NAME.c and one line of
 * the table in kind.c (and its protocol struct in backends/backend.h).
 */
#ifndef RD_KIND_H
#define RD_KIND_H

#include <stdbool.h>
#include <stdint.h>

#include <cJSON.h>

#include "../backends/backend.h"
#include "../vault/vault.h"
#include "config.h"
#include "ctx.h"
#include "token.h"

#define KIND_CODE_MAX	16	/* bytes of a code we make, with its NUL */

struct kind_ops {
	const char	*name;		/* "kind" in the JSON: code, verify, ... */
	bool		 sends_code;	/* a code goes out through it */
	const char	*prompt;	/* what the person does to prove it */
	const char	*code_label;	/* the field that takes it: Code, OTP */
	bool		 test_otp;	/* test-backend's RECIPIENT is an OTP */

	/* Extra facts for the faces (e.g. what enrolment asks for). */
	void		(*info)(const struct method_cfg *mc, cJSON *obj);
	/*
	 * What the operator may know of an enrolled method beyond its name
	 * and state (user show): facts that are not secret, such as a key's
	 * public id, an HOTP counter or where codes go (masked).  Called
	 * only for a method enrolled under mc's handler.  May be NULL.
	 */
	void		(*facts)(const struct vault_user *u,
			    const struct method_cfg *mc,
			    const struct vault_method *vm, cJSON *obj);
	/*
	 * import tokens: the kind of token (enum token_type) a method of
	 * mc's handler holds, or -1 for none.  NULL: none.
	 */
	int		(*token)(const struct method_cfg *mc);
	/*
	 * activate: refuse a user who cannot have a method of this kind,
	 * before a proof code is spent; NULL: every user can.
	 */
	enum rd_code	(*admit)(const struct vault_user *u,
			    const struct method_cfg *mc,
			    struct rd_err *err) RD_CHECK;
	/* activate: fresh material into vm (may ask for key material). */
	enum rd_code	(*issue)(struct rd_ctx *ctx,
			    const struct vault_user *u,
			    const struct method_cfg *mc,
			    struct vault_method *vm, struct rd_err *err) RD_CHECK;
	/* activate: what the person needs to finish; NULL: nothing. */
	void		(*describe)(struct rd_ctx *ctx,
			    const struct vault_user *u,
			    const struct method_cfg *mc,
			    const struct vault_method *vm, cJSON *out);

	/*
	 * Sending, for kinds that send a code, in three parts around the
	 * network.  prepare runs inside the step (may be NULL): make the
	 * code into code and keep it until expires.  carry runs with no
	 * transaction open.  settle runs in a transaction of its own after
	 * carry: keep what the provider gave back, or drop what prepare
	 * kept when the send failed.
	 */
	enum rd_code	(*prepare)(struct rd_ctx *ctx,
			    const struct vault_method *vm,
			    char code[KIND_CODE_MAX], int64_t expires,
			    struct rd_err *err) RD_CHECK;
	enum rd_code	(*carry)(const struct backend *be,
			    const struct be_call *call,
			    const struct be_message *msg,
			    struct be_reply *reply, struct rd_err *err) RD_CHECK;
	enum rd_code	(*settle)(struct rd_ctx *ctx,
			    struct vault_method *vm, bool sent,
			    const struct be_reply *reply,
			    struct rd_err *err) RD_CHECK;

	/*
	 * Whether code could be one of vm's at all, so that a typo is not
	 * charged to every method.  designated: the code was asked for
	 * through this method.
	 */
	bool		(*candidate)(const struct vault_method *vm,
			    const char *code, bool designated);
	/*
	 * Check code against vm (pending or active) and consume it: a TOTP
	 * step or HOTP counter is stored, a channel code dies, a device
	 * counter moves on.  designated: a wrong code spends one of this
	 * method's attempts.
	 */
	enum rd_code	(*check)(struct rd_ctx *ctx,
			    const struct vault_user *u,
			    const struct method_cfg *mc,
			    struct vault_method *vm, const char *code,
			    bool designated, struct rd_err *err) RD_CHECK;
	/*
	 * test-backend: exercise the channel toward recipient (a code kind
	 * carries code in a marked test message); NULL: nothing to test.
	 */
	enum rd_code	(*test)(struct rd_ctx *ctx,
			    const struct method_cfg *mc,
			    const struct be_call *call, const char *recipient,
			    const char *code, struct be_reply *reply,
			    struct rd_err *err) RD_CHECK;
};

extern const struct kind_ops kind_code, kind_verify, kind_app, kind_device;

/* The table of mc's kind. */
const struct kind_ops	*kind_of(const struct method_cfg *mc);
/* The backend of mc (its handler). */
const struct backend	*kind_backend(const struct method_cfg *mc);
/* A call to mc's backend: its name, own keys and timeout; the rest 0. */
void			 kind_call(const struct method_cfg *mc,
			    struct be_call *call);

/*
 * What the faces need to know about a method of the config, so that they
 * never read the config or the backends: kind, sends_code, prompt,
 * code_label, testable, verbose_name and the kind's own facts.
 */
void			 kind_info(const struct method_cfg *mc, cJSON *obj);

/* For kinds whose test is a real send, marked as a test. */
enum rd_code		 kind_test_carry(struct rd_ctx *ctx,
			    const struct method_cfg *mc,
			    const struct be_call *call, const char *recipient,
			    const char *code, struct be_reply *reply,
			    struct rd_err *err) RD_CHECK;
/* issue for channel kinds: nothing to keep, but a destination needed. */
enum rd_code		 kind_issue_channel(struct rd_ctx *ctx,
			    const struct vault_user *u,
			    const struct method_cfg *mc,
			    struct vault_method *vm, struct rd_err *err) RD_CHECK;
/* facts for channel kinds: the destination, masked ("destination"). */
void			 kind_facts_channel(const struct vault_user *u,
			    const struct method_cfg *mc,
			    const struct vault_method *vm, cJSON *obj);
/* A code of digits only. */
bool			 kind_all_digits(const char *code);

#endif
