// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * missing-save-mark: a -m mark test reads bits that a --restore-mark put
 * in the packet mark, those bits are written with MARK, and no
 * --save-mark ever stores that MARK's bits in the connection: the test can only be true on packets that
 * passed the MARK themselves, never on the later packets the restore was
 * meant to serve (the walk saw the test false on every restored mark). Reported at the MARK; marks used only for routing and
 * never tested after a restore are not findings.
 */
#include "iptlint/lint.h"
#include "iptlint/markflow.h"
#include "rules/checks.h"

/* A save-mark of the file covering @bits, that never ran after @w. */
static const struct ast_rule *early_save(const struct lint *lint,
					 const struct ast_rule *w, uint32_t bits)
{
	for (const struct ast_table *t = lint->rs.tables; t; t = t->next) {
		if (t->loc.file != w->loc.file)
			continue;
		/* The rules with a MARK/CONNMARK target, not every rule. */
		for (uint32_t k = 0; k < t->nmark_rules; k++) {
			const struct ast_rule *r = t->mark_rules[k];
			const struct ast_opt *m;

			if (r->bad || r->target_ext != EXT_ID_CONNMARK ||
			    !ast_rule_find_opt(r, OPT_CONNMARK_SAVE_MARK))
				continue;
			m = ast_rule_find_opt(r, OPT_CONNMARK_NFMASK);
			if (!m)
				m = ast_rule_find_opt(r, OPT_CONNMARK_MASK);
			if (!m || ((uint32_t)m->v.u & bits))
				return r;
		}
	}
	return NULL;
}

void check_run_MISSING_SAVE_MARK(struct lint *lint)
{
	const struct markflow *mf = markflow_get(lint);

	if (mf->gave_up)
		return;
	for (uint32_t k = 0; k < mf->nwriters; k++) {
		const struct mf_writer *w = &mf->writers[k];
		const struct mf_claim *hit = NULL;
		const struct ast_match *tg;
		const struct ast_rule *save;
		uint32_t bits = 0;
		char b[32];
		struct loc at;
		struct diag *d;

		if (!w->value || (w->saved & w->value))
			continue;
		for (uint32_t i = 0; i < mf->nclaims && !hit; i++) {
			const struct mf_claim *c = &mf->claims[i];
			const struct ast_opt *o;
			struct tnum after;

			if (c->kind != MF_RESTORED_TEST || c->may_true ||
			    c->a->loc.file != w->rule->loc.file ||
			    !(c->bits & w->value))
				continue;
			/* The test must be able to see this MARK's value. */
			o = ast_rule_find_opt(c->c, OPT_mark_MARK);
			if (!o || o->kind != VAL_MARK)
				continue;
			after = tnum_xmark(tnum_unknown(), w->value, w->mask);
			if (tnum_test(after, o->v.mark.value, o->v.mark.mask) ==
			    (o->invert ? TNUM_TRUE : TNUM_FALSE))
				continue;
			hit = c;
			bits = c->bits & w->value;
		}
		if (!hit)
			continue;
		tg = ast_rule_target(w->rule);
		at = loc_from_span(&w->rule->loc, tg->span);
		val_format_mark(b, sizeof(b), bits);
		d = diag_report(&lint->diags, CHECK_MISSING_SAVE_MARK, &at,
				"this MARK sets nfmark bits %s that are tested after a --restore-mark, but no CONNMARK --save-mark ever stores them in the connection: later packets get them back as 0",
				b);
		diag_note(d, &hit->a->loc,
			  "--restore-mark replaces the packet mark with the connection mark here");
		diag_note(d, &hit->c->loc,
			  "this test can then only be true on packets that passed the MARK themselves");
		save = early_save(lint, w->rule, bits);
		if (save)
			diag_note(d, &save->loc,
				  "this --save-mark never runs after the MARK on any path (it comes before it)");
	}
}
