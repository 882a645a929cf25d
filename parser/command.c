// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Interpreting one command line, the way iptables' do_parse() does with
 * getopt_long: commands (-A ...), the rule's own options (-s -d -p ...),
 * -m/-j loading extensions whose options then become available, "!"
 * before an option, unique-prefix long options, "-p tcp --dport" loading
 * the protocol's match implicitly. Everything refused is reported at the
 * word that causes it, and the line's remaining words are still read so
 * one run shows every problem.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iptlint/ast.h"
#include "iptlint/diag.h"
#include "iptlint/ext.h"
#include "parser/build.h"
#include "parser/ext_checks.h"

/* Chain and target names: XT_EXTENSION_MAXNAMELEN (29) with the NUL. */
#define CHAIN_NAME_MAX	28

/* Options that are not part of a rule: commands and parser switches. */
enum special {
	SP_NONE,
	SP_COMMAND,
	SP_JUMP,
	SP_GOTO,
	SP_MATCH,
	SP_TABLE,
	SP_WAIT,
	SP_HELP,
	SP_VERSION,
};

/* has_arg as getopt: 0 none, 1 required, 2 optional. */
struct special_opt {
	const char *name;
	uint8_t name_len;
	char short_name;
	uint8_t kind;
	uint8_t has_arg;
	uint8_t cmd;
};

static const struct special_opt special_opts[] = {
	{ "append", 6, 'A', SP_COMMAND, 1, CMD_APPEND },
	{ "delete", 6, 'D', SP_COMMAND, 1, CMD_DELETE },
	{ "check", 5, 'C', SP_COMMAND, 1, CMD_CHECK },
	{ "insert", 6, 'I', SP_COMMAND, 1, CMD_INSERT },
	{ "replace", 7, 'R', SP_COMMAND, 1, CMD_REPLACE },
	{ "list", 4, 'L', SP_COMMAND, 2, CMD_LIST },
	{ "list-rules", 10, 'S', SP_COMMAND, 2, CMD_LIST_RULES },
	{ "flush", 5, 'F', SP_COMMAND, 2, CMD_FLUSH },
	{ "zero", 4, 'Z', SP_COMMAND, 2, CMD_ZERO },
	{ "new-chain", 9, 'N', SP_COMMAND, 1, CMD_NEW_CHAIN },
	{ "delete-chain", 12, 'X', SP_COMMAND, 2, CMD_DELETE_CHAIN },
	{ "rename-chain", 12, 'E', SP_COMMAND, 1, CMD_RENAME },
	{ "policy", 6, 'P', SP_COMMAND, 1, CMD_POLICY },
	{ "jump", 4, 'j', SP_JUMP, 1, 0 },
	{ "goto", 4, 'g', SP_GOTO, 1, 0 },
	{ "match", 5, 'm', SP_MATCH, 1, 0 },
	{ "table", 5, 't', SP_TABLE, 1, 0 },
	{ "wait", 4, 'w', SP_WAIT, 2, 0 },
	{ "wait-interval", 13, 'W', SP_WAIT, 2, 0 },
	{ "help", 4, 'h', SP_HELP, 2, 0 },
	{ "version", 7, 'V', SP_VERSION, 0, 0 },
};

#define NSPECIAL (sizeof(special_opts) / sizeof(special_opts[0]))

/* Rule-building commands take matches and a target; the others do not. */
static bool cmd_takes_rule(int cmd)
{
	return cmd == CMD_APPEND || cmd == CMD_INSERT || cmd == CMD_DELETE ||
	       cmd == CMD_REPLACE || cmd == CMD_CHECK;
}

static const char cmd_letters[] = {
	[CMD_APPEND] = 'A', [CMD_INSERT] = 'I', [CMD_DELETE] = 'D',
	[CMD_REPLACE] = 'R', [CMD_NEW_CHAIN] = 'N', [CMD_DELETE_CHAIN] = 'X',
	[CMD_FLUSH] = 'F', [CMD_ZERO] = 'Z', [CMD_POLICY] = 'P',
	[CMD_RENAME] = 'E', [CMD_CHECK] = 'C', [CMD_LIST] = 'L',
	[CMD_LIST_RULES] = 'S',
};

/**
 * struct cmd_state - one line being interpreted.
 * @i:     next word
 * @bang:  index of a pending "!" word, or -1
 * @nmatch: entries used in b->match_scratch ([0] = base options)
 * @nopt:  entries used in b->opt_scratch (each match lists its own)
 * @nunknown: matches after the base one without a struct ext (modules
 *            iptlint does not model, and a jump to a chain)
 * @last_unknown: the newest of those
 * @failed: an error was reported (the rule is marked bad)
 */
struct cmd_state {
	struct build *b;
	struct ast_rule *rule;
	uint32_t i;
	uint32_t n;
	int32_t bang;
	uint32_t nmatch;
	uint32_t nopt;
	uint32_t nunknown;
	uint32_t last_unknown;
	int cmd;
	uint32_t cmd_word;
	bool have_proto;
	bool proto_inv;
	unsigned int proto;
	bool implicit_tried;
	bool failed;
	bool unknown_seen;	/* an unknown option: "needs --x" would only echo it */
};

static const struct word *cw(const struct cmd_state *st, uint32_t i)
{
	return &st->b->words[i];
}

/* Pointer to the location of word @i (valid to the end of the block). */
#define cl(st, i)	(&(struct loc){ (st)->b->file, (st)->b->wline, \
					(st)->b->words[i].col, \
					(st)->b->words[i].end_col })

