// SPDX-License-Identifier: ISC
/* fuzz_logs.h - what the log-format fuzz targets share: run one input
 * through a parser into the diagnose rules, with a read buffer size taken
 * from the input so that line and buffer boundaries fall everywhere. */
#ifndef CM_FUZZ_LOGS_H
#define CM_FUZZ_LOGS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sanitizer/asan_interface.h>

#include "diag/diag_logline.h"
#include "diag/diag_output.h"
#include "diag/diag_rules.h"
#include "fuzz_jsonmem.h"

/* Every byte a record points at must be readable: asked of ASan's shadow
 * memory for the whole span at once (a C loop over the bytes cost more
 * than the parser it checks, each comparison traced for libFuzzer). */
static void
fuzz_touch(const char *p, size_t n)
{
	if (n > 0 && __asan_region_is_poisoned((void *)(uintptr_t)p, n) !=
	    NULL) {
		fprintf(stderr, "record points at %zu bytes it may not read\n",
		    n);
		abort();
	}
}

struct fuzz_ctx {
	struct diag_sink rules;
};

static void
fuzz_rec(void *ctx, const struct diag_file *f, const struct diag_rec *r)
{
	struct fuzz_ctx *c = ctx;

	fuzz_touch(r->msg, r->msglen);
	fuzz_touch(r->comp, r->complen);
	c->rules.rec(c->rules.ctx, f, r);
}

static void
fuzz_iis(void *ctx, const struct diag_file *f, const struct diag_iis_rec *r)
{
	struct fuzz_ctx *c = ctx;
	time_t t;

	fuzz_touch(r->text, r->textlen);
	fuzz_touch(r->stem, r->stemlen);
	fuzz_touch(r->cip, r->ciplen);
	(void)diag_iis_time(r, &t);
	c->rules.iis(c->rules.ctx, f, r);
}

/* Parses data as fmt (DIAG_FMT_UNREADABLE: detect).  When report is set
 * the findings are also rendered, as text and as JSON. */
static int
fuzz_one(const uint8_t *data, size_t size, enum diag_format fmt, int report)
{
	static const size_t bufs[4] = { 32, 100, 4096, 0 };
	static FILE *null;
	struct diag_scan_opts o;
	/* One set of rules for the process, reset each run: allocating its
	 * ~240 KB afresh cost more than all the parsing (fresh pages from
	 * the kernel every run under ASan). */
	static struct diag_rules *r;
	struct diag_file *f;
	struct diag_sink s;
	struct fuzz_ctx c;
	struct cm_err err;

	if (size == 0)
		return 0;
	o.bufsize = bufs[data[0] & 3];
	o.force = fmt;
	data++;
	size--;
	/* The product's buffer (DIAG_BUFSIZE) is only ever filled up to the
	 * input's size, so one byte more behaves the same as 1 MB on any
	 * input libFuzzer makes, at none of the cost of allocating 1 MB each
	 * run. */
	if (o.bufsize == 0 && size < DIAG_BUFSIZE)
		o.bufsize = size + 1;
	if (r == NULL && (r = diag_rules_new(0, 0)) == NULL)
		return 0;
	fuzz_jsonmem_begin();
	if ((f = diag_file_new("fuzz.log")) == NULL)
		return 0;
	diag_rules_reset(r);
	diag_rules_sink(r, &c.rules);
	s.ctx = &c;
	s.rec = fuzz_rec;
	s.iis = fuzz_iis;
	diag_rules_file_begin(r);
	(void)diag_scan_mem(data, size, f, &s, &o);
	diag_rules_finish(r);
	if (report && null == NULL)
		null = fopen("/dev/null", "w");
	if (report && null != NULL) {
		(void)diag_output_text(null, &f, 1, r, &err);
		(void)diag_output_json(null, &f, 1, r, &err);
	}
	diag_file_free(f);
	fuzz_jsonmem_end();
	return 0;
}

#endif
