/*
 * flow.h: the rules the flow commands share (DESIGN.md §3): looking up a
 * user and a method, checking a code of any kind, counting failures and
 * locks, sending a code through a channel, writing the audit log.  Every
 * rule lives here once; cmd-*.c files put them together.
 */
#ifndef RD_FLOW_H
#define RD_FLOW_H

#include <stdbool.h>
#include <stdint.h>

#include "../backends/backend.h"
#include "../vault/vault.h"
#include "cmd.h"

#define FLOW_CODE_MAX	128	/* bytes of a code typed by a person */

/*
 * Start a flow step on a user: a transaction and the user; with `live`,
 * also the checks that the user is active and not locked.  On any refusal
 * the transaction is ended already and u holds nothing to free.
 */
enum rd_code	flow_begin_user(struct rd_ctx *ctx, const char *name,
		    bool live, struct vault_user *u, struct rd_err *err);
/* A user by name; RD_NOT_FOUND. */
enum rd_code	flow_user(struct rd_ctx *ctx, const char *name,
		    struct vault_user *u, struct rd_err *err);
/* A method of the config; RD_NOT_FOUND names the methods there are. */
enum rd_code	flow_method_cfg(struct rd_ctx *ctx, const char *name,
		    const struct method_cfg **out, struct rd_err *err);
/* RD_LOCKED_OUT when the user is locked now. */
enum rd_code	flow_check_lock(struct rd_ctx *ctx,
		    const struct vault_user *u, struct rd_err *err);
/* Count one failure (and maybe start a lock); audit it. */
enum rd_code	flow_fail(struct rd_ctx *ctx, const struct vault_user *u,
		    const char *action, const char *why, struct rd_err *err);
/* Clear failures after a success. */
enum rd_code	flow_success(struct rd_ctx *ctx, const struct vault_user *u,
		    struct rd_err *err);

/*
 * Check code against one method of the user (pending or active) and
 * consume it: a TOTP step or HOTP counter is stored, a channel code dies,
 * a device counter moves on.  designated: failures of channel codes count
 * against this method's attempts.  On a device confirm, bind stores the
 * key's public id.
 */
enum rd_code	flow_check_method(struct rd_ctx *ctx,
		    const struct vault_user *u, struct vault_method *vm,
		    const char *code, bool designated, struct rd_err *err);
/*
 * Check code against the user's backup codes (when allowed) and then
 * active methods: only `only` when it is not NULL, else every active one.
 * *used names what matched ("backup_codes" or a method name); buffer of
 * VAULT_METHOD_MAX + 1 bytes.  A miss counts one failure.
 */
enum rd_code	flow_check_any(struct rd_ctx *ctx, const struct vault_user *u,
		    const char *only, bool backup_ok, const char *code,
		    const char *action, char *used, struct rd_err *err);

/*
 * Send a fresh code (code kind) or start a verification (verify kind)
 * through vm, to the user's destination; records last_sent.  Network work
 * happens outside any transaction.  *sent_to is the masked destination
 * (free()), *expires_in seconds.
 */
enum rd_code	flow_send(struct rd_ctx *ctx, const struct vault_user *u,
		    struct vault_method *vm, const struct method_cfg *mc,
		    char **sent_to, long *expires_in, struct rd_err *err);
/* The user's destination for a method (NULL when the user has none). */
const char	*flow_destination(const struct vault_user *u,
		    const struct method_cfg *mc);

/* Fill a be_call for mc. */
void		flow_call(struct rd_ctx *ctx, const struct method_cfg *mc,
		    const char *user, struct be_call *call);

/* Append an audit row (inside the caller's transaction). */
enum rd_code	flow_audit(struct rd_ctx *ctx, const char *user,
		    const char *action, const char *outcome,
		    const char *detail, struct rd_err *err);

/* A code argument: "-" asks for it; normalised into buf. */
enum rd_code	flow_code_arg(struct rd_ctx *ctx, const char *arg, char *buf,
		    size_t size, struct rd_err *err);

/* Fresh backup codes for u, stored, and added to out as "backup_codes". */
enum rd_code	flow_new_backup_codes(struct rd_ctx *ctx,
		    const struct vault_user *u, cJSON *out, struct rd_err *err);

/*
 * End a flow step's transaction: commit on success and on a refusal (so a
 * counted failure stays counted), roll back on any other error.
 * Returns rc, or the commit's error.
 */
enum rd_code	flow_end(struct rd_ctx *ctx, enum rd_code rc,
		    struct rd_err *err);

/* Device state packed into a method's sealed secret, and back. */
void		flow_device_load(const struct vault_method *vm,
		    struct be_device *dev);
void		flow_device_store(const struct be_device *dev,
		    struct vault_method *vm);

/* A JSON string that cmd_result_free() will wipe. */
void		json_str(cJSON *obj, const char *key, const char *value);

#endif
