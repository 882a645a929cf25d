// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mark-clobber: a mark write with a wide mask (--set-mark V is the xmark
 * V/0xffffffff) overwrites bits that an earlier masked write on the same
 * path set (--or-mark 0x4000) and that a later masked test reads: the
 * test no longer sees them. The fix is a mask that spares those bits.
 */
#include <stdio.h>

#include "iptlint/lint.h"
#include "iptlint/markflow.h"
#include "rules/checks.h"

void check_run_MARK_CLOBBER(struct lint *lint)
{
	const struct markflow *mf = markflow_get(lint);

	if (mf->gave_up)
		return;
	for (uint32_t i = 0; i < mf->nclaims; i++) {
		const struct mf_claim *c = &mf->claims[i];
		const struct mf_writer *wide = NULL;
		const struct ast_match *tg;
		char bits[32], fix[64];
		struct loc at;
		struct diag *d;

		if (c->kind != MF_CLOBBER)
			continue;
		for (uint32_t k = 0; k < mf->nwriters && !wide; k++)
			if (mf->writers[k].rule == c->a)
				wide = &mf->writers[k];
		if (!wide)
			continue;
		tg = ast_rule_target(c->a);
		at = loc_from_span(&c->a->loc, tg->span);
		val_format_mark(bits, sizeof(bits), c->bits);
		snprintf(fix, sizeof(fix), "--set-xmark 0x%x/0x%x",
			 wide->value & ~c->bits, wide->mask & ~c->bits);
		d = diag_report(&lint->diags, CHECK_MARK_CLOBBER, &at,
				"this mark write (mask 0x%x) overwrites bits %s that an earlier masked write set and a later test reads; use a mask that leaves them alone, e.g. %s",
				wide->mask, bits, fix);
		diag_note(d, &c->b->loc, "these bits are set here");
		diag_note(d, &c->c->loc, "and tested here, after they were overwritten");
		diag_note(d, &c->a->loc, "on the path %s", c->path);
	}
}
