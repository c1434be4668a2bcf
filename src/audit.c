/*
 * audit.c: one audit row.  The chain MAC is the vault's business; this is
 * the core's single door to it, so no flow forgets a field.
 */
#include "../vault/vault.h"
#include "audit.h"

enum rd_code
audit_add(struct vault *v, int64_t now, const char *actor, const char *user,
    const char *action, const char *outcome, const char *detail,
    struct rd_err *err)
{
	struct vault_audit	a = { 0, now, actor, user, action, outcome,
				    detail };

	return vault_audit_add(v, &a, err);
}
