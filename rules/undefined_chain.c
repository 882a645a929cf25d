// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * undefined-chain: -j/-g to a name that is neither a target extension nor
 * a chain of the table, and rules for a chain nobody declared. Order
 * counts, as in iptables-restore: a jump to, or a rule for, a chain that
 * is declared only further down is refused too (legacy: "Couldn't load
 * target", nft: "Chain ... does not exist"), and so is one for a chain
 * that -X deleted or -E renamed before the line. (The parser reports the
 * -E that iptables-nft-restore refuses under this name too.)
 */
#include <string.h>

#include "iptlint/lint.h"
#include "rules/checks.h"

/*
 * When the name @name used on @r's line belonged to a chain that an
 * earlier -X or -E took away, say so in a note; true if it did.
 */
static bool note_gone(struct diag *d, const struct ast_rule *r,
		      const char *name)
{
	const struct ast_chain *g = ast_table_find_gone(r->table, name,
							strlen(name),
							r->loc.line);
	const struct ast_rule *by;

	if (!g)
		return false;
	by = ast_chain_gone_by(g);
	if (by->cmd == CMD_RENAME)
		diag_note(d, &by->loc, "-E renames '%s' to '%s' here",
			  name, ast_rule_newname(by));
	else
		diag_note(d, &by->loc, "-X deletes '%s' here", name);
	return true;
}

/* " (it was deleted by -X)" or " (it was renamed by -E)" for @name, or "". */
static const char *gone_why(const struct ast_rule *r, const char *name)
{
	const struct ast_chain *g = ast_table_find_gone(r->table, name,
							strlen(name),
							r->loc.line);

	if (!g)
		return "";
	return ast_chain_gone_by(g)->cmd == CMD_RENAME ? ": -E renamed it before this line" :
	       ": -X deleted it before this line";
}

static void undefined_target(struct lint *lint, const struct ast_rule *r)
{
	const struct ast_match *t = ast_rule_target(r);
	const char *how = r->is_goto ? "-g" : "-j";
	const char *name, *why;
	struct loc at;
	struct diag *d;

	if (!t || ast_match_ext(t) || !ast_rule_jump_name(r) || !r->jump_before_decl)
		return;
	at = loc_from_span(&r->loc, t->span);
	name = ast_rule_jump_name(r);
	if (*(why = gone_why(r, name))) {
		d = diag_report(&lint->diags, CHECK_UNDEFINED_CHAIN, &at,
				"%s %s: table '%s' has no chain of that name at this point%s (both backends refuse the jump)",
				how, name, r->table->name, why);
		note_gone(d, r, name);
		if (r->jump && r->jump->declared)
			diag_note(d, &r->jump->decl, "declared again only here");
	} else if (!r->jump) {
		diag_report(&lint->diags, CHECK_UNDEFINED_CHAIN, &at,
			    "%s %s: no chain of that name in table '%s', and no target extension iptlint knows",
			    how, name, r->table->name);
	} else if (r->jump->declared) {
		d = diag_report(&lint->diags, CHECK_UNDEFINED_CHAIN, &at,
				"%s %s comes before the chain is declared: iptables-restore refuses a jump to a chain it has not created yet",
				how, name);
		diag_note(d, &r->jump->decl, "declared here");
	} else {
		diag_report(&lint->diags, CHECK_UNDEFINED_CHAIN, &at,
			    "%s %s: the chain is never declared in table '%s' (add ':%s - [0:0]')",
			    how, name, r->table->name, name);
	}
}

static void undeclared_chain(struct lint *lint, const struct ast_table *t,
			     const struct ast_chain *c)
{
	const struct ast_rule *first = c->used_before_decl;
	struct loc at;
	struct diag *d;

	if (!first || c->builtin)
		return;
	at = loc_from_span(&first->loc, first->chain_span);
	if (*gone_why(first, c->name)) {
		d = diag_report(&lint->diags, CHECK_UNDEFINED_CHAIN, &at,
				"table '%s' has no chain '%s' at this point%s (both backends refuse the line)",
				t->name, c->name, gone_why(first, c->name));
		note_gone(d, first, c->name);
		return;
	}
	if (!c->declared) {
		diag_report(&lint->diags, CHECK_UNDEFINED_CHAIN, &at,
			    "chain '%s' is not declared in table '%s' (add ':%s - [0:0]' or '-N %s')",
			    c->name, t->name, c->name, c->name);
		return;
	}
	d = diag_report(&lint->diags, CHECK_UNDEFINED_CHAIN, &at,
			"a rule for chain '%s' comes before the chain is declared: iptables-restore refuses it",
			c->name);
	diag_note(d, &c->decl, "declared here");
}

/* Visited for every rule: its jump, and its chain on the chain's first rule. */
void check_visit_UNDEFINED_CHAIN(struct lint *lint, const struct ast_rule *r)
{
	if (r->table->kind < 0)
		return;
	if (r->chain && r->chain->used_before_decl == r)
		undeclared_chain(lint, r->table, r->chain);
	undefined_target(lint, r);
}
