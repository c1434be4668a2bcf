/*
 * config-int.h: what config.c (parsing) and config-get.c (reading values
 * and dumping them) share and nobody else needs.
 */
#ifndef RD_CONFIG_INT_H
#define RD_CONFIG_INT_H

#include <sys/types.h>

#include "config.h"

/* Index of key in a section's table, or -1. */
ssize_t		 cfg_section_index(const struct cfg_section *s,
		    const char *key);
/* The value of key i: set, else its default (NULL for an unset env:). */
const char	*cfg_section_value(const struct cfg_section *s, ssize_t i);

#endif
