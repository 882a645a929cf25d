// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Suppressions, ShellCheck style:
 *
 *   # iptlint: disable=NAME[,NAME]        the next rule (comment lines
 *                                         directly above it)
 *   # iptlint: disable-file=NAME[,NAME]   the whole file, from anywhere
 *   -m comment --comment "iptlint: disable=NAME"
 *                                         the rule itself: the comment is
 *                                         in the kernel, so it survives an
 *                                         iptables-save round trip
 *
 * "all" names every check. A name that is no check, and a suppression
 * that silenced nothing, get a note (bad-suppression).
 */
#include <stdlib.h>
#include <string.h>

#include "iptlint/lint.h"
#include "iptlint/suppress.h"

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * Parse "iptlint: disable=a,b" (or disable-file=) at @s. Returns the kind,
 * and the name list in @names (length @nlen); 0 when it is no suppression.
 */
static int parse_directive(const char *s, size_t len, const char **names,
			   size_t *nlen)
{
	static const char tag[] = "iptlint:";
	size_t i = 0;
	int kind;

	while (i < len && is_blank(s[i]))
		i++;
	if (len - i < sizeof(tag) - 1 || memcmp(s + i, tag, sizeof(tag) - 1))
		return 0;
	i += sizeof(tag) - 1;
	while (i < len && is_blank(s[i]))
		i++;
	if (len - i >= 13 && !memcmp(s + i, "disable-file=", 13)) {
		kind = SUPPRESS_FILE;
		i += 13;
	} else if (len - i >= 8 && !memcmp(s + i, "disable=", 8)) {
		kind = SUPPRESS_NEXT;
		i += 8;
	} else {
		return 0;
	}
	*names = s + i;
	*nlen = 0;
	while (i + *nlen < len && !is_blank(s[i + *nlen]))
		(*nlen)++;
	return kind;
}

bool suppress_is_directive(const char *s, size_t len)
{
	const char *names;
	size_t nlen;

	return parse_directive(s, len, &names, &nlen) != 0;
}

void suppress_add_comment(struct suppressions *sp, struct arena *arena,
			  const struct loc *loc, const char *text, size_t len)
{
	const char *names;
	size_t nlen;
	int kind;
	struct suppression *e;

	/* text starts at the '#' */
	if (len && text[0] == '#') {
		text++;
		len--;
	}
	kind = parse_directive(text, len, &names, &nlen);
	if (!kind)
		return;
	if (sp->n == sp->cap) {
		sp->cap = sp->cap ? sp->cap * 2 : 8;
		sp->v = realloc(sp->v, sp->cap * sizeof(*sp->v));
		if (!sp->v)
			abort();
	}
	e = &sp->v[sp->n++];
	memset(e, 0, sizeof(*e));
	e->kind = kind;
	e->loc = *loc;
	e->names = arena_strndup(arena, names, nlen);
}

/* Does the comma list @names name check @id ("all": every check)? */
static bool names_check(const char *names, int id)
{
	const char *want = check_table[id].name;
	size_t wl = strlen(want);

	for (const char *p = names; *p;) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);

		if ((n == wl && !memcmp(p, want, n)) || (n == 3 && !memcmp(p, "all", 3)))
			return true;
		if (!end)
			break;
		p = end + 1;
	}
	return false;
}

/* The rule on each line of each file. */
static const struct ast_rule ***index_rules(const struct lint *lint)
{
	const struct ast_rule ***ix = calloc(lint->sources.n ? lint->sources.n : 1,
					     sizeof(*ix));

	if (!ix)
		abort();
	for (uint32_t f = 0; f < lint->sources.n; f++) {
		ix[f] = calloc(lint->sources.v[f]->nlines + 1, sizeof(**ix));
		if (!ix[f])
			abort();
	}
	for (const struct ast_table *t = lint->rs.tables; t; t = t->next)
		for (const struct ast_rule *r = t->rules; r; r = r->next_in_table)
			if (r->loc.file < lint->sources.n &&
			    r->loc.line <= lint->sources.v[r->loc.file]->nlines)
				ix[r->loc.file][r->loc.line] = r;
	return ix;
}

/*
 * The rule a "disable=" comment line applies to: the first rule below
 * it, across other comment lines only.
 */
static const struct ast_rule *rule_below(const struct lint *lint,
					 const struct ast_rule **lines,
					 const struct loc *at)
{
	const struct source *src = lint->sources.v[at->file];

	for (uint32_t l = at->line + 1; l <= src->nlines; l++) {
		size_t len;
		const char *s = source_line(src, l, &len);

		if (lines[l])
			return lines[l];
		if (!len || s[0] != '#')
			return NULL;
	}
	return NULL;
}

/*
 * The rule-comment directive of @r ("-m comment --comment 'iptlint:
 * disable=...'"): its option, and the names in @buf. NULL when none.
 */
static const struct ast_opt *rule_directive(const struct ast_rule *r,
					    char *buf, size_t size)
{
	for (uint32_t m = 1; m < r->nmatches; m++) {
		const struct ast_match *am = &r->matches[m];
		const struct ext *e = ast_match_ext(am);
		const struct ast_opt *opts = ast_match_opts(r, am);

		if (!e || e->id != EXT_ID_comment)
			continue;
		for (uint32_t k = 0; k < ast_match_nopts(r, am); k++) {
			const struct ast_opt *o = &opts[k];
			const char *names;
			size_t nlen;

			if (o->kind != VAL_STR ||
			    parse_directive(o->v.str.s, o->v.str.len, &names,
					    &nlen) != SUPPRESS_NEXT)
				continue;
			if (nlen >= size)
				nlen = size - 1;
			memcpy(buf, names, nlen);
			buf[nlen] = '\0';
			return o;
		}
	}
	return NULL;
}

