// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Finding fingerprints (output/fingerprint.h): one function for SARIF's
 * partialFingerprints and for the baseline.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iptlint/rulekey.h"
#include "output/fingerprint.h"

/* The rule on each line of each file, for findings that point at one. */
struct line_rules {
	const struct ast_rule **by_line;
	uint32_t nlines;
};

/* How often each fingerprint was given out: equal findings get numbered. */
struct fp_counts {
	uint64_t *key;
	uint32_t *count;
	uint32_t size;
};

static uint32_t fp_bump(struct fp_counts *fc, uint64_t h)
{
	uint32_t i = (uint32_t)h & (fc->size - 1);

	while (fc->count[i] && fc->key[i] != h)
		i = (i + 1) & (fc->size - 1);
	fc->key[i] = h;
	return fc->count[i]++;
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211ull;
	return h;
}

static struct line_rules *index_rules(const struct source_set *src,
				      const struct ast_ruleset *rs)
{
	struct line_rules *ix = calloc(src->n ? src->n : 1, sizeof(*ix));

	if (!ix)
		abort();
	for (uint32_t f = 0; f < src->n; f++) {
		ix[f].nlines = src->v[f]->nlines;
		ix[f].by_line = calloc(ix[f].nlines + 1, sizeof(*ix[f].by_line));
		if (!ix[f].by_line)
			abort();
	}
	for (const struct ast_table *t = rs ? rs->tables : NULL; t; t = t->next)
		for (const struct ast_rule *r = t->rules; r; r = r->next_in_table)
			if (r->loc.file < src->n && r->loc.line <= ix[r->loc.file].nlines)
				ix[r->loc.file].by_line[r->loc.line] = r;
	return ix;
}

/*
 * Stable across inserted lines: the rule's canonical form within its
 * table and chain, and its rank among equal rules of that chain.
 */
static uint64_t fingerprint(const struct source_set *src,
			    const struct line_rules *ix, struct fp_counts *fc,
			    const struct diag *d)
{
	const struct ast_rule *r = NULL;
	const char *name = check_table[d->check].name;
	uint64_t h = fnv(1469598103934665603ull, name, strlen(name) + 1);
	uint32_t seen = 0;

	if (d->loc.file < src->n && d->loc.line <= ix[d->loc.file].nlines)
		r = ix[d->loc.file].by_line[d->loc.line];
	if (r) {
		const struct source *s = src->v[r->loc.file];
		struct rule_key k = { 0 };

		rule_key_build(&k, r, s);
		h = fnv(h, r->table->name, strlen(r->table->name) + 1);
		if (r->chain)
			h = fnv(h, r->chain->name, r->chain->name_len + 1);
		h = fnv(h, &r->cmd, sizeof(r->cmd));
		h = fnv(h, k.p, k.len);
		rule_key_free(&k);
	} else {
		/* A declaration or a line that did not parse: its trimmed text. */
		size_t len = 0;
		const char *line = "";

		if (d->loc.file < src->n)
			line = source_line(src->v[d->loc.file], d->loc.line, &len);
		while (len && (line[len - 1] == ' ' || line[len - 1] == '\t'))
			len--;
		while (len && (*line == ' ' || *line == '\t')) {
			line++;
			len--;
		}
		h = fnv(h, line, len);
	}
	/* Equal findings on equal rules: number them in output order. */
	seen = fp_bump(fc, h);
	h = fnv(h, &seen, sizeof(seen));
	return h;
}

void fingerprint_compute(const struct diag_queue *q,
			 const struct source_set *src,
			 const struct ast_ruleset *rs, uint64_t *out)
{
	struct line_rules *ix = index_rules(src, rs);
	struct fp_counts fc = { 0 };

	fc.size = 16;
	while (fc.size < 2 * q->n)
		fc.size *= 2;
	fc.key = calloc(fc.size, sizeof(*fc.key));
	fc.count = calloc(fc.size, sizeof(*fc.count));
	if (!fc.key || !fc.count)
		abort();
	for (uint32_t i = 0; i < q->n; i++)
		out[i] = fingerprint(src, ix, &fc, &q->v[i]);
	for (uint32_t f = 0; f < src->n; f++)
		free(ix[f].by_line);
	free(ix);
	free(fc.key);
	free(fc.count);
}

void fingerprint_queue(struct diag_queue *q, const struct source_set *src,
		       const struct ast_ruleset *rs)
{
	uint64_t *fp = calloc(q->n ? q->n : 1, sizeof(*fp));

	if (!fp)
		abort();
	fingerprint_compute(q, src, rs, fp);
	for (uint32_t i = 0; i < q->n; i++)
		q->v[i].fingerprint = fp[i];
	q->fingerprinted = true;
	free(fp);
}

void fingerprint_format(uint64_t fp, char *buf, size_t size)
{
	snprintf(buf, size, "%016llx", (unsigned long long)fp);
}

bool fingerprint_parse(const char *s, uint64_t *fp)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < FINGERPRINT_HEX_LEN; i++) {
		char c = s[i];

		if (c >= '0' && c <= '9')
			v = v << 4 | (uint64_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v = v << 4 | (uint64_t)(c - 'a' + 10);
		else
			return false;
	}
	if (s[i] != '\0')
		return false;
	*fp = v;
	return true;
}
