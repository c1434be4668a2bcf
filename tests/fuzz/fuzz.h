/*
 * fuzz.h: what the libFuzzer harnesses share: the entry points libFuzzer
 * calls (declared here, since the project builds with
 * -Wmissing-prototypes), copying an input into a C string, and stopping
 * on a broken promise of the code under test.
 *
 * A harness stops with abort() when a function answers what its header
 * says it cannot (a code outside its documented set, an output that
 * breaks the stated rule): libFuzzer then keeps the input as a crash.
 */
#ifndef RD_FUZZ_H
#define RD_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "../../src/json.h"
#include "../../src/util.h"

int	LLVMFuzzerInitialize(int *argc, char ***argv);
int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * A NUL-terminated copy of data (free with free()).  An inner NUL ends
 * the string early, as it would for the code under test.
 */
static inline char *
fuzz_text(const uint8_t *data, size_t size)
{
	char	*s = xmalloc(size + 1);

	if (size > 0)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* What every harness needs first: libsodium, and cJSON's wiping hooks. */
static inline void
fuzz_start(void)
{
	if (sodium_init() < 0)
		abort();
	json_init();
}

/* The whole LLVMFuzzerInitialize of a harness that needs nothing else. */
#define FUZZ_INITIALIZE()						\
int									\
LLVMFuzzerInitialize(int *argc, char ***argv)				\
{									\
	(void)argc;							\
	(void)argv;							\
	fuzz_start();							\
	return 0;							\
}

/* Stop on a broken promise; what names it, for the crash report. */
static inline void
fuzz_require(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz: broken promise: %s\n", what);
		abort();
	}
}

#endif
