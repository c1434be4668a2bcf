/*
 * lockout.c: failed-attempt arithmetic.  See lockout.h.
 */
#include <string.h>

#include "lockout.h"

bool
lockout_locked(const struct vault_lock *lk, int64_t now)
{
	return lk->locked_until > now;
}

bool
lockout_fail(struct vault_lock *lk, int64_t now, long threshold, long seconds)
{
	int	shift;

	lk->failures++;
	if (lk->failures < threshold)
		return false;
	shift = lk->lock_count < LOCKOUT_MAX_SHIFT ? lk->lock_count :
	    LOCKOUT_MAX_SHIFT;
	lk->locked_until = now + ((int64_t)seconds << shift);
	lk->lock_count++;
	lk->failures = 0;
	return true;
}

void
lockout_success(struct vault_lock *lk)
{
	memset(lk, 0, sizeof *lk);
}
