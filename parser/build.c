// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Line-level semantics of a restore file (iptables-restore.c): tables,
 * chain declarations, COMMIT, and command lines handed to command.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iptlint/ast.h"
#include "iptlint/diag.h"
#include "iptlint/ext.h"
#include "iptlint/rulekey.h"
#include "lexer/lines.h"
#include "parser/build.h"
#include "parser/noflush.h"

/* fgets() buffer of iptables-restore: longer lines are split. */
#define RESTORE_LINE_MAX	10239
/*
 * Most words iptables-restore accepts on one command line (its argv also
 * holds the program name, "-t" and the table). Some lines fail earlier
 * because extensions add arguments: we report only what always fails.
 */
#define RESTORE_WORDS_MAX	251
/* add_param_to_argv(): one argument is at most 1023 bytes. */
#define RESTORE_PARAM_MAX	1023
#define CHAIN_NAME_MAX		28

/* Pointer to the location of word @i (valid to the end of the block). */
#define WLOC(b, i)	(&(struct loc){ (b)->file, (b)->wline, (b)->words[i].col, \
					(b)->words[i].end_col })

void build_init(struct build *b, struct lint *lint, uint32_t file)
{
	memset(b, 0, sizeof(*b));
	b->lint = lint;
	b->rs = &lint->rs;
	b->file = file;
	ext_index_init(&b->ext_index);
	command_index_init(b);
	for (unsigned int i = 0; i < EXT_ID__COUNT; i++)
		for (uint32_t k = 0; k < ext_table[i].nopts; k++)
			b->ext_need[i] |= ext_table[i].opts[k].need;
}

void build_fini(struct build *b)
{
	free(b->opt_scratch);
	free(b->opt_next);
	free(b->opt_def);
	free(b->match_scratch);
	free(b->deferred);
	chain_ops_reset(b);
	memset(b, 0, sizeof(*b));
}

struct diag *build_report(struct build *b, enum check_id id,
			  const struct loc *loc, const char *fmt, ...)
{
	struct diag *d;
	va_list ap;

	if (check_table[id].severity == SEV_ERROR && b->table)
		b->table->nerrors++;
	va_start(ap, fmt);
	d = diag_vreport(&b->lint->diags, id, loc, fmt, ap);
	va_end(ap);
	return d;
}

#define report	build_report

/*
 * A chain's name is stored right before it, in a room of whole 8-byte
 * words: the prefetch below finds the name from the looked-up length
 * without reading the chain, and the name and the chain's first fields
 * are one or two cache lines. (A chain -E renamed has its new name
 * elsewhere: lookups compare c->name.)
 */
static inline size_t chain_name_room(size_t len)
{
	return (len + 1 + 7) & ~(size_t)7;
}

static inline const char *chain_name_of(const struct ast_chain *c, size_t len)
{
	return (const char *)c - chain_name_room(len);
}

/*
 * The chain lookups of a batch are cache misses (the index and the chains
 * of a big table are far bigger than the caches): ask for the index slots
 * of the chain names the reader hashed, then for the chains they hold
 * (with the name stored right after them), so the lookups of the whole
 * batch overlap instead of waiting one by one. Only a hint: a table that
 * changes on the way (a new one, a rehash) just wastes the prefetches.
 */
static void prefetch_chains(const struct build *b, const struct line_batch *bt)
{
	const struct ast_table *t = b->table;
	uint32_t mask;

	if (!t || !t->hash_size)
		return;
	mask = t->hash_size - 1;
	for (uint32_t i = 0; i < bt->nnamed; i++)
		__builtin_prefetch(&t->hash[bt->words[bt->named[i]].hash & mask]);
	for (uint32_t i = 0; i < bt->nnamed; i++) {
		const struct word *w = &bt->words[bt->named[i]];
		uint32_t id;

		for (uint32_t j = w->hash & mask; (id = t->hash[j].id);
		     j = (j + 1) & mask)
			if (t->hash[j].hash == w->hash) {
				const struct ast_chain *c = t->chains[id - 1];

				/* The name, and the chain's first 64 bytes. */
				__builtin_prefetch(chain_name_of(c, w->len));
				__builtin_prefetch(c);
				__builtin_prefetch((const char *)c + 63);
				break;
			}
	}
}

