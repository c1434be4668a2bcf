/*
 * outcome.h: the words an operator reads for what the audit log keeps.
 * The log stores outcomes and error codes as the command line prints them
 * ("failure", "invalid_code"), which scripts filter on; screens say "wrong
 * code" instead, from one table (outcome.c), so no code name reaches a
 * screen.
 */
#ifndef RD_UI_OUTCOME_H
#define RD_UI_OUTCOME_H

#include <stddef.h>

/* The longest word outcome_word returns, in columns. */
#define OUTCOME_WORD_MAX	14

/*
 * What happened, in a few words: from outcome ("ok", "failure", ...) and,
 * for a failure, the error code its detail (may be NULL) names.
 */
const char	*outcome_word(const char *outcome, const char *detail);

/*
 * A failure's detail for people into buf: a leading error code (which the
 * outcome word already says) is dropped with the brackets around what
 * follows; one after "METHOD via HANDLER: " becomes its words.  Other
 * details are copied as they are; "" for NULL.
 */
void		 outcome_detail(const char *outcome, const char *detail,
		    char *buf, size_t size);

#endif
