/*
 * lockout.h: the rule for failed attempts (DESIGN.md §3).  Failures count
 * per user; at the threshold the user is locked for lockout_seconds, and
 * each further lock doubles the time.  A success clears the failures and
 * the doubling.  The state itself is kept by the vault (struct
 * vault_lock); this is only the arithmetic, so it is tested on its own.
 */
#ifndef RD_LOCKOUT_H
#define RD_LOCKOUT_H

#include <stdbool.h>
#include <stdint.h>

#include "../vault/vault.h"

#define LOCKOUT_MAX_SHIFT	16	/* the doubling stops at 2^16 times */

bool	lockout_locked(const struct vault_lock *lk, int64_t now);
/* One failure at now; true when it started a lock. */
bool	lockout_fail(struct vault_lock *lk, int64_t now, long threshold,
	    long seconds);
void	lockout_success(struct vault_lock *lk);

#endif