void build_replay(struct build *b, const struct line_batch *bt)
{
	prefetch_chains(b, bt);
	for (uint32_t i = 0; i < bt->nrecs; i++) {
		const struct line_rec *r = &bt->recs[i];
		struct word counters;

		/* A batch of comment lines has no words (and no array). */
		b->words = r->nwords ? bt->words + r->word0 : NULL;
		b->nwords = r->nwords;
		b->wline = r->wline;
		b->family_marker = r->family_marker;
		switch (r->kind) {
		case LINE_TABLE:
			build_table_line(b, &r->loc);
			break;
		case LINE_CHAIN:
			build_chain_line(b, &r->loc);
			break;
		case LINE_RULE:
			build_rule_line(b, NULL, NULL);
			break;
		case LINE_RULE_COUNTERS:
			counters = (struct word){ .s = r->text, .len = r->text_len };
			build_rule_line(b, &counters, &r->loc);
			break;
		case LINE_BAD_COUNTERS:
			build_syntax_error(b, &r->loc,
					   "counters prefix without closing ']'");
			break;
		case LINE_BLANK:
			build_blank_line(b, &r->loc);
			break;
		case LINE_RESET:
			break;
		case LINE_SYNTAX:
			build_syntax_error(b, &r->loc, r->text);
			break;
		case LINE_CRLF:
			build_crlf(b, &r->loc);
			break;
		case LINE_COMMENT:
			build_comment(b, &r->loc, r->text, r->text_len);
			break;
		}
		build_reset_words(b);
	}
}

void build_reset_words(struct build *b)
{
	b->nwords = 0;
}

void build_syntax_error(struct build *b, const struct loc *loc,
			const char *msg)
{
	report(b, CHECK_SYNTAX_ERROR, loc, "%s", msg);
}

void build_crlf(struct build *b, const struct loc *loc)
{
	if (b->crlf_reported)
		return;
	b->crlf_reported = true;
	report(b, CHECK_SYNTAX_ERROR, loc,
	       "line ends in CRLF: iptables-restore reads the '\\r' as part of the line and rejects it (convert with dos2unix); reported once per file");
}

void build_comment(struct build *b, const struct loc *loc, const char *text,
		   size_t len)
{
	suppress_add_comment(&b->lint->suppress, &b->rs->arena, loc, text, len);
}

struct ast_rule_extra *build_rule_extra(struct build *b, struct ast_rule *r)
{
	if (!r->extra)
		r->extra = arena_alloc(&b->rs->arena, sizeof(*r->extra));
	return (struct ast_rule_extra *)r->extra;
}

struct ast_chain_extra *build_chain_extra(struct build *b, struct ast_chain *c)
{
	if (!c->extra)
		c->extra = arena_alloc(&b->rs->arena, sizeof(*c->extra));
	return (struct ast_chain_extra *)c->extra;
}

/* The words' text as a NUL-terminated arena copy. */
static const char *word_dup(struct build *b, const struct word *w)
{
	return arena_strndup(&b->rs->arena, w->s, w->len);
}

/* ---------------------------------------------------------- chains */

static void table_index_put(struct ast_chain_slot *v, uint32_t size,
			    uint32_t id, uint32_t hash)
{
	uint32_t i = hash & (size - 1);

	while (v[i].id)
		i = (i + 1) & (size - 1);
	v[i].id = id + 1;
	v[i].hash = hash;
}

static void table_rehash(struct ast_table *t)
{
	uint32_t size = t->hash_size ? t->hash_size * 2 : 64;
	struct ast_chain_slot *v = arena_heap_zalloc(size, sizeof(*v));

	for (uint32_t i = 0; i < t->hash_size; i++)
		if (t->hash[i].id)
			table_index_put(v, size, t->hash[i].id - 1, t->hash[i].hash);
	free(t->hash);
	t->hash = v;
	t->hash_size = size;
}

/* One more slot for chain @id under @hash, keeping the index half empty. */
static void table_index_add(struct ast_table *t, uint32_t id, uint32_t hash)
{
	if (++t->hash_used * 2 > t->hash_size)
		table_rehash(t);
	table_index_put(t->hash, t->hash_size, id, hash);
}

/*
 * A chain that -E renamed keeps its old slot too (and gets one for its
 * new name): the name compared is the chain's, so the old slot no longer
 * finds it. Chains that are gone (-X, or a name -E took away) are kept
 * for messages (ast_table_find_gone()) but never found here.
 */
