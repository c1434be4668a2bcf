/*
 * flow.h: the rules the flow commands share (DESIGN.md §3): looking up a
 * user and a method, counting failures and locks, checking a code of any
 * method, sending a code, writing the audit log.  Every rule lives here
 * once; cmd-*.c files put them together, and what differs by kind of
 * method is in the kind tables (kind.h).
 *
 * Everything here runs inside the step's transaction, which the command
 * runner owns (tx.h), except flow_send_finish(), which runs after it.
 */
#ifndef RD_FLOW_H
#define RD_FLOW_H

#include <stdbool.h>
#include <stdint.h>

#include <cJSON.h>

#include "../backends/backend.h"
#include "../vault/vault.h"
#include "config.h"
#include "ctx.h"

#define FLOW_CODE_MAX	128	/* bytes of a code typed by a person */

/* A user by name; RD_NOT_FOUND. */
enum rd_code	flow_user(struct rd_ctx *ctx, const char *name,
		    struct vault_user *u, struct rd_err *err) RD_CHECK;
/*
 * A user who may act now: found, active and not locked.  On a refusal u
 * holds nothing to free.
 */
enum rd_code	flow_live_user(struct rd_ctx *ctx, const char *name,
		    struct vault_user *u, struct rd_err *err) RD_CHECK;
/* A login token that is known, unexpired and unused, and its user. */
enum rd_code	flow_token_user(struct rd_ctx *ctx, const char *token,
		    struct vault_user *u, struct rd_err *err) RD_CHECK;
/* A method of the config; RD_NOT_FOUND names the methods there are. */
enum rd_code	flow_method_cfg(struct rd_ctx *ctx, const char *name,
		    const struct method_cfg **out, struct rd_err *err) RD_CHECK;
/* RD_LOCKED_OUT when the user is locked now (audited). */
enum rd_code	flow_check_lock(struct rd_ctx *ctx,
		    const struct vault_user *u, struct rd_err *err) RD_CHECK;
/*
 * Count one failure (and maybe start a lock) and audit it.  err holds the
 * refusal and is kept on RD_OK; if the failure cannot be recorded, the
 * vault's error replaces it, so an uncounted attempt never passes for a
 * counted one.
 */
enum rd_code	flow_fail(struct rd_ctx *ctx, const struct vault_user *u,
		    const char *action, const char *why,
		    struct rd_err *err) RD_CHECK;
/*
 * The same for a name that is no user, counted under its keyed hash
 * (vault_ghost_*), with the same answers and audit rows as a user's.
 */
enum rd_code	flow_check_name_lock(struct rd_ctx *ctx, const char *name,
		    struct rd_err *err) RD_CHECK;
enum rd_code	flow_fail_name(struct rd_ctx *ctx, const char *name,
		    const char *action, const char *why,
		    struct rd_err *err) RD_CHECK;
/* Clear failures after a success. */
enum rd_code	flow_success(struct rd_ctx *ctx, const struct vault_user *u,
		    struct rd_err *err) RD_CHECK;
/* Append an audit row. */
enum rd_code	flow_audit(struct rd_ctx *ctx, const char *user,
		    const char *action, const char *outcome,
		    const char *detail, struct rd_err *err) RD_CHECK;

/*
 * A code argument: "-" asks for it; normalised into *code, a new
 * secret_alloc'd string (secret_release it; NULL on failure).
 */
enum rd_code	flow_code_arg(struct rd_ctx *ctx, const char *arg,
		    char **code, struct rd_err *err) RD_CHECK;
/* Fresh backup codes for u, stored, and added to out as "backup_codes". */
enum rd_code	flow_new_backup_codes(struct rd_ctx *ctx,
		    const struct vault_user *u, cJSON *out,
		    struct rd_err *err) RD_CHECK;

/* The user's destination for a method (NULL when the user has none). */
const char	*flow_destination(const struct vault_user *u,
		    const struct method_cfg *mc);
/* RD_BAD_STATE saying which field of u to set for mc. */
enum rd_code	flow_no_destination(const struct vault_user *u,
		    const struct method_cfg *mc, struct rd_err *err) RD_CHECK;
/* A call to mc's backend on behalf of user. */
void		flow_call(struct rd_ctx *ctx, const struct method_cfg *mc,
		    const char *user, struct be_call *call);

