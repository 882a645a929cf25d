// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The chain commands of a restore file, replayed on the AST in file order
 * as iptables-restore runs them: -F (one chain or the whole table), -X (one
 * chain or every user chain) and -E. What a backend refuses is reported at
 * the command's line; after a refusal the AST stays as it was, as if the
 * line had not been there (iptables-restore stops at it anyway).
 *
 * Seen with iptables-legacy-restore and iptables-nft-restore 1.8.9 (kernel
 * 6.18), each file loaded for real in a throwaway network namespace:
 * - -X refuses a chain with rules and a chain some rule still jumps to
 *   (legacy: "line N failed", ENOTEMPTY/EMLINK from libiptc; nft:
 *   "CHAIN_DEL failed (Device or resource busy)"), and a builtin chain
 *   (legacy always; nft only when it has rules). "-X" alone deletes every
 *   user chain, on the same conditions. A deleted chain's name is free: a
 *   later jump to it is refused, a later ":NAME" or -N makes a new chain.
 * - iptables-nft-restore does nothing on a "-F" without a chain name
 *   (nft_rule_flush() does not find the table, which this restore deleted,
 *   in its cache), unless the line has -v: the rules before it stay, and
 *   a later -X of their chains fails. Legacy flushes every chain.
 * - iptables-nft-restore flushes a user chain declared again (":NAME"),
 *   which iptables-legacy-restore refuses.
 * - -E: legacy renames the chain, and jumps to it follow; the old name is
 *   free again. nft renames a chain by its kernel handle, which a chain
 *   created by this restore does not have yet: CHAIN_RENAME fails with
 *   ENOENT at COMMIT (a chain already in the kernel, restored with
 *   --noflush and not declared in the file, is renamed). Its cache does
 *   not learn the new name either, so a later line that uses it fails
 *   first ("Chain 'NEW' does not exist"). Renaming onto a name in use or a
 *   standard verdict, and renaming a builtin chain, fail on both.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iptlint/ast.h"
#include "iptlint/diag.h"
#include "parser/build.h"

/* Referencing rules are looked for on the error path only, a few times. */
#define REF_SCANS_MAX	16

void chain_ops_reset(struct build *b)
{
	free(b->ghosts);
	b->ghosts = NULL;
	b->nghosts = 0;
	b->flush_all = NULL;
}

/* What iptables-nft kept of @c (see struct chain_ghost), or NULL. */
static struct chain_ghost *ghost_of(const struct build *b,
				    const struct ast_chain *c)
{
	return c->id < b->nghosts ? &b->ghosts[c->id] : NULL;
}

/* Does iptables-nft still see rules in @c, or jumps to it? */
static bool ghost_busy(const struct build *b, const struct ast_chain *c)
{
	const struct chain_ghost *g = ghost_of(b, c);

	return g && (g->rules || g->links);
}

/* A -F of @c flushes what iptables-nft kept of it too. */
static void drop_ghosts(struct build *b, struct ast_chain *c)
{
	struct chain_ghost *g = ghost_of(b, c);

	if (!g)
		return;
	for (const struct ast_rule *q = g->rules; q; q = q->next_in_chain)
		if (q->jump && q->jump->id < b->nghosts)
			b->ghosts[q->jump->id].links--;
	g->rules = NULL;
}

void chain_ops_flush(struct build *b, struct ast_chain *c)
{
	for (struct ast_rule *r = c->rules; r; r = r->next_in_chain)
		build_rule_unlinked(r);
	c->rules = c->rules_tail = NULL;
	c->nrules = 0;
	/* nft flushes a chain it is told to, the rules it kept included. */
	drop_ghosts(b, c);
}

void chain_ops_flush_all(struct build *b, const struct ast_rule *r)
{
	struct ast_table *t = b->table;
	enum backend be = b->lint->opt.backend;
	bool nft_flushes = ast_rule_find_opt(r, OPT_ip_VERBOSE) != NULL;

	if (!nft_flushes)
		b->flush_all = r;
	if (be == BACKEND_NFT && !nft_flushes)
		return;
	if (be == BACKEND_ANY && !nft_flushes && b->nghosts < t->nchains) {
		struct chain_ghost *g = realloc(b->ghosts,
						t->nchains * sizeof(*g));

		if (!g)
			abort();
		memset(g + b->nghosts, 0, (t->nchains - b->nghosts) * sizeof(*g));
		b->ghosts = g;
		b->nghosts = t->nchains;
	}
	for (uint32_t i = 0; i < t->nchains; i++) {
		struct ast_chain *c = t->chains[i];
		struct chain_ghost *g;

		if (nft_flushes) {
			chain_ops_flush(b, c);
			continue;
		}
		if (!c->rules)
			continue;
		for (struct ast_rule *q = c->rules; q; q = q->next_in_chain) {
			build_rule_unlinked(q);
			if (be == BACKEND_ANY && q->jump)
				b->ghosts[q->jump->id].links++;
		}
		if (be == BACKEND_ANY) {
			g = &b->ghosts[c->id];
			c->rules_tail->next_in_chain = g->rules;
			g->rules = c->rules;
		}
		c->rules = c->rules_tail = NULL;
		c->nrules = 0;
	}
}