struct ast_chain *build_find_chain(const struct ast_table *t, const char *name,
				   size_t len, uint32_t hash)
{
	uint32_t i, id;

	if (!t->hash_size)
		return NULL;
	for (i = hash & (t->hash_size - 1); (id = t->hash[i].id);
	     i = (i + 1) & (t->hash_size - 1)) {
		struct ast_chain *c;

		if (t->hash[i].hash != hash)
			continue;
		c = t->chains[id - 1];
		if (c->name_len == len && !c->gone &&
		    memcmp(c->name, name, len) == 0)
			return c;
	}
	return NULL;
}

struct ast_chain *ast_table_find_chain(const struct ast_table *t,
				       const char *name, size_t len)
{
	return build_find_chain(t, name, len, build_name_hash(name, len));
}

const struct ast_chain *ast_table_find_gone(const struct ast_table *t,
					    const char *name, size_t len,
					    uint32_t line)
{
	uint32_t hash = build_name_hash(name, len), i, id;
	const struct ast_chain *best = NULL;

	if (!t->hash_size)
		return NULL;
	for (i = hash & (t->hash_size - 1); (id = t->hash[i].id);
	     i = (i + 1) & (t->hash_size - 1)) {
		const struct ast_chain *c = t->chains[id - 1];

		const struct ast_rule *by = ast_chain_gone_by(c);

		if (t->hash[i].hash != hash || !c->gone || !by ||
		    by->loc.line >= line || c->name_len != len ||
		    memcmp(c->name, name, len) != 0)
			continue;
		if (!best || by->loc.line > ast_chain_gone_by(best)->loc.line)
			best = c;
	}
	return best;
}

void build_chain_rename(struct build *b, struct ast_chain *c,
			const char *name, size_t len)
{
	c->name = arena_strndup(&b->rs->arena, name, len);
	c->name_len = (uint32_t)len;
	table_index_add(b->table, c->id, build_name_hash(name, len));
	b->table->renamed = true;
}

static struct ast_chain *table_add_hashed(struct build *b, struct ast_table *t,
					  const char *name, size_t len,
					  uint32_t hash)
{
	/* The name right before the struct: see chain_name_of(). */
	char *stored = arena_alloc(&b->rs->arena,
				   chain_name_room(len) + sizeof(struct ast_chain));
	struct ast_chain *c = (struct ast_chain *)(stored + chain_name_room(len));
	int hook;

	memcpy(stored, name, len);
	stored[len] = '\0';
	c->name = stored;
	c->name_len = (uint32_t)len;
	hook = hook_lookup(name, len);
	if (hook >= 0 && t->kind >= 0 &&
	    (table_hooks((enum table_kind)t->kind) & HOOK(hook))) {
		c->builtin = true;
		c->hook = (uint8_t)hook;
	}
	if (t->nchains == t->chains_cap) {
		uint32_t cap = t->chains_cap ? t->chains_cap * 2 : 16;

		t->chains = realloc(t->chains, cap * sizeof(*t->chains));
		if (!t->chains)
			abort();
		t->chains_cap = cap;
	}
	c->id = t->nchains;
	t->chains[t->nchains++] = c;
	table_index_add(t, c->id, hash);
	return c;
}

static struct ast_chain *table_add_chain(struct build *b, struct ast_table *t,
					 const char *name, size_t len)
{
	return table_add_hashed(b, t, name, len, build_name_hash(name, len));
}

struct ast_chain *build_add_chain(struct build *b, const char *name, size_t len)
{
	return table_add_chain(b, b->table, name, len);
}

static struct ast_chain *table_chain(struct build *b, struct ast_table *t,
				     const char *name, size_t len, uint32_t hash)
{
	struct ast_chain *c = build_find_chain(t, name, len, hash);

	return c ? c : table_add_hashed(b, t, name, len, hash);
}

/* ---------------------------------------------------------- tables */

static void close_table(struct build *b)
{
	b->table = NULL;
}

static void report_unclosed(struct build *b, const struct loc *next)
{
	struct ast_table *t = b->table;
	struct diag *d;

	if (next) {
		d = report(b, CHECK_MISSING_COMMIT, &t->loc,
			   "table '%s' is not closed by COMMIT before the next table starts",
			   t->name);
		diag_note(d, next, "next table starts here");
	} else {
		d = report(b, CHECK_MISSING_COMMIT, &t->loc,
			   "table '%s' is not closed by COMMIT before the end of the file",
			   t->name);
	}
	{
		/* Insert a COMMIT line before the next table, or at the end. */
		const struct source *src = b->lint->sources.v[b->file];
		struct loc at;

		if (next) {
			at = *next;
			at.col = at.end_col = 1;
			diag_fixit(d, &at, "COMMIT\n");
		} else {
			size_t len;

			source_line(src, src->nlines, &len);
			at = (struct loc){ b->file, src->nlines, (uint32_t)len + 1,
					   (uint32_t)len + 1 };
			diag_fixit(d, &at, len ? "\nCOMMIT" : "COMMIT");
		}
	}
}

