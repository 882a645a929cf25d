// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Cross-option rules of single extensions that the option table cannot
 * say (iptables' x6_fcheck / final_check functions).
 */
#include <stdio.h>
#include <string.h>

#include "iptlint/diag.h"
#include "parser/build.h"
#include "parser/ext_checks.h"

const char *const ext_ctstate_names[] = {
	"INVALID", "ESTABLISHED", "RELATED", "NEW", "UNTRACKED", "SNAT",
	"DNAT", NULL,
};

const struct ast_opt *ext_ctx_opt(const struct ext_check_ctx *ctx,
				  enum opt_id id)
{
	for (uint32_t k = 0; k < ctx->m->nopts; k++)
		if (ctx->m->opts[k].def && ctx->m->opts[k].def->id == id)
			return &ctx->m->opts[k];
	return NULL;
}

void ext_ctx_report(struct ext_check_ctx *ctx, enum check_id check,
		    const struct ast_opt *at, const char *fmt, ...)
{
	struct loc l = at ? ast_opt_loc(ctx->rule, at)
			  : loc_from_span(&ctx->rule->loc, ctx->m->span);
	va_list ap;

	if (check_table[check].severity == SEV_ERROR)
		ctx->rule->bad = true;
	va_start(ap, fmt);
	diag_vreport(&ctx->b->lint->diags, check, &l, fmt, ap);
	va_end(ap);
}

/* --mask/--nfmask/--ctmask only make sense with --save-mark/--restore-mark. */
void ext_check_CONNMARK(struct ext_check_ctx *ctx)
{
	static const enum opt_id masks[] = {
		OPT_CONNMARK_MASK, OPT_CONNMARK_NFMASK, OPT_CONNMARK_CTMASK,
	};
	bool save_restore = ext_ctx_opt(ctx, OPT_CONNMARK_SAVE_MARK) ||
			    ext_ctx_opt(ctx, OPT_CONNMARK_RESTORE_MARK);

	for (size_t i = 0; i < sizeof(masks) / sizeof(masks[0]); i++) {
		const struct ast_opt *o = ext_ctx_opt(ctx, masks[i]);

		if (o && !save_restore)
			ext_ctx_report(ctx, CHECK_MISSING_OPTION, o,
				       "CONNMARK --%s needs --save-mark or --restore-mark",
				       o->def->name);
	}
}

/* The kernel's multiport checkentry: tcp, udp, udplite, sctp or dccp, not inverted. */
void ext_check_multiport(struct ext_check_ctx *ctx)
{
	switch (ctx->proto) {
	case 6: case 17: case 136: case 132: case 33:
		if (!ctx->proto_inv)
			return;
		break;
	default:
		break;
	}
	ext_ctx_report(ctx, CHECK_MISSING_OPTION, NULL,
		       "-m multiport needs -p tcp, udp, udplite, sctp or dccp (without \"!\")");
}
