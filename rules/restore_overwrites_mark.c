// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * restore-overwrites-mark: CONNMARK --restore-mark replaces nfmark bits
 * that a MARK earlier on the same path set and did not save, with a
 * different value (0 on a connection's first packet): that MARK is lost.
 * The walk found the path and a packet set shows it exists (markwit.c).
 */
#include "iptlint/lint.h"
#include "iptlint/markflow.h"
#include "rules/checks.h"

void check_run_RESTORE_OVERWRITES_MARK(struct lint *lint)
{
	const struct markflow *mf = markflow_get(lint);

	if (mf->gave_up)
		return;
	for (uint32_t i = 0; i < mf->nclaims; i++) {
		const struct mf_claim *c = &mf->claims[i];
		const struct ast_match *tg;
		char bits[32], before[64], after[64];
		struct loc at;
		struct diag *d;

		if (c->kind != MF_OVERWRITE)
			continue;
		tg = ast_rule_target(c->a);
		at = loc_from_span(&c->a->loc, tg->span);
		val_format_mark(bits, sizeof(bits), c->bits);
		tnum_format(before, sizeof(before),
			    tnum_and(c->before, c->bits));
		tnum_format(after, sizeof(after), tnum_and(c->after, c->bits));
		d = diag_report(&lint->diags, CHECK_RESTORE_OVERWRITES_MARK, &at,
				"--restore-mark overwrites nfmark bits %s that an earlier MARK set and did not save: for %s they become %s instead of %s",
				bits, mf_class_name(c->cls), after, before);
		diag_note(d, &c->b->loc,
			  "the mark this rule sets is lost on the path %s (save it with CONNMARK --save-mark before the restore, or restore first)",
			  c->path);
	}
}
