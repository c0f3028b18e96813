// SPDX-License-Identifier: ISC
/* mock_backend.h - an in-memory machine behind struct backend_ops, with a
 * call log and fault injection: fail the Nth call, or every call from the
 * Nth on.  Used to prove that apply leaves the machine as it was (or says
 * exactly what is left) whichever call fails. */
#ifndef MOCK_BACKEND_H
#define MOCK_BACKEND_H

#include <stddef.h>

#include "backend/backend.h"

#define MOCK_MAX 16

struct mock_value {
	char key[128], name[64];
	int view;
	struct regval v;
};

struct mock_service {
	char name[32];
	char depends_on[32];  /* one dependency at most; "" for none */
	enum svc_state state;
	unsigned long pid;
	int fail_start;       /* starts fail while > 0 (decremented) */
	int hang_stop;        /* stops time out, state stays stop_pending */
	int keep_pid;         /* a start "succeeds" but the process (and so
				 the pid) is the old one */
	enum svc_state start_ends; /* a successful start leaves this state
				 instead of running (0: running) */
};

struct mock_machine {
	char keys[MOCK_MAX][128];
	int key_views[MOCK_MAX];
	size_t nkeys;
	struct mock_value values[MOCK_MAX];
	size_t nvalues;
	struct mock_service services[MOCK_MAX];
	size_t nservices;
	unsigned long next_pid;

	unsigned calls;       /* calls made so far */
	unsigned fail_at;     /* 1-based call number to fail; 0 = never */
	int fail_after;       /* also fail every call after fail_at */
	char log[4096];       /* "op:arg " per call, for order checks */
	char tlog[1024];      /* "op:arg:timeout_ms " per stop and start */
	/* Called at every call before it runs (e.g. to break the file
	 * system under the run); NULL for none. */
	void (*on_call)(struct mock_machine *m, const char *op,
	    const char *arg);
	void *ctx;
};

/* A backend over m (not owned). Free with backend_close. */
struct backend *mock_backend(struct mock_machine *m);

/* Adds a key / value / service to the machine. */
void mock_add_key(struct mock_machine *m, const char *key, int view);
void mock_add_dword(struct mock_machine *m, const char *key, const char *name,
    int view, unsigned long num);
struct mock_service *mock_add_service(struct mock_machine *m,
    const char *name, const char *depends_on, enum svc_state st,
    unsigned long pid);

/* Finds a value; NULL when absent. */
const struct mock_value *mock_find(const struct mock_machine *m,
    const char *key, const char *name, int view);
int mock_key_present(const struct mock_machine *m, const char *key, int view);
const struct mock_service *mock_service(const struct mock_machine *m,
    const char *name);

/* Frees the values' data. */
void mock_clear(struct mock_machine *m);

#endif