/*
 * A pending enrolment as activate answers it and enrolment shows it
 * again: user, method, state and what the kind says the person needs.
 */
void		flow_pending_json(struct rd_ctx *ctx,
		    const struct vault_user *u, const struct method_cfg *mc,
		    const struct vault_method *vm, cJSON *out);

/*
 * A user's method for a result: name, handler, state, primary (exactly
 * the keys of DESIGN.md §6); with facts, also in_config and what
 * kind_info() says when the method is still in the config.
 */
cJSON		*flow_method_json(struct rd_ctx *ctx,
		    const struct vault_method *vm, bool facts);

/*
 * A user's method as `user show` gives it: flow_method_json with facts,
 * and `enrolled` (Unix time), `last_used` (Unix time, 0: never) and what
 * its kind tells the operator (kind_ops.facts): never a secret.
 */
cJSON		*flow_method_detail(struct rd_ctx *ctx,
		    const struct vault_user *u, const struct vault_method *vm);

/*
 * Start enrolling u in mc (flow-enrol.c): the method pending with fresh
 * material from its kind, audited, and what the person needs into out
 * (flow_pending_json).  For a kind that sends a code, *send is the send
 * reserved for after the commit (flow_send_finish); else NULL.  Admitting
 * the user and require_code_to_add are the caller's.
 */
struct flow_send;
enum rd_code	flow_enrol(struct rd_ctx *ctx, const struct vault_user *u,
		    const struct method_cfg *mc, cJSON *out,
		    struct flow_send **send, struct rd_err *err) RD_CHECK;

/* An outbox message for a result. */
void		flow_message_json(cJSON *obj, const struct vault_message *m);

/* Device state packed into a method's sealed secret, and back. */
void		flow_device_load(const struct vault_method *vm,
		    struct be_device *dev);
void		flow_device_store(const struct be_device *dev,
		    struct vault_method *vm);

/*
 * Checking a code a person typed (flow-check.c).  flow_check_method
 * checks one method of the user through its kind; flow_check_any is the
 * rule of which codes may prove a step:
 */
struct flow_proof {
	const char	*only;		/* this method only; NULL: any active */
	bool		 backup;	/* backup codes may serve */
	bool		 login;		/* the second step of a login */
	const char	*action;	/* for the audit log */
};
enum rd_code	flow_check_method(struct rd_ctx *ctx,
		    const struct vault_user *u, struct vault_method *vm,
		    const char *code, bool designated,
		    struct rd_err *err) RD_CHECK;
/*
 * Check code against the backup codes (when p allows) and then the
 * active methods, primary first.  *used names what matched
 * ("backup_codes" or a method name; VAULT_METHOD_MAX + 1 bytes).  A miss
 * counts one failure.
 */
enum rd_code	flow_check_any(struct rd_ctx *ctx, const struct vault_user *u,
		    const struct flow_proof *p, const char *code, char *used,
		    struct rd_err *err) RD_CHECK;

/*
 * Sending a code (flow-send.c), split around the network so that a slow
 * provider never holds the vault's write lock.  flow_send_begin runs in
 * the step: it checks the destination and the cooldown, reserves the
 * cooldown and lets the kind keep the code.  flow_send_finish runs after
 * the step committed (from ctx->after): it carries the code and records
 * the outcome in a transaction of its own.  *sent_to is the masked
 * destination (free()), *expires_in seconds.
 */
struct flow_send;
enum rd_code	flow_send_begin(struct rd_ctx *ctx,
		    const struct vault_user *u, const struct vault_method *vm,
		    const struct method_cfg *mc, struct flow_send **out,
		    struct rd_err *err) RD_CHECK;
enum rd_code	flow_send_finish(struct rd_ctx *ctx, struct flow_send *s,
		    char **sent_to, long *expires_in,
		    struct rd_err *err) RD_CHECK;
/*
 * As ctx->after's fn: flow_send_finish, and "sent_to" and "expires_in"
 * into out.
 */
enum rd_code	flow_send_after(struct rd_ctx *ctx, void *s, cJSON *out,
		    struct rd_err *err) RD_CHECK;
/* Wipe and free; NULL is fine.  Takes void * to serve as ctx_after's. */
void		flow_send_free(void *s);

#endif
