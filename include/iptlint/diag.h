/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IPTLINT_DIAG_H
#define IPTLINT_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include "iptlint/check.h"
#include "iptlint/loc.h"

/**
 * struct diag_note - a secondary location ("note: rule 12 sets the mark").
 */
struct diag_note {
	struct loc loc;
	char *msg;
};

/**
 * struct diag - one finding: primary location, message, notes, fix-it.
 * @check: which check (name and severity come from check_table)
 * @fixit: replacement text for @fixit_loc, or NULL
 * @seq:   report order, to keep sorting stable
 * @fingerprint: set by fingerprint_queue() (output/fingerprint.h)
 */
struct diag {
	enum check_id check;
	struct loc loc;
	char *msg;
	struct diag_note *notes;
	uint32_t nnotes;
	char *fixit;
	struct loc fixit_loc;
	uint32_t seq;
	uint64_t fingerprint;
};

/**
 * struct diag_queue - findings are queued, then sorted and rendered once.
 * @enabled: checks that may report (NULL: all); a report of a disabled
 *           check is dropped at the source.
 * @limit_per_check: stop queueing a check after this many (0 = no limit);
 *           the dropped count is kept in @dropped so the CLI can say so.
 */
struct diag_queue {
	struct diag *v;
	uint32_t n;
	uint32_t cap;
	const struct check_set *enabled;
	uint32_t count[CHECK__COUNT];
	bool fingerprinted;	/* every diag's @fingerprint is set */
};

void diag_queue_init(struct diag_queue *q, const struct check_set *enabled);
void diag_queue_free(struct diag_queue *q);

/* Move every diag of @src to the end of @dst (src is left empty). */
void diag_queue_move(struct diag_queue *dst, struct diag_queue *src);

/*
 * Keep the diags for which @keep returns true, in order (counts follow);
 * returns how many were dropped.
 */
uint32_t diag_queue_filter(struct diag_queue *q,
			   bool (*keep)(const struct diag *d, void *arg),
			   void *arg);

bool diag_enabled(const struct diag_queue *q, enum check_id id);

/*
 * Queue a finding. Returns the new diag (for notes), or NULL when the check
 * is disabled; diag_note/diag_fixit accept NULL and do nothing then.
 */
struct diag *diag_report(struct diag_queue *q, enum check_id id,
			 const struct loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
struct diag *diag_vreport(struct diag_queue *q, enum check_id id,
			  const struct loc *loc, const char *fmt, va_list ap);
void diag_note(struct diag *d, const struct loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void diag_fixit(struct diag *d, const struct loc *loc, const char *text);

/* Order by file, line, column, then report order. */
void diag_sort(struct diag_queue *q);
/* Highest severity queued, or -1 when empty. */
int diag_max_severity(const struct diag_queue *q);
/* Number of diags at or above @sev. */
uint32_t diag_count_at_least(const struct diag_queue *q, enum severity sev);

#endif