/* A "-m comment --comment 'iptlint: disable=...'" on @r naming @id. */
static bool rule_comment_disables(const struct ast_rule *r, int id, bool *known)
{
	char buf[256];

	if (!rule_directive(r, buf, sizeof(buf)))
		return false;
	*known = true;
	return names_check(buf, id);
}

static bool names_all_known(const char *names, const char **bad, size_t *badlen)
{
	for (const char *p = names; *p;) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		char buf[64];

		if (n && n < sizeof(buf)) {
			memcpy(buf, p, n);
			buf[n] = '\0';
		}
		if (!n || n >= sizeof(buf) ||
		    (strcmp(buf, "all") && check_lookup(buf) < 0)) {
			*bad = p;
			*badlen = n;
			return false;
		}
		if (!end)
			break;
		p = end + 1;
	}
	return true;
}

static bool rule_used(const struct ast_rule **used, uint32_t n,
		      const struct ast_rule *r)
{
	for (uint32_t i = 0; i < n; i++)
		if (used[i] == r)
			return true;
	return false;
}

void suppress_apply(struct lint *lint)
{
	struct suppressions *sp = &lint->suppress;
	const struct ast_rule ***lines;
	const struct ast_rule **targets;
	struct diag_queue *q = &lint->diags;
	uint32_t kept = 0, nused = 0, capused = 0;
	const struct ast_rule **used = NULL;
	bool any_comment = false;

	/* No directive anywhere: nothing to silence, nothing to note. */
	if (!sp->n && !sp->rule_directives)
		return;
	lines = index_rules(lint);
	targets = calloc(sp->n ? sp->n : 1, sizeof(*targets));
	if (!targets)
		abort();
	for (uint32_t i = 0; i < sp->n; i++)
		if (sp->v[i].kind == SUPPRESS_NEXT)
			targets[i] = rule_below(lint, lines[sp->v[i].loc.file],
						&sp->v[i].loc);
	for (uint32_t i = 0; i < q->n; i++) {
		struct diag *d = &q->v[i];
		const struct ast_rule *r = NULL;
		bool silenced = false, known = false;

		if (d->loc.file < lint->sources.n &&
		    d->loc.line <= lint->sources.v[d->loc.file]->nlines)
			r = lines[d->loc.file][d->loc.line];
		for (uint32_t k = 0; k < sp->n && !silenced; k++) {
			struct suppression *e = &sp->v[k];

			if (e->loc.file != d->loc.file || !names_check(e->names, (int)d->check))
				continue;
			if (e->kind == SUPPRESS_FILE || (r && targets[k] == r)) {
				silenced = true;
				e->used = true;
			}
		}
		if (!silenced && r && sp->rule_directives &&
		    rule_comment_disables(r, (int)d->check, &known)) {
			silenced = true;
			if (nused == capused) {
				capused = capused ? capused * 2 : 8;
				used = realloc(used, capused * sizeof(*used));
				if (!used)
					abort();
			}
			used[nused++] = r;
		}
		any_comment |= known;
		if (silenced) {
			free(d->msg);
			for (uint32_t n = 0; n < d->nnotes; n++)
				free(d->notes[n].msg);
			free(d->notes);
			free(d->fixit);
			q->count[d->check]--;
			continue;
		}
		q->v[kept++] = *d;
	}
	q->n = kept;
	/* Rule-comment directives: known names, and silencing something. */
	(void)any_comment;
	for (const struct ast_table *t = sp->rule_directives ? lint->rs.tables : NULL;
	     t; t = t->next) {
		for (const struct ast_rule *r = t->rules; r; r = r->next_in_table) {
			char buf[256];
			const struct ast_opt *o = rule_directive(r, buf, sizeof(buf));
			const char *bad;
			size_t badlen;
			struct loc at;

			if (!o)
				continue;
			at = ast_opt_arg_loc(r, o);
			if (!names_all_known(buf, &bad, &badlen))
				diag_report(q, CHECK_BAD_SUPPRESSION, &at,
					    "\"%.*s\" is not a check name (iptlint --list-checks)",
					    (int)badlen, bad);
			else if (!rule_used(used, nused, r))
				diag_report(q, CHECK_BAD_SUPPRESSION, &at,
					    "this suppression silences nothing on its rule");
		}
	}
	free(used);
	/* Directives that name no check, or silence nothing. */
	for (uint32_t i = 0; i < sp->n; i++) {
		struct suppression *e = &sp->v[i];
		const char *bad;
		size_t badlen;

		if (!names_all_known(e->names, &bad, &badlen))
			diag_report(q, CHECK_BAD_SUPPRESSION, &e->loc,
				    "\"%.*s\" is not a check name (iptlint --list-checks)",
				    (int)badlen, bad);
		else if (!e->used)
			diag_report(q, CHECK_BAD_SUPPRESSION, &e->loc,
				    e->kind == SUPPRESS_FILE ?
				    "this suppression silences nothing in the file" :
				    "this suppression silences nothing on the rule below it");
	}
	for (uint32_t f = 0; f < lint->sources.n; f++)
		free(lines[f]);
	free(lines);
	free(targets);
}

void suppress_free(struct suppressions *sp)
{
	free(sp->v);
	memset(sp, 0, sizeof(*sp));
}
