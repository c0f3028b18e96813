// SPDX-License-Identifier: ISC
/* fuzz_jsonmem.h - jansson's allocations carved from one arena a run, for
 * the targets that read or write JSON every run (detect, report,
 * journal).
 *
 * Why: a detect run makes ~100 allocations, three in four of them
 * jansson's (each object, key, string and number of the JSON report), and
 * under ASan every malloc records a stack trace and every free goes
 * through the quarantine: a fifth of the run went there.  jansson lets
 * its allocator be set (json_set_alloc_funcs), so its blocks come from an
 * arena instead, and what ASan's allocator checked is still checked:
 *   - the 16 bytes before each block (its header) and between blocks are
 *     poisoned: reading or writing past a block is reported;
 *   - a freed block is poisoned and not handed out again within the run:
 *     using it is reported (as use-after-poison);
 *   - freeing a block twice, or a pointer jansson did not hand out
 *     (product code that frees jansson's text with free() would do that
 *     here), aborts;
 *   - a block still held when the run ends (a json_t leaked) aborts;
 *   - a new block is filled with 0xbe, as ASan's malloc fills one, so that
 *     code relying on fresh memory being zero misbehaves visibly.
 * A run that outgrows the arena gets ASan's own malloc for the rest.
 * FUZZ_JSON_ASAN=1 in the environment leaves jansson on ASan's allocator:
 * to see a leak's allocation stack (LeakSanitizer), run the input so. */
#ifndef CM_FUZZ_JSONMEM_H
#define CM_FUZZ_JSONMEM_H

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sanitizer/asan_interface.h>

#define JM_ARENA   ((size_t)8 << 20)
#define JM_RED     16           /* poisoned gap before each header */
#define JM_MAGIC   0x6a736f6eu  /* "json" */
#define JM_FILL    4096         /* ASan's max_malloc_fill_size */

/* The allocator is the harness, not code under test: left out of
 * libFuzzer's coverage and comparison tracing, which would otherwise
 * count its branches as features and cost a tenth of the run. */
#define JM_UNTRACED __attribute__((no_sanitize("coverage")))

struct jm_hdr {
	size_t size;
	uint32_t magic;
	uint32_t freed;
};

static unsigned char *jm_arena;
static size_t jm_used;          /* arena bytes handed out this run */
static size_t jm_live;          /* blocks handed out and not freed */

static void
jm_die(const char *what)
{
	fprintf(stderr, "fuzz: jansson %s\n", what);
	abort();
}

static int JM_UNTRACED
jm_in_arena(const void *p)
{
	return (const unsigned char *)p >= jm_arena &&
	    (const unsigned char *)p < jm_arena + JM_ARENA;
}

static void * JM_UNTRACED
jm_malloc(size_t n)
{
	struct jm_hdr *h;
	unsigned char *p;
	size_t need;

	if (n > JM_ARENA) {
		p = malloc(n);
		goto out;
	}
	need = JM_RED + sizeof(*h) + ((n + 15) & ~(size_t)15);
	if (JM_ARENA - jm_used < need) {
		p = malloc(n);
		goto out;
	}
	h = (struct jm_hdr *)(void *)(jm_arena + jm_used + JM_RED);
	ASAN_UNPOISON_MEMORY_REGION(h, sizeof(*h));
	h->size = n;
	h->magic = JM_MAGIC;
	h->freed = 0;
	ASAN_POISON_MEMORY_REGION(h, sizeof(*h));
	p = (unsigned char *)(h + 1);
	ASAN_UNPOISON_MEMORY_REGION(p, n);
	memset(p, 0xbe, n < JM_FILL ? n : JM_FILL);
	jm_used += need;
out:
	if (p != NULL)
		jm_live++;
	return p;
}

static void JM_UNTRACED
jm_free(void *p)
{
	struct jm_hdr *h;

	if (p == NULL)
		return;
	if (jm_live == 0)
		jm_die("freed more blocks than it allocated");
	jm_live--;
	if (!jm_in_arena(p)) {
		free(p);
		return;
	}
	if (((uintptr_t)p & 15) != 0)
		jm_die("freed a pointer inside a block");
	h = (struct jm_hdr *)p - 1;
	ASAN_UNPOISON_MEMORY_REGION(h, sizeof(*h));
	if (h->magic != JM_MAGIC)
		jm_die("freed a pointer it never handed out");
	if (h->freed)
		jm_die("freed a block twice");
	h->freed = 1;
	ASAN_POISON_MEMORY_REGION(p, h->size);
	ASAN_POISON_MEMORY_REGION(h, sizeof(*h));
}

/* Starts a run: installs the arena the first time. */
static void JM_UNTRACED
fuzz_jsonmem_begin(void)
{
	static int tried;

	if (tried)
		return;
	tried = 1;
	if (getenv("FUZZ_JSON_ASAN") != NULL &&
	    strcmp(getenv("FUZZ_JSON_ASAN"), "1") == 0)
		return;
	if ((jm_arena = malloc(JM_ARENA)) == NULL)
		return;
	ASAN_POISON_MEMORY_REGION(jm_arena, JM_ARENA);
	json_set_alloc_funcs(jm_malloc, jm_free);
}

/* Ends a run: every block jansson handed out must have been freed, and
 * the arena starts over (all of it poisoned again: every block in it was
 * freed, and the gaps never were unpoisoned). */
static void JM_UNTRACED
fuzz_jsonmem_end(void)
{
	if (jm_arena == NULL)
		return;
	if (jm_live != 0) {
		fprintf(stderr, "fuzz: %zu block(s) jansson allocated this run "
		    "were never freed: a json_t or jansson's text leaked "
		    "(FUZZ_JSON_ASAN=1 shows where)\n", jm_live);
		abort();
	}
	jm_used = 0;
}

#endif
