/*
 * secmem.c: memory for secrets (util.h).  sodium_malloc gives locked,
 * guarded memory, but one call costs several system calls, and a flow
 * step handles dozens of small secrets.  So small ones are carved from
 * 64 KiB sodium_malloc'd chunks in a few size classes and kept on free
 * lists, wiped whenever they are released; only large ones get their own
 * sodium_malloc.  Chunks are never given back: the peak is small.  A
 * mutex guards the lists, as the TUI allocates on two threads.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "util.h"

#define SM_CHUNK	(64 * 1024)
#define SM_MAGIC	0x5ec4e7a1u
#define SM_BIG		0xffffffffu

static const size_t	sm_class[] = { 32, 64, 128, 256, 512, 1024, 2048 };
#define SM_NCLASS	(sizeof sm_class / sizeof sm_class[0])

/* Before every block; 16 bytes keep what follows aligned. */
struct sm_hdr {
	uint32_t	magic;
	uint32_t	cls;		/* index of sm_class, or SM_BIG */
	uint64_t	size;		/* bytes after the header */
};

struct sm_free {
	struct sm_free	*next;
};

static pthread_mutex_t	 sm_lock = PTHREAD_MUTEX_INITIALIZER;
static struct sm_free	*sm_list[SM_NCLASS];
static uint8_t		*sm_chunk;
static size_t		 sm_used = SM_CHUNK;

static void *
sm_carve(size_t need)
{
	void	*p;

	if (sm_used + need > SM_CHUNK) {
		if ((sm_chunk = sodium_malloc(SM_CHUNK)) == NULL)
			oom();
		sm_used = 0;
	}
	p = sm_chunk + sm_used;
	sm_used += need;
	return p;
}

void *
secret_alloc(size_t n)
{
	struct sm_hdr	*h;
	size_t		 c;

	for (c = 0; c < SM_NCLASS && sm_class[c] < n; c++)
		;
	if (c == SM_NCLASS) {
		if ((h = sodium_malloc(sizeof *h + n)) == NULL)
			oom();
		h->magic = SM_MAGIC;
		h->cls = SM_BIG;
		h->size = n;
		sodium_memzero(h + 1, n);
		return h + 1;
	}
	pthread_mutex_lock(&sm_lock);
	if (sm_list[c] != NULL) {
		h = (struct sm_hdr *)(void *)sm_list[c] - 1;
		sm_list[c] = sm_list[c]->next;
	} else
		h = sm_carve(sizeof *h + sm_class[c]);
	pthread_mutex_unlock(&sm_lock);
	h->magic = SM_MAGIC;
	h->cls = (uint32_t)c;
	h->size = sm_class[c];
	sodium_memzero(h + 1, sm_class[c]);
	return h + 1;
}

char *
secret_strdup(const char *s)
{
	size_t	 n = strlen(s);
	char	*p = secret_alloc(n + 1);

	memcpy(p, s, n + 1);
	return p;
}

void
secret_release(void *p)
{
	struct sm_hdr	*h;
	struct sm_free	*f;

	if (p == NULL)
		return;
	h = (struct sm_hdr *)p - 1;
	/* Memory from anywhere else is a bug that must not go on. */
	if (h->magic != SM_MAGIC)
		abort();
	sodium_memzero(p, (size_t)h->size);
	if (h->cls == SM_BIG) {
		h->magic = 0;
		sodium_free(h);
		return;
	}
	h->magic = 0;
	f = p;
	pthread_mutex_lock(&sm_lock);
	f->next = sm_list[h->cls];
	sm_list[h->cls] = f;
	pthread_mutex_unlock(&sm_lock);
}
