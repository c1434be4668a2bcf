/*
 * audit.h: writing the audit log.  Every state change and every failure
 * is one row, inside the transaction of the step it records, so a rolled
 * back step leaves no row and a committed one always has its row.
 */
#ifndef RD_AUDIT_H
#define RD_AUDIT_H

#include <stdint.h>

#include "err.h"

struct vault;

enum rd_code	audit_add(struct vault *v, int64_t now, const char *actor,
		    const char *user, const char *action, const char *outcome,
		    const char *detail, struct rd_err *err) RD_CHECK;

#endif