void build_table_line(struct build *b, const struct loc *star)
{
	struct ast_table *t;
	struct loc at = *star;
	int kind;

	if (b->nwords == 0) {
		report(b, CHECK_SYNTAX_ERROR, star, "'*' without a table name");
		goto out;
	}
	at.end_col = b->words[0].end_col;
	if (b->table)
		report_unclosed(b, &at);
	kind = table_lookup(b->words[0].s, b->words[0].len);
	if (kind < 0)
		report(b, CHECK_BAD_VALUE, WLOC(b, 0),
		       "unknown table '%.*s' (tables are filter, nat, mangle, raw and security)",
		       (int)b->words[0].len, b->words[0].s);
	/* --noflush: the table goes on; COMMIT is looked for from here. */
	if (b->lint->opt.noflush &&
	    (t = noflush_table(b->rs, b->words[0].s, b->words[0].len,
			       b->rs->family))) {
		t->loc = at;
		b->table = t;
		goto out;
	}
	t = arena_alloc(&b->rs->arena, sizeof(*t));
	t->name = word_dup(b, &b->words[0]);
	t->kind = kind;
	t->family = b->rs->family;
	t->loc = at;
	t->id = b->rs->ntables;
	if (b->rs->tables_tail)
		b->rs->tables_tail->next = t;
	else
		b->rs->tables = t;
	b->rs->tables_tail = t;
	b->rs->ntables++;
	/* The builtin chains exist whether or not the file declares them. */
	if (kind >= 0) {
		for (int h = 0; h < HOOK__COUNT; h++)
			if (table_hooks((enum table_kind)kind) & HOOK(h))
				table_add_chain(b, t, hook_name((enum hook_kind)h),
						strlen(hook_name((enum hook_kind)h)));
	}
	b->table = t;
	chain_ops_reset(b);
out:
	build_reset_words(b);
}