static struct diag *cmd_error(struct cmd_state *st, enum check_id id,
			      const struct loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static struct diag *cmd_error(struct cmd_state *st, enum check_id id,
			      const struct loc *loc, const char *fmt, ...)
{
	struct diag *d;
	va_list ap;

	if (check_table[id].severity == SEV_ERROR) {
		st->failed = true;
		st->rule->bad = true;
		if (st->b->table)
			st->b->table->nerrors++;
	}
	va_start(ap, fmt);
	d = diag_vreport(&st->b->lint->diags, id, loc, fmt, ap);
	va_end(ap);
	return d;
}

static inline bool word_is(const struct word *w, const char *s)
{
	size_t n = strlen(s);	/* a literal: folded by the compiler */

	return w->len == n && w->s[0] == s[0] && memcmp(w->s, s, n) == 0;
}

static struct loc loc_span(const struct loc *a, const struct loc *b)
{
	struct loc l = *a;

	l.end_col = b->end_col;
	return l;
}

/* The rule's rarely used fields, allocated on first use. */
static struct ast_rule_extra *rule_extra(struct cmd_state *st)
{
	return build_rule_extra(st->b, st->rule);
}

/* ------------------------------------------------------------ scratch */

static void scratch_grow(struct build *b, uint32_t nopt, uint32_t nmatch)
{
	if (nopt > b->opt_cap) {
		uint32_t cap = b->opt_cap ? b->opt_cap : 32;

		while (cap < nopt)
			cap *= 2;
		b->opt_scratch = realloc(b->opt_scratch,
					 cap * sizeof(*b->opt_scratch));
		b->opt_next = realloc(b->opt_next,
				      cap * sizeof(*b->opt_next));
		b->opt_def = realloc(b->opt_def, cap * sizeof(*b->opt_def));
		if (!b->opt_scratch || !b->opt_next || !b->opt_def)
			abort();
		b->opt_cap = cap;
	}
	if (nmatch > b->match_cap) {
		uint32_t cap = b->match_cap ? b->match_cap : 16;

		while (cap < nmatch)
			cap *= 2;
		b->match_scratch = realloc(b->match_scratch,
					   cap * sizeof(*b->match_scratch));
		if (!b->match_scratch)
			abort();
		b->match_cap = cap;
	}
}

static inline void scratch_reserve(struct build *b, uint32_t nopt,
				   uint32_t nmatch)
{
	if (nopt > b->opt_cap || nmatch > b->match_cap)
		scratch_grow(b, nopt, nmatch);
}

/* @stored: the name as written, NUL-terminated, kept as long as the AST. */
static uint32_t add_match_named(struct cmd_state *st, const struct ext *e,
				const char *stored, struct span span,
				bool implicit)
{
	struct build *b = st->b;
	struct cmd_match *m;
	uint32_t idx = st->nmatch++;

	scratch_reserve(b, 0, st->nmatch);
	m = &b->match_scratch[idx];
	memset(m, 0, sizeof(*m));
	m->ext = e;
	m->name = stored;
	m->span = span;
	m->implicit = implicit;
	m->opt_head = m->opt_tail = CMD_NO_OPT;
	if (idx == 0)
		return idx;	/* the base options: looked up first anyway */
	if (!e) {
		st->nunknown++;
		st->last_unknown = idx;
	} else {
		if (!b->ext_count[e->id]++)
			b->ext_used[b->next_used++] = (uint8_t)e->id;
		b->ext_newest[e->id] = idx;
	}
	return idx;
}

/* Forget the previous line's extensions. */
static void ext_use_reset(struct build *b)
{
	for (uint32_t i = 0; i < b->next_used; i++)
		b->ext_count[b->ext_used[i]] = 0;
	b->next_used = 0;
}

static uint32_t add_match(struct cmd_state *st, const struct ext *e,
			  const char *name, size_t len, struct span span,
			  bool implicit)
{
	return add_match_named(st, e, e ? e->name :
			       arena_strndup(&st->b->rs->arena, name, len),
			       span, implicit);
}

static struct ast_opt *add_opt(struct cmd_state *st, uint32_t owner,
			       const struct ext_opt *def, struct span name)
{
	struct cmd_match *m = &st->b->match_scratch[owner];
	struct ast_opt *o;

	scratch_reserve(st->b, st->nopt + 1, 0);
	o = &st->b->opt_scratch[st->nopt];
	st->b->opt_next[st->nopt] = CMD_NO_OPT;
	if (m->opt_tail == CMD_NO_OPT)
		m->opt_head = st->nopt;
	else
		st->b->opt_next[m->opt_tail] = st->nopt;
	m->opt_tail = st->nopt;
	memset(o, 0, sizeof(*o));
	if (def) {
		const struct ext *e = st->b->match_scratch[owner].ext;

		o->def_ext = (uint8_t)e->id;
		o->def_opt = (uint8_t)(def - e->opts);
	} else {
		o->def_ext = AST_DEF_NONE;
	}
	st->b->opt_def[st->nopt] = def;
	o->name = name;
	st->nopt++;
	return o;
}

/* Has match @owner already got option @id? */
static struct ast_opt *find_opt(struct cmd_state *st, uint32_t owner,
				uint16_t id)
{
	for (uint32_t k = st->b->match_scratch[owner].opt_head; k != CMD_NO_OPT;
	     k = st->b->opt_next[k])
		if (st->b->opt_def[k] && st->b->opt_def[k]->id == id)
			return &st->b->opt_scratch[k];
	return NULL;
}

/* ------------------------------------------------------ option lookup */

/* Index the special options by short letter and by (first letter, length). */
void command_index_init(struct build *b)
{
	memset(b->special_short, 0, sizeof(b->special_short));
	memset(b->special_len, 0, sizeof(b->special_len));
	for (uint32_t k = 0; k < NSPECIAL; k++) {
		const struct special_opt *sp = &special_opts[k];

		b->special_short[(unsigned char)sp->short_name & 0x7f] = (uint8_t)(k + 1);
		if (sp->name[0] >= 'a' && sp->name[0] <= 'z' && sp->name_len < 32)
			b->special_len[sp->name[0] - 'a'] |= 1u << sp->name_len;
	}
}

/* Could @name be a special option exactly? (Most long options are not.) */
static bool special_may_be(const struct build *b, const char *name, size_t len)
{
	unsigned char c = (unsigned char)name[0];

	return c >= 'a' && c <= 'z' && len < 32 &&
	       (b->special_len[c - 'a'] & (1u << len));
}

/**
 * struct found - what a long or short option word resolved to.
 * @special: a command or switch (then @sp is set)
 * @owner:   match index of an extension option (then @def is set)
 */
struct found {
	const struct special_opt *sp;
	const struct ext_opt *def;
	uint32_t owner;
	bool ambiguous;
	bool exact;
};

/*
 * getopt_long over the merged option table: the base options first, then
 * the extensions loaded so far, newest first (xtables_merge_options puts
 * new options before old ones). An exact name wins; else a unique prefix.
 */
static bool lookup_long(struct cmd_state *st, const char *name, size_t len,
			struct found *f)
{
	struct found pre = { 0 };
	bool have_pre = false;
	int family = st->b->rs->family;

	memset(f, 0, sizeof(*f));
	for (int pass = 0; pass < 2; pass++) {
		bool exact = pass == 0;

		/* Most long options are no command: skip those by first letter and length. */
		if (exact && !special_may_be(st->b, name, len))
			goto extensions;
		for (uint32_t k = 0; k < NSPECIAL; k++) {
			const char *o = special_opts[k].name;
			size_t ol = special_opts[k].name_len;

			if (exact ? (ol == len && !memcmp(o, name, len))
				  : (ol > len && !memcmp(o, name, len))) {
				if (exact) {
					f->sp = &special_opts[k];
					f->exact = true;
					return true;
				}
				if (have_pre)
					pre.ambiguous = true;
				else {
					pre.sp = &special_opts[k];
					have_pre = true;
				}
			}
		}
extensions:
		/*
		 * matches[0] is the base "ip" extension; then newest first:
		 * the newest instance of the extensions that have the option.
		 * Instances of one extension answer alike, so each extension
		 * is asked once.
		 */
		for (uint32_t u = 0; u <= st->b->next_used; u++) {
			const struct ext *e;
			const struct ext_opt *o;
			uint32_t m = 0;
			bool amb = false;

			if (u) {
				e = &ext_table[st->b->ext_used[u - 1]];
				m = st->b->ext_newest[e->id];
			} else {
				e = st->b->match_scratch[0].ext;
			}
			if (exact) {
				o = ext_find_opt_exact(e, name, len, family);
				if (o && (!f->def || m > f->owner)) {
					f->def = o;
					f->owner = m;
					f->exact = true;
					if (!m)
						return true;
				}
				continue;
			}
			o = ext_find_opt(e, name, len, family, &amb);
			if (!o)
				continue;
			if (have_pre || amb || (m && st->b->ext_count[e->id] > 1)) {
				/* The same option of two instances is ambiguous too. */
				pre.ambiguous = true;
			} else {
				pre.def = o;
				pre.owner = m;
				have_pre = true;
			}
		}
		if (exact && f->def)
			return true;
	}
	if (!have_pre)
		return false;
	*f = pre;
	return true;
}

static bool lookup_short(struct cmd_state *st, char c, struct found *f)
{
	const struct ext_opt *o;

	memset(f, 0, sizeof(*f));
	if (!(c & 0x80) && st->b->special_short[(unsigned char)c]) {
		f->sp = &special_opts[st->b->special_short[(unsigned char)c] - 1];
		return true;
	}
	o = ext_find_short(c);
	if (o) {
		f->def = o;
		f->owner = 0;
		return true;
	}
	(void)st;
	return false;
}

/* -------------------------------------------------------- arguments */

/**
 * struct optarg - the argument words an option consumed.
 * @inline_arg: "--opt=value" or "-pvalue": the value is inside the word
 */
struct optarg {
	const char *s;
	uint32_t len;
	struct loc loc;
	uint32_t first, count;	/* words consumed after the option word */
	bool inline_arg;
	bool present;
};

/* The chain index hash of an argument (the reader's, when it is a word). */
static uint32_t arg_hash(const struct cmd_state *st, const struct optarg *a)
{
	if (a->count == 1 && !a->inline_arg)
		return build_word_hash(cw(st, a->first));
	return build_name_hash(a->s, a->len);
}

/* Take the word after the option as its argument (getopt "required"). */
static inline bool take_next(struct cmd_state *st, struct optarg *a)
{
	if (st->i >= st->n)
		return false;
	a->s = cw(st, st->i)->s;
	a->len = cw(st, st->i)->len;
	a->loc = *cl(st, st->i);
	a->first = st->i;
	a->count = 1;
	a->present = true;
	st->i++;
	return true;
}

/* iptables' xs_has_arg(): the next word exists and starts with neither - nor !. */
static bool next_is_value(const struct cmd_state *st)
{
	const struct word *w;

	if (st->i >= st->n)
		return false;
	w = cw(st, st->i);
	return w->len == 0 || (w->s[0] != '-' && w->s[0] != '!');
}

/* --------------------------------------------------------- protocol */

/* The match that "-p NAME" loads for options it does not know. */
static const struct ext *proto_match(const struct cmd_state *st)
{
	if (!st->have_proto)
		return NULL;
	/* The matches of these names ("udplite" is not modelled). */
	switch (st->proto) {
	case 6: return &ext_table[EXT_ID_tcp];
	case 17: return &ext_table[EXT_ID_udp];
	case 132: return &ext_table[EXT_ID_sctp];
	case 33: return &ext_table[EXT_ID_dccp];
	case 1: return &ext_table[EXT_ID_icmp];
	case 58: return &ext_table[EXT_ID_icmp6];
	default: return NULL;
	}
}

/*
 * The extension an -m or -j argument names: the reader looked the word
 * up already when it followed "-m"/"-j" as a word of its own.
 */
static const struct ext *arg_ext(const struct cmd_state *st,
				 const struct optarg *a, enum ext_kind kind)
{
	if (a->count == 1 && !a->inline_arg) {
		const struct word *w = cw(st, a->first);

		if (w->ext_kind == kind)
			return w->ext_id != AST_EXT_NONE ? &ext_table[w->ext_id] : NULL;
	}
	return ext_index_find(&st->b->ext_index, kind, a->s, a->len);
}

/* ------------------------------------------------------------ values */

static void parse_value(struct cmd_state *st, struct ast_opt *o,
			const struct ext_opt *def, const struct optarg *a)
{
	char err[160];
	struct val_ctx ctx = {
		.arena = &st->b->rs->arena,
		.family = st->b->rs->family,
		.min = def->min,
		.max = def->max,
		.choices = def->choices,
		.proto = (uint16_t)(st->have_proto ? st->proto : 0),
		.err = err,
		.errlen = sizeof(err),
	};
	int kind;

	err[0] = '\0';
	if (!def->parse) {
		o->kind = VAL_STR;
		o->v.str.s = a->s;
		o->v.str.len = a->len;
		return;
	}
	kind = def->parse(&ctx, a->s, a->len, &o->v);
	if (kind < 0) {
		cmd_error(st, CHECK_BAD_VALUE, &a->loc, "--%s: %s", def->name,
			  err[0] ? err : "invalid value");
		o->kind = VAL_NONE;
		return;
	}
	o->kind = (uint8_t)kind;
	/* "-m comment --comment 'iptlint: ...'": suppress_apply() reads it. */
	if (kind == VAL_STR && def->id == OPT_comment_COMMENT &&
	    suppress_is_directive(o->v.str.s, o->v.str.len))
		st->b->lint->suppress.rule_directives++;
}

/* Learn the family from the first address, and refuse mixing families. */
static void note_family(struct cmd_state *st, const struct ast_opt *o,
			const struct loc *at)
{
	int fam = 0;

	if (o->kind != VAL_ADDRS || !o->v.addrs)
		return;
	for (uint32_t k = 0; k < o->v.addrs->n && !fam; k++)
		fam = o->v.addrs->v[k].family;
	if (!fam)
		return;
	if (st->rule->only_family)
		return;
	if (st->b->rs->family == VAL_FAM_ANY) {
		st->b->rs->family = fam;
		if (st->b->table)
			st->b->table->family = fam;
		return;
	}
	if (st->b->rs->family != fam)
		cmd_error(st, CHECK_BAD_VALUE, at,
			  "IPv%d address in an IPv%d ruleset", fam,
			  st->b->rs->family);
}

/* --------------------------------------------------- option handling */

/* Does @def clash with an option @owner already has (a shared excl bit)? */
static bool excl_conflict(const struct cmd_state *st, uint32_t owner,
			  const struct ext_opt *def)
{
	if (!def->excl)
		return false;
	for (uint32_t k = st->b->match_scratch[owner].opt_head; k != CMD_NO_OPT;
	     k = st->b->opt_next[k]) {
		const struct ext_opt *q = st->b->opt_def[k];

		if (q && q->id != def->id && (q->excl & def->excl))
			return true;
	}
	return false;
}

static void handle_ext_opt(struct cmd_state *st, const struct found *f,
			   uint32_t word, const char *inl, size_t inl_len,
			   bool has_inline)
{
	const struct ext_opt *def = f->def;
	const struct loc *wl = cl(st, word);
	struct loc name_loc = *wl;
	struct optarg a = { 0 };
	struct ast_opt *o, *prev;
	struct cmd_match *m = &st->b->match_scratch[f->owner];
	bool inverted = st->bang >= 0;

	st->bang = -1;
	if (has_inline)
		name_loc.end_col = wl->col + (uint32_t)(inl - cw(st, word)->s) - 1;

	/* Arguments. */
	if (def->nargs >= 1) {
		if (def->flags & OF_WHOLE_WORD && has_inline) {
			/*
			 * iptables 1.8.9 takes the value of -s/-d/-p/-i/-o from
			 * argv[optind-1], i.e. the whole word.
			 */
			a.s = cw(st, word)->s;
			a.len = cw(st, word)->len;
			a.loc = *wl;
			a.present = true;
			a.inline_arg = true;
		} else if (has_inline) {
			a.s = inl;
			a.len = (uint32_t)inl_len;
			a.loc = *wl;
			a.loc.col = name_loc.end_col + 1;
			a.present = true;
			a.inline_arg = true;
		} else if (def->flags & OF_OPTIONAL_ARG) {
			if (next_is_value(st))
				take_next(st, &a);
		} else if (!take_next(st, &a)) {
			cmd_error(st, CHECK_SYNTAX_ERROR, wl,
				  "option \"%.*s\" requires an argument",
				  (int)cw(st, word)->len, cw(st, word)->s);
			return;
		}
	} else if (has_inline) {
		cmd_error(st, CHECK_SYNTAX_ERROR, wl,
			  "option \"--%s\" does not take an argument",
			  def->name);
		return;
	}

	/* "-s ! x": iptables takes "!" as the value and refuses "x". */
	if (a.present && !a.inline_arg && a.len == 1 && a.s[0] == '!') {
		const struct word *v = st->i < st->n ? cw(st, st->i) : NULL;

		cmd_error(st, CHECK_SYNTAX_ERROR, &a.loc,
			  "\"!\" goes before the option: write \"! %.*s %.*s\"",
			  (int)cw(st, word)->len, cw(st, word)->s,
			  v ? (int)v->len : 0, v ? v->s : "");
		if (v)
			st->i++;
		return;
	}
	if (inverted && !(def->flags & OF_INVERT)) {
		cmd_error(st, CHECK_SYNTAX_ERROR, &name_loc,
			  "option \"--%s\" cannot be inverted with \"!\"",
			  def->name);
	}

	/* On an error below, still step over a two-word option's second word. */
	if (def->nargs == 2 && a.present && !(f->owner == 0 &&
	    def->id == OPT_ip_SET_COUNTERS) && next_is_value(st) &&
	    ((find_opt(st, f->owner, def->id) && !(def->flags & OF_MULTI)) ||
	     excl_conflict(st, f->owner, def)))
		st->i++;
	prev = find_opt(st, f->owner, def->id);
	if (prev && !(def->flags & OF_MULTI)) {
		if (f->owner == 0 && def->short_name)
			cmd_error(st, CHECK_SYNTAX_ERROR, &name_loc,
				  "multiple -%c flags not allowed",
				  def->short_name);
		else
			cmd_error(st, CHECK_SYNTAX_ERROR, &name_loc,
				  "%s: option \"--%s\" can only be used once",
				  m->name, def->name);
		return;
	}
	/* Mutually exclusive options of one extension. */
	if (def->excl) {
		for (uint32_t k = m->opt_head; k != CMD_NO_OPT;
		     k = st->b->opt_next[k]) {
			const struct ext_opt *q = st->b->opt_def[k];

			if (!q || q->id == def->id || !(q->excl & def->excl))
				continue;
			cmd_error(st, CHECK_MISSING_OPTION, &name_loc,
				  "%s: option \"--%s\" cannot be used together with \"--%s\"",
				  m->name, def->name, q->name);
			return;
		}
	}

	o = add_opt(st, f->owner, def, span_from_loc(&name_loc));
	o->invert = inverted;
	if (a.present) {
		o->arg = span_from_loc(&a.loc);
		o->nargs = 1;
		parse_value(st, o, def, &a);
	}
	/* A second argument word (--tcp-flags MASK COMP, -c PKTS BYTES). */
	if (def->nargs == 2 && a.present) {
		if (!next_is_value(st)) {
			cmd_error(st, CHECK_SYNTAX_ERROR, &name_loc,
				  "option \"--%s\" requires two arguments",
				  def->name);
		} else {
			o->arg.end_col = cl(st, st->i)->end_col;
			o->nargs = 2;
			st->i++;
		}
	}
	/*
	 * xshared.c "-c P B": without a ',' after its first character the
	 * packet counter is followed by the byte counter in the next word.
	 */
	if (f->owner == 0 && def->id == OPT_ip_SET_COUNTERS && a.present &&
	    (a.len < 2 || !memchr(a.s + 1, ',', a.len - 1))) {
		const struct word *bw = st->i < st->n ? cw(st, st->i) : NULL;
		size_t end = 0;

		if (!next_is_value(st)) {
			cmd_error(st, CHECK_SYNTAX_ERROR, &name_loc,
				  "-c requires packet and byte counter");
		} else {
			o->v.counters.bytes = val_strtoull(bw->s, bw->len, 10,
							   &end, NULL);
			if (!end)
				cmd_error(st, CHECK_BAD_VALUE, cl(st, st->i),
					  "-c byte counter \"%.*s\" is not numeric",
					  (int)bw->len, bw->s);
			o->arg.end_col = cl(st, st->i)->end_col;
			o->nargs = 2;
			st->i++;
		}
	}
	if (f->owner == 0 && def->id == OPT_ip_PROTOCOL && o->kind == VAL_UINT) {
		st->have_proto = true;
		st->proto = (unsigned int)o->v.u;
		st->proto_inv = inverted;
		if (st->proto == 0 && inverted)
			cmd_error(st, CHECK_BAD_VALUE, &a.loc,
				  "\"! -p all\" would never match any packet");
	}
	if (f->owner == 0 && (def->id == OPT_ip_SOURCE ||
			      def->id == OPT_ip_DESTINATION))
		note_family(st, o, &a.loc);
	if (f->owner == 0 && def->id == OPT_ip_FRAGMENT &&
	    st->b->rs->family == VAL_FAM_V6)
		cmd_error(st, CHECK_BAD_VALUE, &name_loc,
			  "-f is not supported in IPv6; use -m frag");
}

static bool has_unknown_ext(const struct cmd_state *st)
{
	return st->nunknown > 0;
}

/* Options of a module iptlint does not know: keep them, judge nothing. */
static bool handle_unknown_ext_opt(struct cmd_state *st, uint32_t word,
				   bool has_inline)
{
	struct ast_opt *o;
	uint32_t owner = st->nunknown ? st->last_unknown : 0;

	if (!owner)
		return false;
	o = add_opt(st, owner, NULL, span_from_loc(cl(st, word)));
	o->invert = st->bang >= 0;
	st->bang = -1;
	if (!has_inline && next_is_value(st)) {
		o->arg = span_from_loc(cl(st, st->i));
		o->nargs = 1;
		o->kind = VAL_STR;
		o->v.str.s = cw(st, st->i)->s;
		o->v.str.len = cw(st, st->i)->len;
		st->i++;
	}
	return true;
}

/* Every extension that has an option of this name, for a helpful hint. */
static const struct ext *ext_owning(const char *name, size_t len, int kind)
{
	for (unsigned int i = 0; i < EXT_ID__COUNT; i++) {
		const struct ext *e = &ext_table[i];
		bool amb;

		if (e->kind != kind)
			continue;
		for (uint32_t k = 0; k < e->nopts; k++)
			if (strlen(e->opts[k].name) == len &&
			    !memcmp(e->opts[k].name, name, len))
				return e;
		(void)amb;
	}
	return NULL;
}

static void report_unknown_option(struct cmd_state *st, uint32_t word,
				  const char *name, size_t len, bool is_long)
{
	st->unknown_seen = true;
	const struct loc *wl = cl(st, word);
	const char *best = NULL;
	const struct ext *owner;
	struct diag *d;
	unsigned int best_d = 3;

	if (!is_long) {
		cmd_error(st, CHECK_UNKNOWN_OPTION, wl, "unknown option \"-%.*s\"",
			  (int)len, name);
		return;
	}
	/* Closest spelling among the options available on this rule. */
	for (uint32_t k = 0; k < NSPECIAL; k++) {
		unsigned int dist = val_edit_distance(name, len,
			special_opts[k].name, strlen(special_opts[k].name));

		if (dist < best_d) {
			best_d = dist;
			best = special_opts[k].name;
		}
	}
	/* The base options, then each extension once, oldest first. */
	for (uint32_t u = 0; u <= st->b->next_used; u++) {
		const struct ext *e = u ? &ext_table[st->b->ext_used[u - 1]]
					: st->b->match_scratch[0].ext;
		const char *s;

		s = ext_suggest_opt(e, name, len);
		if (s) {
			unsigned int dist = val_edit_distance(name, len, s,
							      strlen(s));

			if (dist < best_d) {
				best_d = dist;
				best = s;
			}
		}
	}
	if (best) {
		d = cmd_error(st, CHECK_UNKNOWN_OPTION, wl,
			      "unknown option \"--%.*s\"; did you mean \"--%s\"?",
			      (int)len, name, best);
		if (d) {
			char fix[64];

			snprintf(fix, sizeof(fix), "--%s", best);
			diag_fixit(d, wl, fix);
		}
		return;
	}
	owner = ext_owning(name, len, EXT_MATCH);
	if (!owner)
		owner = ext_owning(name, len, EXT_TARGET);
	if (owner && owner->kind == EXT_MATCH)
		cmd_error(st, CHECK_UNKNOWN_OPTION, wl,
			  "unknown option \"--%.*s\": it belongs to \"-m %s\"%s",
			  (int)len, name, owner->name,
			  owner->proto ? ", which also needs a matching -p" : "");
	else if (owner)
		cmd_error(st, CHECK_UNKNOWN_OPTION, wl,
			  "unknown option \"--%.*s\": it belongs to \"-j %s\"",
			  (int)len, name, owner->name);
	else
		cmd_error(st, CHECK_UNKNOWN_OPTION, wl,
			  "unknown option \"--%.*s\"", (int)len, name);
}

/* --------------------------------------------------------- specials */

static bool valid_chain_name(struct cmd_state *st, const struct word *w,
			     const struct loc *at)
{
	if (w->len == 0) {
		cmd_error(st, CHECK_BAD_VALUE, at, "empty chain name");
		return false;
	}
	if (w->len > CHAIN_NAME_MAX) {
		cmd_error(st, CHECK_BAD_VALUE, at,
			  "chain name \"%.*s\" is %u characters long; at most %d are allowed",
			  (int)w->len, w->s, w->len, CHAIN_NAME_MAX);
		return false;
	}
	return true;
}

/*
 * -E's new name has limits of its own (kernel runs, iptables 1.8.9):
 * iptables-legacy-restore takes up to 31 characters (libiptc's 32-byte
 * chain label; the kernel keeps the first 29) and iptables-nft-restore up
 * to 255 (NFT_CHAIN_MAXNAMELEN), where -N and -j stop at 28.
 */
#define RENAME_LEGACY_MAX	31
#define RENAME_NFT_MAX		255

static bool valid_new_name(struct cmd_state *st, const struct word *w,
			   const struct loc *at)
{
	if (w->len == 0) {
		cmd_error(st, CHECK_BAD_VALUE, at, "empty chain name");
		return false;
	}
	if (w->len > RENAME_NFT_MAX) {
		cmd_error(st, CHECK_BAD_VALUE, at,
			  "new chain name \"%.*s\" is %u characters long; -E takes at most %d (iptables-legacy-restore: %d)",
			  (int)w->len, w->s, w->len, RENAME_NFT_MAX,
			  RENAME_LEGACY_MAX);
		return false;
	}
	if (w->len > RENAME_LEGACY_MAX &&
	    st->b->lint->opt.backend != BACKEND_NFT) {
		cmd_error(st, CHECK_BAD_VALUE, at,
			  "new chain name \"%.*s\" is %u characters long; iptables-legacy-restore takes at most %d after -E",
			  (int)w->len, w->s, w->len, RENAME_LEGACY_MAX);
		return false;
	}
	return true;
}

static void parse_rulenum(struct cmd_state *st)
{
	const struct word *w = cw(st, st->i);
	char *end;
	unsigned long v;
	char buf[24];

	if (w->len >= sizeof(buf)) {
		v = 0;
	} else {
		memcpy(buf, w->s, w->len);
		buf[w->len] = '\0';
		v = strtoul(buf, &end, 10);
		if (*end || w->len == 0 || buf[0] == '-' || buf[0] == '+')
			v = 0;
	}
	if (v == 0 || v > INT32_MAX)
		cmd_error(st, CHECK_BAD_VALUE, cl(st, st->i),
			  "invalid rule number \"%.*s\"", (int)w->len, w->s);
	if (v)
		rule_extra(st)->rulenum = (uint32_t)v;
	st->i++;
}

static void handle_command(struct cmd_state *st, const struct special_opt *sp,
			   uint32_t word, struct optarg *a)
{
	const struct loc *wl = cl(st, word);

	if (st->bang >= 0) {
		cmd_error(st, CHECK_SYNTAX_ERROR, cl(st, (uint32_t)st->bang),
			  "\"!\" cannot come before a command");
		st->bang = -1;
	}
	if (st->cmd >= 0) {
		cmd_error(st, CHECK_SYNTAX_ERROR, wl,
			  "only one command per line: -%c was already given",
			  cmd_letters[st->cmd]);
		return;
	}
	st->cmd = sp->cmd;
	st->cmd_word = word;
	st->rule->cmd = sp->cmd;
	if (a->present) {
		struct word w = { .s = a->s, .len = a->len };

		st->rule->chain_span = span_from_loc(&a->loc);
		st->b->cmd_chain = a->s;
		st->b->cmd_chain_len = a->len;
		st->b->cmd_chain_hash = arg_hash(st, a);
		/* The name is checked; a -j given before it stays. */
		valid_chain_name(st, &w, &a->loc);
		/* The chain itself is attached by the line builder. */
	} else if (sp->has_arg == 1) {
		return;
	}
	switch (sp->cmd) {
	case CMD_INSERT:
		if (next_is_value(st))
			parse_rulenum(st);
		break;
	case CMD_DELETE:
	case CMD_ZERO:
		if (next_is_value(st))
			parse_rulenum(st);
		break;
	case CMD_LIST:
	case CMD_LIST_RULES:
		if (a->present && next_is_value(st))
			parse_rulenum(st);
		break;
	case CMD_REPLACE:
		if (next_is_value(st))
			parse_rulenum(st);
		else
			cmd_error(st, CHECK_SYNTAX_ERROR, wl,
				  "-R requires a rule number");
		break;
	case CMD_RENAME:
		if (next_is_value(st)) {
			const struct word *w = cw(st, st->i);

			if (valid_new_name(st, w, cl(st, st->i)))
				rule_extra(st)->newname = arena_strndup(
					&st->b->rs->arena, w->s, w->len);
			st->i++;
		} else {
			cmd_error(st, CHECK_SYNTAX_ERROR, wl,
				  "-E requires old-chain-name and new-chain-name");
		}
		break;
	case CMD_POLICY:
		if (next_is_value(st)) {
			const struct word *w = cw(st, st->i);

			if (!word_is(w, "ACCEPT") && !word_is(w, "DROP"))
				cmd_error(st, CHECK_BAD_VALUE, cl(st, st->i),
					  "bad policy \"%.*s\": a policy is ACCEPT or DROP",
					  (int)w->len, w->s);
			rule_extra(st)->policy = arena_strndup(&st->b->rs->arena,
							 w->s, w->len);
			st->i++;
		} else {
			cmd_error(st, CHECK_SYNTAX_ERROR, wl,
				  "-P requires a chain and a policy");
		}
		break;
	default:
		break;
	}
}

static void handle_match(struct cmd_state *st, uint32_t word,
			 const struct optarg *a)
{
	const struct ext *e;
	struct loc span = loc_span(cl(st, word), &a->loc);
	uint32_t idx;

	if (st->bang >= 0) {
		cmd_error(st, CHECK_SYNTAX_ERROR, cl(st, (uint32_t)st->bang),
			  "unexpected \"!\" before -m (put it before the match's option)");
		st->bang = -1;
	}
	e = arg_ext(st, a, EXT_MATCH);
	idx = add_match(st, e, a->s, a->len, span_from_loc(&span), false);
	if (!e) {
		const char *sug = ext_suggest(EXT_MATCH, a->s, a->len);
		struct diag *d;

		if (sug)
			d = diag_report(&st->b->lint->diags, CHECK_UNKNOWN_EXTENSION,
					&a->loc,
					"match \"%.*s\" is not modelled by iptlint (did you mean \"%s\"?); its options are not checked",
					(int)a->len, a->s, sug);
		else
			d = diag_report(&st->b->lint->diags, CHECK_UNKNOWN_EXTENSION,
					&a->loc,
					"match \"%.*s\" is not modelled by iptlint; its options are not checked",
					(int)a->len, a->s);
		(void)d;
	}
	(void)idx;
}

static void handle_jump(struct cmd_state *st, const struct special_opt *sp,
			uint32_t word, const struct optarg *a)
{
	struct loc span = loc_span(cl(st, word), &a->loc);
	const struct ext *e = NULL;
	struct word w = { .s = a->s, .len = a->len };

	if (st->bang >= 0) {
		cmd_error(st, CHECK_SYNTAX_ERROR, cl(st, (uint32_t)st->bang),
			  "cannot have \"!\" before -%c", sp->short_name);
		st->bang = -1;
	}
	if (st->rule->target >= 0) {
		cmd_error(st, CHECK_SYNTAX_ERROR, cl(st, word),
			  "multiple -j/-g flags not allowed");
		return;
	}
	if (!valid_chain_name(st, &w, &a->loc))
		return;
	if (sp->kind == SP_JUMP)
		e = arg_ext(st, a, EXT_TARGET);
	st->rule->is_goto = sp->kind == SP_GOTO;
	/*
	 * A jump to a chain that exists shares its name (a dump names each
	 * of its 400,000 chains in a jump), and the line builder need not
	 * look the chain up again.
	 */
	if (!e)
		st->b->jump_chain = build_find_chain(st->b->table, a->s, a->len,
						     arg_hash(st, a));
	if (st->b->jump_chain)
		st->rule->target = (int32_t)add_match_named(st, NULL,
			st->b->jump_chain->name, span_from_loc(&span), false);
	else
		st->rule->target = (int32_t)add_match(st, e, a->s, a->len,
						      span_from_loc(&span), false);
	st->rule->jump_named = !e;	/* the target match has the name */
}

static void handle_special(struct cmd_state *st, const struct special_opt *sp,
			   uint32_t word, const char *inl, size_t inl_len,
			   bool has_inline)
{
	struct optarg a = { 0 };
	const struct loc *wl = cl(st, word);

	if (has_inline) {
		a.s = inl;
		a.len = (uint32_t)inl_len;
		a.loc = *wl;
		a.loc.col = wl->end_col - (uint32_t)inl_len;
		a.present = true;
	} else if (sp->has_arg == 1) {
		if (!take_next(st, &a)) {
			cmd_error(st, CHECK_SYNTAX_ERROR, wl,
				  "option \"%.*s\" requires an argument",
				  (int)cw(st, word)->len, cw(st, word)->s);
			return;
		}
	} else if (sp->has_arg == 2 && next_is_value(st)) {
		take_next(st, &a);
	}

	switch (sp->kind) {
	case SP_COMMAND:
		handle_command(st, sp, word, &a);
		break;
	case SP_MATCH:
		handle_match(st, word, &a);
		break;
	case SP_JUMP:
	case SP_GOTO:
		handle_jump(st, sp, word, &a);
		break;
	case SP_TABLE:
		cmd_error(st, CHECK_SYNTAX_ERROR, wl,
			  "-t cannot be used in a restore file: the table comes from the *%s line",
			  st->b->table ? st->b->table->name : "table");
		break;
	case SP_WAIT:
		cmd_error(st, CHECK_SYNTAX_ERROR, wl,
			  "-%c cannot be used in a restore file", sp->short_name);
		break;
	case SP_HELP:
	case SP_VERSION:
		cmd_error(st, CHECK_SYNTAX_ERROR, wl,
			  "-%c in a restore file makes iptables-restore print and exit",
			  sp->short_name);
		break;
	default:
		break;
	}
}

/* --------------------------------------------------------- the loop */

static void dispatch(struct cmd_state *st, uint32_t word, const struct found *f,
		     const char *inl, size_t inl_len, bool has_inline)
{
	if (f->sp)
		handle_special(st, f->sp, word, inl, inl_len, has_inline);
	else
		handle_ext_opt(st, f, word, inl, inl_len, has_inline);
}

static void handle_long(struct cmd_state *st, uint32_t word)
{
	const struct word *w = cw(st, word);
	const char *name = w->s + 2;
	const char *eq = memchr(name, '=', w->len - 2);
	size_t len = eq ? (size_t)(eq - name) : w->len - 2;
	struct found f;

	for (;;) {
		bool hit = lookup_long(st, name, len, &f);

		/*
		 * With a module we do not know loaded, a mere prefix match
		 * ("--set" of -m recent vs --set-counters) is most likely that
		 * module's own option.
		 */
		if (hit && !f.exact && has_unknown_ext(st) &&
		    handle_unknown_ext_opt(st, word, eq != NULL))
			return;
		if (hit && !f.ambiguous)
			break;
		if (f.ambiguous) {
			cmd_error(st, CHECK_UNKNOWN_OPTION, cl(st, word),
				  "option \"--%.*s\" is ambiguous (a prefix of several options)",
				  (int)len, name);
			st->unknown_seen = true;
			st->bang = -1;
			if (!eq && next_is_value(st))
				st->i++;
			return;
		}
		/* A module iptables has and we do not: most likely its option. */
		if (handle_unknown_ext_opt(st, word, eq != NULL))
			return;
		/* "-p tcp --dport 22": iptables loads the protocol's match. */
		if (!st->implicit_tried && !st->proto_inv && proto_match(st)) {
			const struct ext *e = proto_match(st);

			st->implicit_tried = true;
			add_match(st, e, e->name, strlen(e->name),
				  span_from_loc(cl(st, word)), true);
			continue;
		}
		if (handle_unknown_ext_opt(st, word, eq != NULL))
			return;
		report_unknown_option(st, word, name, len, true);
		st->bang = -1;
		/* Its argument, if it looks like one, is not a second error. */
		if (!eq && next_is_value(st))
			st->i++;
		return;
	}
	dispatch(st, word, &f, eq ? eq + 1 : NULL,
		 eq ? w->len - 2 - len - 1 : 0, eq != NULL);
}

static bool short_takes_arg(const struct found *f)
{
	if (f->sp)
		return f->sp->has_arg == 1;
	return f->def->nargs > 0;
}

static void handle_short(struct cmd_state *st, uint32_t word)
{
	const struct word *w = cw(st, word);

	for (uint32_t k = 1; k < w->len; k++) {
		struct found f;

		if (!lookup_short(st, w->s[k], &f)) {
			report_unknown_option(st, word, w->s + k, 1, false);
			st->bang = -1;
			return;
		}
		if (short_takes_arg(&f) || (f.sp && f.sp->has_arg == 2)) {
			bool attached = k + 1 < w->len;

			dispatch(st, word, &f, attached ? w->s + k + 1 : NULL,
				 attached ? w->len - k - 1 : 0, attached);
			return;
		}
		dispatch(st, word, &f, NULL, 0, false);
	}
}

/*
 * Copy the rule (built in the caller's scratch), its matches and its
 * options into the arena, in one block in that order (see
 * ast_rule_opts()): analyses that walk many rules find a rule's matches on
 * the cache lines right after it. From here on st->rule is the copy.
 */
static void finish_rule(struct cmd_state *st)
{
	struct ast_rule *r;
	struct ast_match *ms;
	struct ast_opt *opts;
	uint32_t k = 0;

	r = arena_alloc(&st->b->rs->arena, sizeof(*r) +
			st->nmatch * sizeof(*ms) + st->nopt * sizeof(*opts));
	*r = *st->rule;
	ms = (struct ast_match *)(r + 1);
	opts = (struct ast_opt *)(ms + st->nmatch);
	for (uint32_t m = 0; m < st->nmatch; m++) {
		const struct cmd_match *cm = &st->b->match_scratch[m];

		ms[m].name = cm->name;
		ms[m].span = cm->span;
		ms[m].ext_id = cm->ext ? cm->ext->id : AST_EXT_NONE;
		ms[m].implicit = cm->implicit;
		for (uint32_t j = cm->opt_head; j != CMD_NO_OPT;
		     j = st->b->opt_next[j])
			opts[k++] = st->b->opt_scratch[j];
		ms[m].opt_end = k;
	}
	r->matches = ms;
	r->nmatches = st->nmatch;
	r->target_ext = r->target >= 0 ? ms[r->target].ext_id : AST_EXT_NONE;
	r->tests = ast_rule_tests(r);
	st->rule = r;
}

static void check_requirements(struct cmd_state *st)
{
	struct ast_rule *r = st->rule;

	for (uint32_t m = 1; m < r->nmatches; m++) {
		struct ast_match *am = &r->matches[m];
		const struct ext *e = ast_match_ext(am);
		/* The rule is still being built: its options may be amended. */
		struct ast_opt *opts = (struct ast_opt *)(r->matches + r->nmatches) +
				       r->matches[m - 1].opt_end;
		uint32_t nopts = ast_match_nopts(r, am);
		uint32_t need = 0, have = 0;
		struct loc at = loc_from_span(&r->loc, am->span);

		if (!e)
			continue;
		need = st->b->ext_need[e->id];
		for (uint32_t k = 0; k < nopts; k++)
			have |= ast_opt_def(&opts[k])->need;
		need &= ~have;
		if (st->unknown_seen)
			need = 0;
		while (need) {
			uint32_t bit = need & -need;
			char list[256];
			size_t len = 0;

			list[0] = '\0';
			for (uint32_t k = 0; k < e->nopts && len < sizeof(list) - 40; k++) {
				const struct ext_opt *o = &e->opts[k];

				if (!(o->need & bit) || (o->flags & OF_ALIAS))
					continue;
				len += (size_t)snprintf(list + len, sizeof(list) - len,
							"%s--%s", len ? ", " : "", o->name);
			}
			cmd_error(st, CHECK_MISSING_OPTION, &at,
				  "%s %s needs %s%s", e->kind == EXT_TARGET ? "-j" : "-m",
				  e->name, strchr(list, ',') ? "one of " : "", list);
			need &= ~bit;
		}
		/*
		 * The kernel's .proto: legacy refuses "! -p tcp -m tcp" too,
		 * nft only a missing or different -p.
		 */
		if (e->proto && (!st->have_proto || st->proto != e->proto ||
				 (st->proto_inv &&
				  st->b->lint->opt.backend != BACKEND_NFT))) {
			const char *pn = val_proto_name(e->proto);

			cmd_error(st, CHECK_MISSING_OPTION, &at,
				  "%s %s only works with \"-p %s\" (the kernel refuses the rule otherwise)",
				  e->kind == EXT_TARGET ? "-j" : "-m", e->name,
				  pn ? pn : "?");
		}
		if (e->families && st->b->rs->family != VAL_FAM_ANY &&
		    !(e->families & (st->b->rs->family == VAL_FAM_V6 ? FAM_V6 : FAM_V4)))
			cmd_error(st, CHECK_BAD_VALUE, &at,
				  "%s %s does not exist for IPv%d",
				  e->kind == EXT_TARGET ? "-j" : "-m", e->name,
				  st->b->rs->family);
		if (e->check && !st->unknown_seen) {
			struct ext_check_ctx ctx = {
				.b = st->b,
				.rule = r,
				.m = am,
				.opts = opts,
				.nopts = nopts,
				.family = st->b->rs->family,
				.proto = st->have_proto ? st->proto : 0,
				.proto_inv = st->proto_inv,
			};

			e->check(&ctx);
			if (r->bad)
				st->failed = true;
		}
	}
}

/* 4 or 6 for a line carrying -4/--ipv4 or -6/--ipv6, else 0. */
static int line_family_marker(const struct build *b, uint32_t first)
{
	for (uint32_t i = first; i < b->nwords; i++) {
		const struct word *w = &b->words[i];
		char last;

		if ((w->len != 2 && w->len != 6) || w->s[0] != '-')
			continue;
		last = w->s[w->len - 1];
		if (last != '4' && last != '6')
			continue;
		if (word_is(w, "-4") || word_is(w, "--ipv4"))
			return VAL_FAM_V4;
		if (word_is(w, "-6") || word_is(w, "--ipv6"))
			return VAL_FAM_V6;
	}
	return 0;
}

struct ast_rule *command_parse(struct build *b, struct ast_rule *rule,
			       uint32_t first)
{
	struct cmd_state st = {
		.b = b,
		.rule = rule,
		.i = first,
		.n = b->nwords,
		.bang = -1,
		.cmd = -1,
	};

	int marked, saved_family = b->rs->family;

	b->cmd_chain = NULL;
	b->cmd_chain_len = 0;
	b->jump_chain = NULL;
	ext_use_reset(b);
	/* The reader found the marker of the whole line already. */
	marked = first == 0 ? b->family_marker : line_family_marker(b, first);

	rule->target = -1;
	if (marked && b->rs->family != VAL_FAM_ANY && marked != b->rs->family) {
		/* "-6" lines are skipped by iptables-restore, "-4" by ip6tables-restore. */
		rule->ignored = true;
		return NULL;
	}
	if (marked && b->rs->family == VAL_FAM_ANY) {
		rule->only_family = (uint8_t)marked;
		b->rs->family = marked;
	}
	add_match(&st, &ext_table[EXT_ID_ip], "ip", 2, (struct span){ 0, 0 },
		  false);
	while (st.i < st.n) {
		uint32_t word = st.i++;
		const struct word *w = cw(&st, word);

		if (w->len && w->s[0] == '#' && !w->quoted) {
			/* iptables: Bad argument `#' (and nothing after it counts) */
			cmd_error(&st, CHECK_SYNTAX_ERROR, cl(&st, word),
				  "a comment must start at the beginning of a line: iptables-restore reads \"%.*s\" as an argument",
				  (int)w->len, w->s);
			st.i = st.n;
			break;
		}
		if (word_is(w, "!")) {
			if (st.bang >= 0)
				cmd_error(&st, CHECK_SYNTAX_ERROR, cl(&st, word),
					  "multiple consecutive \"!\" not allowed");
			st.bang = (int32_t)word;
			continue;
		}
		if (w->len > 2 && w->s[0] == '-' && w->s[1] == '-') {
			handle_long(&st, word);
		} else if (w->len >= 2 && w->s[0] == '-' && w->s[1] != '-') {
			handle_short(&st, word);
		} else if (word == first && word_is(w, "COMMIT")) {
			cmd_error(&st, CHECK_SYNTAX_ERROR, cl(&st, word),
				  "\"COMMIT\" must be alone on its line, without blanks or other bytes after it");
			st.i = st.n;
		} else {
			cmd_error(&st, CHECK_SYNTAX_ERROR, cl(&st, word),
				  "unexpected word \"%.*s\" (iptables: Bad argument)",
				  (int)w->len, w->s);
			st.bang = -1;
		}
	}
	if (st.bang >= 0)
		cmd_error(&st, CHECK_SYNTAX_ERROR, cl(&st, (uint32_t)st.bang),
			  "nothing appropriate follows \"!\"");
	if (st.cmd < 0 && !st.failed)
		cmd_error(&st, CHECK_SYNTAX_ERROR, &rule->loc,
			  "no command specified (expected -A CHAIN, -I CHAIN, -N CHAIN, ...)");
	if (st.cmd >= 0 && !cmd_takes_rule(st.cmd)) {
		/* iptables: "Illegal option `-j' with this command". */
		bool any = st.rule->target >= 0 || st.nmatch > 1;

		for (uint32_t k = 0; k < st.nopt && !any; k++)
			any = st.b->opt_def[k] &&
			      st.b->opt_def[k]->id != OPT_ip_VERBOSE;
		if (any)
			cmd_error(&st, CHECK_SYNTAX_ERROR, cl(&st, st.cmd_word),
				  "-%c takes no rule options (matches, target, addresses)",
				  cmd_letters[st.cmd]);
	}
	if (st.cmd >= 0 && cmd_takes_rule(st.cmd)) {
		for (uint32_t k = 0; k < st.nopt; k++) {
			const struct ext_opt *d = st.b->opt_def[k];

			if (d && (d->id == OPT_ip_NUMERIC || d->id == OPT_ip_EXACT ||
				  d->id == OPT_ip_LINE_NUMBERS))
				cmd_error(&st, CHECK_SYNTAX_ERROR,
					  &(struct loc){ rule->loc.file, rule->loc.line,
						st.b->opt_scratch[k].name.col,
						st.b->opt_scratch[k].name.end_col },
					  "--%s cannot be used with -%c", d->name,
					  cmd_letters[st.cmd]);
		}
	}
	finish_rule(&st);
	check_requirements(&st);
	b->rs->family = saved_family;
	return st.rule;
}