/* A rule of the table that jumps to @c now, if the search is affordable. */
static const struct ast_rule *find_link(struct build *b,
					const struct ast_chain *c)
{
	const struct ast_table *t = b->table;

	if (b->ref_scans >= REF_SCANS_MAX)
		return NULL;
	b->ref_scans++;
	for (uint32_t i = 0; i < t->nchains; i++)
		for (const struct ast_rule *q = t->chains[i]->rules; q;
		     q = q->next_in_chain)
			if (q->jump == c)
				return q;
	return NULL;
}

enum busy {
	BUSY_NO,
	BUSY_NFT,	/* only because nft kept rules a -F took out (reported) */
	BUSY_BOTH,	/* both backends refuse (reported) */
};

/*
 * Can -X delete user chain @c? @cmd is how the line is shown ("-X name" or
 * "-X"); @nft_told: a busy-on-nft-only finding was given already.
 */
static enum busy chain_busy(struct build *b, const struct ast_chain *c,
			    const struct ast_rule *r, const char *cmd,
			    bool *nft_told)
{
	struct diag *d;

	if (c->nrules) {
		d = build_report(b, CHECK_BAD_VALUE, &r->loc,
				 "%s: chain '%s' still has %u rule%s at this point: iptables-restore deletes only empty chains (flush it first with -F %s)",
				 cmd, c->name, c->nrules, c->nrules == 1 ? "" : "s",
				 c->name);
		diag_note(d, &c->rules->loc, "first rule of the chain");
		if (b->lint->opt.backend == BACKEND_NFT && b->flush_all)
			diag_note(d, &b->flush_all->loc,
				  "a -F without a chain name does nothing in iptables-nft-restore: the rules before it stay");
		return BUSY_BOTH;
	}
	if (c->nlinks) {
		const struct ast_rule *q = find_link(b, c);

		d = build_report(b, CHECK_BAD_VALUE, &r->loc,
				 "%s: chain '%s' is still the target of %u -j/-g at this point: iptables-restore does not delete a chain in use",
				 cmd, c->name, c->nlinks);
		if (q)
			diag_note(d, &q->loc, "jumps to '%s' here", c->name);
		return BUSY_BOTH;
	}
	if (ghost_busy(b, c) && !*nft_told) {
		*nft_told = true;
		d = build_report(b, CHECK_BAD_VALUE, &r->loc,
				 "%s: iptables-nft-restore refuses it (\"CHAIN_DEL failed (Device or resource busy)\"): the -F without a chain name on line %u does nothing in iptables-nft-restore, so chain '%s' still has %s; iptables-legacy-restore accepts it",
				 cmd, b->flush_all ? b->flush_all->loc.line : 0,
				 c->name, ghost_of(b, c)->rules ? "its rules" : "jumps to it");
		if (b->flush_all)
			diag_note(d, &b->flush_all->loc,
				  "this -F flushes nothing in iptables-nft-restore (add -v, or flush each chain with -F CHAIN)");
		return BUSY_NFT;
	}
	return ghost_busy(b, c) ? BUSY_NFT : BUSY_NO;
}

static void chain_gone(struct build *b, struct ast_chain *c,
		       const struct ast_rule *r)
{
	c->gone = true;
	build_chain_extra(b, c)->gone_by = r;
	b->last_chain = NULL;
}

static void builtin_delete(struct build *b, const struct ast_chain *c,
			   const struct ast_rule *r)
{
	enum backend be = b->lint->opt.backend;
	bool rules = c->nrules || (ghost_of(b, c) && ghost_of(b, c)->rules);

	/* iptables-nft-restore deletes an empty base chain without a word. */
	if (be == BACKEND_NFT && !rules)
		return;
	build_report(b, CHECK_BAD_VALUE, &r->loc,
		     "-X %s: a builtin chain cannot be deleted (%s)", c->name,
		     rules ? "both backends refuse it, the chain has rules" :
		     be == BACKEND_LEGACY ? "iptables-legacy-restore refuses it" :
		     "iptables-legacy-restore refuses it; iptables-nft-restore accepts it while the chain has no rules");
}

