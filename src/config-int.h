/*
 * config-int.h: what config.c (reading the file), config-value.c
 * (checking each value) and config-get.c (reading values back and dumping
 * them) share and nobody else needs.
 */
#ifndef RD_CONFIG_INT_H
#define RD_CONFIG_INT_H

#include <stdio.h>
#include <sys/types.h>

#include "config.h"

/* One key = value as read, before checking. */
struct raw_entry {
	char	*section;
	char	*key;
	char	*value;
	int	 line;
};

/* where is copied; path must outlive the section (the config's own). */
void		 cfg_section_init(struct cfg_section *s,
		    const struct cfg_key *keys, size_t nkeys, const char *path,
		    const char *where, int line);
void		 cfg_section_free(struct cfg_section *s);
/*
 * Put one entry into a section: false when the key is not the section's;
 * a bad value is recorded as a problem.
 */
bool		 cfg_section_set(struct cfg_problems *p, struct cfg_section *s,
		    const struct raw_entry *e);
/* Resolve env: defaults and name required keys that are missing. */
void		 cfg_section_finish(struct cfg_problems *p,
		    struct cfg_section *s);
/*
 * Name each key of s with CFG_ISSUER_DEF and maxchars that is not set
 * while issuer, which then stands in, is longer than maxchars.
 */
void		 cfg_section_issuer_fits(struct cfg_problems *p,
		    const struct cfg_section *s, const char *issuer);
/* Index of the key called name in a section's table, or -1. */
ssize_t		 cfg_section_index(const struct cfg_section *s,
		    const char *name);

/* The state of one file's (or text's) reading, config.c's and here. */
struct parse_state {
	const char		*name;
	struct config		*cfg;		/* where problems go */
	int			 line;
	const char		*text;	/* reading from memory */
	size_t			 off;
	FILE			*fp;	/* or from a file */
	struct raw_entry	*entries;
	size_t			 nentries;
	char			**sections;	/* every [header], in order */
	int			*section_lines;
	size_t			 nsections;
};

/* Where problems of a config are said to be. */
const char	*config_name(const struct config *cfg);
/* config-method.c: section (read at line) made a method of cfg. */
void		 build_method(struct config *cfg, struct parse_state *ps,
		    const char *section, int line);
/* config-method.c: the rules of [redoubt] across keys. */
void		 check_main(struct config *cfg);

#endif
