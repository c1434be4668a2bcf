/*
 * config-int.h: what config.c (parsing) and config-get.c (reading values
 * and dumping them) share and nobody else needs.
 */
#ifndef RD_CONFIG_INT_H
#define RD_CONFIG_INT_H

#include <sys/types.h>

#include "config.h"

/* One key = value as read, before checking. */
struct raw_entry {
	char	*section;
	char	*key;
	char	*value;
	int	 line;
};

void		 cfg_section_init(struct cfg_section *s,
		    const struct cfg_key *keys, size_t nkeys);
void		 cfg_section_free(struct cfg_section *s);
/*
 * Put one entry into a section: false when the key is not the section's;
 * a bad value is recorded as a problem of cfg.
 */
bool		 cfg_section_set(struct config *cfg, struct cfg_section *s,
		    const char *where, const struct raw_entry *e);
/* Resolve env: defaults and name required keys that are missing. */
void		 cfg_section_finish(struct config *cfg, struct cfg_section *s,
		    const char *where, int line);
/* Index of key in a section's table, or -1. */
ssize_t		 cfg_section_index(const struct cfg_section *s,
		    const char *key);
/* The value of key i: set, else its default (NULL for an unset env:). */
const char	*cfg_section_value(const struct cfg_section *s, ssize_t i);

#endif