void chain_ops_delete(struct build *b, struct ast_chain *c,
		      const struct ast_rule *r)
{
	char cmd[48];
	bool told = false;

	if (b->table->kind < 0)
		return;		/* an unknown table: reported, not judged */
	if (c->builtin) {
		builtin_delete(b, c, r);
		return;
	}
	if (!c->declared)
		return;		/* no such chain: undefined-chain says so */
	snprintf(cmd, sizeof(cmd), "-X %s", c->name);
	if (chain_busy(b, c, r, cmd, &told) == BUSY_BOTH)
		return;
	chain_gone(b, c, r);
}

void chain_ops_delete_all(struct build *b, const struct ast_rule *r)
{
	struct ast_table *t = b->table;
	bool told = false;

	if (t->kind < 0)
		return;
	for (uint32_t i = 0; i < t->nchains; i++) {
		const struct ast_chain *c = t->chains[i];

		if (c->builtin || c->gone || !c->declared)
			continue;
		/* libiptc stops at the first chain it cannot delete. */
		if (chain_busy(b, c, r, "-X", &told) == BUSY_BOTH)
			return;
	}
	for (uint32_t i = 0; i < t->nchains; i++) {
		struct ast_chain *c = t->chains[i];

		if (!c->builtin && !c->gone && c->declared)
			chain_gone(b, c, r);
	}
}

/* The standard verdicts' names, which no chain can take. */
static bool is_verdict_name(const char *name, size_t len)
{
	const struct ext *e = ext_find(EXT_TARGET, name, len);

	return e && (e->id == EXT_ID_ACCEPT || e->id == EXT_ID_DROP ||
		     e->id == EXT_ID_RETURN || e->id == EXT_ID_QUEUE);
}

void chain_ops_rename(struct build *b, struct ast_chain *c,
		      const struct ast_rule *r)
{
	const char *to = ast_rule_newname(r);
	enum backend be = b->lint->opt.backend;
	struct ast_chain *n, *old;
	struct diag *d;
	size_t len;

	if (!to || b->table->kind < 0)
		return;		/* the parser said what is wrong */
	len = strlen(to);
	if (c->builtin) {
		build_report(b, CHECK_BAD_VALUE, &r->loc,
			     "-E %s: a builtin chain cannot be renamed (both backends refuse it)",
			     c->name);
		return;
	}
	if (!c->declared)
		return;		/* no such chain: undefined-chain says so */
	if (is_verdict_name(to, len)) {
		build_report(b, CHECK_BAD_VALUE, &r->loc,
			     "-E %s %s: '%s' is a built-in verdict, no chain can have that name (both backends refuse it)",
			     c->name, to, to);
		return;
	}
	n = build_find_chain(b->table, to, len, build_name_hash(to, len));
	if (n && (n->declared || n->builtin)) {
		d = build_report(b, CHECK_DUPLICATE_CHAIN, &r->loc,
				 "-E %s %s: table '%s' already has a chain named '%s' (both backends refuse it: \"File exists\")",
				 c->name, to, b->table->name, to);
		if (n->declared && n != c)
			diag_note(d, &n->decl, "'%s' is declared here", to);
		return;
	}
	if (be != BACKEND_LEGACY) {
		d = build_report(b, CHECK_UNDEFINED_CHAIN, &r->loc,
				 "-E %s %s: iptables-nft-restore cannot rename a chain this restore creates: it renames a chain by its kernel handle, which a new chain does not have yet (\"CHAIN_RENAME failed (No such file or directory)\"; a later line that uses '%s' fails first, with \"Chain '%s' does not exist\")%s",
				 c->name, to, to, to,
				 be == BACKEND_ANY ? "; iptables-legacy-restore accepts it" : "");
		diag_note(d, &c->decl, "the chain is created here, in this restore");
	}
	/* A chain only refused lines named: the name is free for iptables. */
	if (n)
		n->gone = true;
	/* The old name, for messages about lines that still use it. */
	old = build_add_chain(b, c->name, c->name_len);
	old->gone = true;
	build_chain_extra(b, old)->gone_by = r;
	build_chain_rename(b, c, to, len);
	b->last_chain = NULL;
}