static bool parse_u64(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;

	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		uint64_t d = (uint64_t)(s[i] - '0');

		if (v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

/* "[packets:bytes]" with the brackets. */
static bool parse_counters(const char *s, size_t len, uint64_t *p,
			   uint64_t *by)
{
	const char *colon;

	if (len < 5 || s[0] != '[' || s[len - 1] != ']')
		return false;
	colon = memchr(s, ':', len);
	if (!colon)
		return false;
	return parse_u64(s + 1, (size_t)(colon - s - 1), p) &&
	       parse_u64(colon + 1, (size_t)(s + len - 1 - colon - 1), by);
}

void build_chain_line(struct build *b, const struct loc *colon)
{
	struct ast_table *t = b->table;
	struct ast_chain *c;
	const struct word *name, *policy;
	struct loc at = *colon;

	if (!t) {
		report(b, CHECK_SYNTAX_ERROR, colon,
		       "chain declaration outside a *table block");
		goto out;
	}
	if (b->nwords == 0) {
		report(b, CHECK_SYNTAX_ERROR, colon, "':' without a chain name");
		goto out;
	}
	name = &b->words[0];
	at.end_col = b->words[0].end_col;
	if (name->len > CHAIN_NAME_MAX) {
		report(b, CHECK_BAD_VALUE, WLOC(b, 0),
		       "chain name '%.*s' is %u characters long; at most %d are allowed",
		       (int)name->len, name->s, name->len, CHAIN_NAME_MAX);
		goto out;
	}
	/* Only the standard verdicts are reserved (a chain may be called LOG). */
	{
		/* The reader looked the word after ':' up as a target already. */
		const struct ext *e =
			name->ext_kind == EXT_TARGET ?
			(name->ext_id != AST_EXT_NONE ? &ext_table[name->ext_id] : NULL) :
			ext_index_find(&b->ext_index, EXT_TARGET, name->s, name->len);

		if (e && (e->verdict == VERDICT_ACCEPT || e->verdict == VERDICT_DROP ||
			  e->verdict == VERDICT_RETURN ||
			  (e->verdict == VERDICT_QUEUE && e->id == EXT_ID_QUEUE))) {
			report(b, CHECK_BAD_VALUE, WLOC(b, 0),
			       "chain name '%.*s' is a built-in verdict: both backends refuse it",
			       (int)name->len, name->s);
			goto out;
		}
	}
	c = table_chain(b, t, name->s, name->len, build_word_hash(name));
	if (b->lint->opt.noflush && c->declared && !c->builtin)
		chain_ops_flush(b, c);	/* not a second declaration */
	else
		c->ndecls++;
	if (!c->declared) {
		c->declared = true;
		c->decl = at;
	} else {
		if (c->ndecls == 2 && !ast_chain_redecl(c).line)
			build_chain_extra(b, c)->redecl = at;
		/* iptables-nft-restore flushes a user chain declared again. */
		if (!c->builtin && b->lint->opt.backend == BACKEND_NFT)
			chain_ops_flush(b, c);
	}
	if (b->nwords < 2) {
		report(b, CHECK_SYNTAX_ERROR, &at,
		       "chain declaration without a policy (ACCEPT, DROP, or - for a user chain)");
		goto out;
	}
	policy = &b->words[1];
	if (policy->len != 1 || policy->s[0] != '-')
		build_chain_extra(b, c)->policy_loc = build_word_loc(b, 1);
	if (t->kind < 0) {
		/* Unknown table: already reported; judge nothing in it. */
		c->policy = NULL;
	} else if (policy->len == 1 && policy->s[0] == '-') {
		/* On a builtin chain: keep the policy it has (both backends). */
		c->policy = NULL;
	} else if ((policy->len == 6 && !memcmp(policy->s, "ACCEPT", 6)) ||
		   (policy->len == 4 && !memcmp(policy->s, "DROP", 4))) {
		c->policy = policy->len == 6 ? "ACCEPT" : "DROP";
		if (!c->builtin) {
			/* legacy: "Can't set policy ... Bad built-in chain name"; nft ignores it */
			if (b->lint->opt.backend != BACKEND_NFT)
				report(b, CHECK_BAD_VALUE, WLOC(b, 1),
				       "user chain '%s' cannot have a policy; write '-' (iptables-legacy-restore refuses it)",
				       c->name);
		}
	} else {
		report(b, CHECK_BAD_VALUE, WLOC(b, 1),
		       "bad policy '%.*s' (ACCEPT or DROP for builtin chains, - for user chains)",
		       (int)policy->len, policy->s);
	}
	/* Counters are only read with "iptables-restore -c": anything goes otherwise. */
	if (b->nwords >= 3) {
		uint64_t p, by;

		if (parse_counters(b->words[2].s, b->words[2].len, &p, &by)) {
			c->has_counters = true;
			if (p || by) {
				build_chain_extra(b, c)->pkts = p;
				build_chain_extra(b, c)->bytes = by;
			}
			b->rs->has_counters = true;
		}
	}
out:
	build_reset_words(b);
}

/*
 * iptables-restore compares the whole line with "COMMIT\n": the first
 * word of a line starting with "COMMIT" (words[0] here).
 */
static void build_commit_line(struct build *b, const struct loc *commit)
{
	const struct source *src = b->lint->sources.v[b->file];

	if (b->nwords > 1) {
		struct loc at = build_word_loc(b, 1);

		at.end_col = b->words[b->nwords - 1].end_col;
		report(b, CHECK_SYNTAX_ERROR, &at,
		       "text after COMMIT: iptables-restore accepts only \"COMMIT\" alone on its line");
	}
	if (!b->table) {
		report(b, CHECK_SYNTAX_ERROR, commit,
		       "COMMIT outside a *table block");
		goto out;
	}
	b->table->commit = *commit;
	/* iptables-legacy-restore compares the line with "COMMIT\n". */
	if (b->lint->opt.backend != BACKEND_NFT && commit->line == src->nlines &&
	    src->len && src->data[src->len - 1] != '\n' && b->nwords == 1)
		report(b, CHECK_SYNTAX_ERROR, commit,
		       "the final COMMIT has no newline after it: iptables-legacy-restore rejects the file");
	close_table(b);
out:
	build_reset_words(b);
}

void build_blank_line(struct build *b, const struct loc *eol)
{
	struct loc at = *eol;

	at.col = 1;
	report(b, CHECK_SYNTAX_ERROR, &at,
	       "line of blanks: iptables-restore says \"no command specified\" (leave the line empty)");
	build_reset_words(b);
}

/* Limits of iptables-restore's own tokenizer. */
static void check_restore_limits(struct build *b)
{
	if (b->nwords > RESTORE_WORDS_MAX) {
		report(b, CHECK_SYNTAX_ERROR, WLOC(b, RESTORE_WORDS_MAX),
		       "too many words (%u): iptables-restore handles at most %d on one line",
		       b->nwords, RESTORE_WORDS_MAX);
	}
	for (uint32_t i = 0; i < b->nwords; i++)
		if (b->words[i].len > RESTORE_PARAM_MAX) {
			report(b, CHECK_SYNTAX_ERROR, WLOC(b, i),
			       "argument of %u bytes: iptables-restore refuses arguments over %d bytes",
			       b->words[i].len, RESTORE_PARAM_MAX);
			break;
		}
}

static void build_defer_jump(struct build *b, struct ast_rule *r)
{
	if (b->ndeferred == b->deferred_cap) {
		b->deferred_cap = b->deferred_cap ? b->deferred_cap * 2 : 16;
		b->deferred = realloc(b->deferred,
				      b->deferred_cap * sizeof(*b->deferred));
		if (!b->deferred)
			abort();
	}
	b->deferred[b->ndeferred++] = r;
}

/* Unlink the @n-th rule (1-based) of @c; NULL when there is none. */
static struct ast_rule *chain_unlink(struct ast_chain *c, uint32_t n)
{
	struct ast_rule **pp = &c->rules, *prev = NULL, *r;

	for (uint32_t i = 1; *pp && i < n; i++) {
		prev = *pp;
		pp = &(*pp)->next_in_chain;
	}
	r = *pp;
	if (!r)
		return NULL;
	*pp = r->next_in_chain;
	if (c->rules_tail == r)
		c->rules_tail = prev;
	r->next_in_chain = NULL;
	c->nrules--;
	build_rule_unlinked(r);
	return r;
}

/* Position (1-based) of the first rule of @c equal to @r, 0 if none. */
static uint32_t chain_find_equal(struct build *b, const struct ast_chain *c,
				 const struct ast_rule *r)
{
	struct source *const *src = b->lint->sources.v;
	struct rule_key want = { 0 }, k = { 0 };
	uint32_t pos = 0, i = 1;

	rule_key_build(&want, r, src[r->loc.file]);
	/* Each rule's own file: with --noflush, earlier ones may be elsewhere. */
	for (const struct ast_rule *q = c->rules; q; q = q->next_in_chain, i++) {
		rule_key_build(&k, q, src[q->loc.file]);
		if (rule_key_equal(&k, &want)) {
			pos = i;
			break;
		}
	}
	rule_key_free(&k);
	rule_key_free(&want);
	return pos;
}

static void chain_renumber(struct ast_chain *c)
{
	uint32_t i = 0;

	c->rules_tail = NULL;
	for (struct ast_rule *q = c->rules; q; q = q->next_in_chain) {
		q->index = i++;
		c->rules_tail = q;
	}
}

static void chain_insert(struct build *b, struct ast_chain *c,
			 struct ast_rule *r, uint32_t pos)
{
	struct ast_rule **pp = &c->rules;

	for (uint32_t i = 1; *pp && i < pos; i++)
		pp = &(*pp)->next_in_chain;
	if (pos > c->nrules + 1) {
		/* libiptc: "Index of insertion too big" */
		report(b, CHECK_BAD_VALUE, &r->loc,
		       "rule number %u: chain %s has only %u rules at this point",
		       pos, c->name, c->nrules);
		return;
	}
	r->next_in_chain = *pp;
	*pp = r;
	c->nrules++;
	chain_renumber(c);
	build_rule_linked(r);
}

static void build_set_jump(struct ast_rule *r, struct ast_chain *j)
{
	r->jump = j;
	r->jump_id = j ? j->id : 0;
	r->jump_builtin = j && j->builtin;
}

/*
 * Apply a command line to its chain, in file order, as iptables-restore
 * does: -A/-I/-R/-D edit the rule list, -N/-F/-P the chain.
 */
static void note_mark_rule(struct build *b, struct ast_table *t,
			   struct ast_rule *r)
{
	if (t->nmark_rules == t->mark_rules_cap) {
		struct ast_rule **v;

		t->mark_rules_cap = t->mark_rules_cap ? 2 * t->mark_rules_cap : 16;
		v = arena_alloc(&b->rs->arena, t->mark_rules_cap * sizeof(*v));
		if (t->nmark_rules)
			memcpy(v, t->mark_rules, t->nmark_rules * sizeof(*v));
		t->mark_rules = v;
	}
	t->mark_rules[t->nmark_rules++] = r;
}

static void attach_rule(struct build *b, struct ast_rule *r)
{
	struct ast_table *t = b->table;
	struct ast_chain *c;
	uint32_t rulenum = ast_rule_rulenum(r);
	const char *name = b->cmd_chain;
	size_t len = b->cmd_chain_len;

	if (t->rules_tail)
		t->rules_tail->next_in_table = r;
	else
		t->rules = r;
	t->rules_tail = r;
	t->nrules++;
	if (r->target_ext == EXT_ID_MARK || r->target_ext == EXT_ID_CONNMARK ||
	    (r->tests & AST_TESTS_MARK))
		note_mark_rule(b, t, r);
	if (!name && !r->bad && r->cmd == CMD_FLUSH)
		chain_ops_flush_all(b, r);
	if (!name && !r->bad && r->cmd == CMD_DELETE_CHAIN)
		chain_ops_delete_all(b, r);
	if (!name || !len || len > CHAIN_NAME_MAX)
		return;
	c = b->last_chain;
	if (!c || c->name_len != len || memcmp(c->name, name, len) != 0 ||
	    b->last_chain_table != t)
		c = table_chain(b, t, name, len, b->cmd_chain_hash);
	b->last_chain = c;
	b->last_chain_table = t;
	r->chain = c;
	/* A rule for a chain nobody declared (yet): iptables refuses it. */
	if (!c->declared && !c->builtin && r->cmd != CMD_NEW_CHAIN &&
	    !c->used_before_decl) {
		c->used_before_decl = r;
		t->nerrors++;	/* undefined-chain will say so */
	}
	if (r->jump_named && !r->bad) {
		/* A chain found while parsing stays (-X and -E keep it). */
		const char *jn = ast_rule_jump_name(r);
		struct ast_chain *j = b->jump_chain ? b->jump_chain :
			ast_table_find_chain(t, jn, strlen(jn));

		build_set_jump(r, j);
		r->jump_before_decl = !j || (!j->declared && !j->builtin);
		if (r->jump_before_decl)
			t->nerrors++;	/* undefined-chain will say so */
		if (!j)
			build_defer_jump(b, r);
	}
	switch (r->cmd) {
	case CMD_NEW_CHAIN:
		if (c->builtin) {
			report(b, CHECK_DUPLICATE_CHAIN, &r->loc,
			       "-N %s: a builtin chain of that name already exists (both backends refuse it)",
			       c->name);
			break;
		}
		c->ndecls++;
		if (!c->declared) {
			c->declared = true;
			c->decl = r->loc;
			break;
		}
		if (c->ndecls == 2)
			build_chain_extra(b, c)->redecl = r->loc;
		/* nft refuses -N of a chain that exists ("Chain already exists"). */
		if (!ast_chain_nft_redecl(c).line)
			build_chain_extra(b, c)->nft_redecl = r->loc;
		break;
	case CMD_APPEND:
		if (r->bad)
			break;
		if (c->rules_tail)
			c->rules_tail->next_in_chain = r;
		else
			c->rules = r;
		c->rules_tail = r;
		r->index = c->nrules++;
		build_rule_linked(r);
		break;
	case CMD_INSERT:
		if (!r->bad)
			chain_insert(b, c, r, rulenum ? rulenum : 1);
		break;
	case CMD_REPLACE:
		if (!r->bad && rulenum) {
			if (!chain_unlink(c, rulenum))
				report(b, CHECK_BAD_VALUE, &r->loc,
				       "-R %s %u: the chain has only %u rules at this point",
				       c->name, rulenum, c->nrules);
			else
				chain_insert(b, c, r, rulenum);
		}
		break;
	case CMD_DELETE: {
		uint32_t pos;

		if (r->bad)
			break;
		pos = rulenum ? rulenum : chain_find_equal(b, c, r);
		if (!pos || !chain_unlink(c, pos)) {
			/* iptables-restore fails the line ("line N failed") */
			if (rulenum)
				report(b, CHECK_BAD_VALUE, &r->loc,
				       "-D %s %u: the chain has no rule %u at this point",
				       c->name, rulenum, rulenum);
			else
				report(b, CHECK_BAD_VALUE, &r->loc,
				       "-D %s: no rule of the chain is equal to this one at this point",
				       c->name);
		}
		chain_renumber(c);
		break;
	}
	case CMD_FLUSH:
		if (!r->bad)
			chain_ops_flush(b, c);
		break;
	case CMD_DELETE_CHAIN:
		if (!r->bad)
			chain_ops_delete(b, c, r);
		break;
	case CMD_RENAME:
		if (!r->bad)
			chain_ops_rename(b, c, r);
		break;
	case CMD_POLICY:
		if (ast_rule_policy(r))
			c->policy = ast_rule_policy(r);
		break;
	default:
		/* -Z, -C, -L, -S: recorded, not replayed. */
		break;
	}
}

/*
 * iptables-restore compares the whole line with "COMMIT\n": "COMMIT " or
 * "COMMIT" followed by a NUL are command lines (and fail as such).
 */
static bool is_commit(const struct build *b)
{
	const struct source *src = b->lint->sources.v[b->file];
	size_t len;

	if (!b->nwords || b->words[0].col != 1 || b->words[0].len != 6 ||
	    b->words[0].quoted || memcmp(b->words[0].s, "COMMIT", 6) != 0)
		return false;
	if (b->nwords > 1)
		return true;	/* text after it: build_commit_line says so */
	source_line(src, b->wline, &len);
	return len == 6;
}

void build_rule_line(struct build *b, const struct word *counters,
		     const struct loc *counters_loc)
{
	struct ast_rule scratch, *r = &scratch;
	struct loc first = counters_loc ? *counters_loc : build_word_loc(b, 0);

	if (!counters && is_commit(b)) {
		build_commit_line(b, WLOC(b, 0));
		return;
	}
	if (!b->table) {
		struct loc at = first;

		at.end_col = b->nwords ? b->words[b->nwords - 1].end_col
				       : first.end_col;
		report(b, CHECK_SYNTAX_ERROR, &at,
		       "command outside a *table block (a '*filter' line is missing, or a COMMIT came too early)");
		goto out;
	}
	/* command_parse() stores it, next to its matches and options. */
	memset(r, 0, sizeof(*r));
	r->table = b->table;
	r->loc = first;
	r->loc.end_col = b->nwords ? b->words[b->nwords - 1].end_col
				   : first.end_col;
	if (counters) {
		uint64_t p, by;

		if (parse_counters(counters->s, counters->len, &p, &by)) {
			r->has_counters = true;
			/* [0:0] needs no extra: ast_rule_pkts() says 0 without one. */
			if (p || by) {
				build_rule_extra(b, r)->pkts = p;
				build_rule_extra(b, r)->bytes = by;
			}
			b->rs->has_counters = true;
		} else if (!memchr(counters->s, ':', counters->len)) {
			report(b, CHECK_SYNTAX_ERROR, counters_loc,
			       "counters prefix without ':' (expected [packets:bytes])");
		}
	}
	if (!b->nwords) {
		report(b, CHECK_SYNTAX_ERROR, &first,
		       "counters without a command");
		goto out;
	}
	check_restore_limits(b);
	r = command_parse(b, r, 0);
	if (r)
		attach_rule(b, r);
out:
	build_reset_words(b);
}

static void check_line_lengths(struct build *b)
{
	const struct source *src = b->lint->sources.v[b->file];

	for (uint32_t l = 1; l <= src->nlines; l++) {
		size_t len = (l < src->nlines ? src->line_start[l] : src->len) -
			     src->line_start[l - 1];

		/* The distance to the next line is a bound: look closer only then. */
		if (len <= RESTORE_LINE_MAX)
			continue;
		source_line(src, l, &len);
		if (len > RESTORE_LINE_MAX) {
			struct loc at = { b->file, l, RESTORE_LINE_MAX + 1,
					  (uint32_t)len + 1 };

			report(b, CHECK_SYNTAX_ERROR, &at,
			       "line of %zu bytes: iptables-restore reads at most %d bytes per line and parses the rest as a new line",
			       len, RESTORE_LINE_MAX);
		}
	}
}

/*
 * Jumps to chains not created at the time (undefined-chain reports them)
 * still point at the chain if it appears later, so the graph is whole.
 */
static void resolve_jumps(struct build *b)
{
	for (uint32_t i = 0; i < b->ndeferred; i++) {
		struct ast_rule *r = b->deferred[i];

		const char *jn = ast_rule_jump_name(r);

		build_set_jump(r, ast_table_find_chain(r->table, jn, strlen(jn)));
	}
	free(b->deferred);
	b->deferred = NULL;
	b->ndeferred = b->deferred_cap = 0;
}

void build_finish(struct build *b)
{
	if (b->table)
		report_unclosed(b, NULL);
	b->table = NULL;
	check_line_lengths(b);
	resolve_jumps(b);
}
