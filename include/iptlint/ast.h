/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IPTLINT_AST_H
#define IPTLINT_AST_H

#include <stdbool.h>
#include <stdint.h>

#include "iptlint/arena.h"
#include "iptlint/ext.h"
#include "iptlint/loc.h"
#include "iptlint/values.h"

/*
 * The located AST: ruleset -> tables -> chains and rules -> matches and
 * target -> options with parsed values. Options are stored compactly (a
 * column span on the rule's line); ast_opt_loc() gives the full location.
 */

enum ast_cmd {
	CMD_APPEND,		/* -A */
	CMD_INSERT,		/* -I */
	CMD_DELETE,		/* -D */
	CMD_REPLACE,		/* -R */
	CMD_NEW_CHAIN,		/* -N */
	CMD_DELETE_CHAIN,	/* -X */
	CMD_FLUSH,		/* -F */
	CMD_ZERO,		/* -Z */
	CMD_POLICY,		/* -P */
	CMD_RENAME,		/* -E */
	CMD_CHECK,		/* -C */
	CMD_LIST,		/* -L */
	CMD_LIST_RULES,		/* -S */
};

/* ast_opt.def_ext of an option of an unknown extension. */
#define AST_DEF_NONE	0xffu

/**
 * struct ast_opt - one option and its argument(s).
 * @v:     the parsed value, of kind @kind
 * @name:  span of the option word ("--dport"), after any "!"
 * @arg:   span of the argument word(s); {0,0} when there is none
 * @def_ext, @def_opt: the option's descriptor is
 *         ext_table[def_ext].opts[def_opt]; def_ext is AST_DEF_NONE for an
 *         unknown extension's option: use ast_opt_def()
 * @invert: a "!" came before it
 * @kind:  enum val_kind of @v
 * @nargs: argument words (0, 1 or 2)
 *
 * A kube-proxy dump holds 1.6 million of these: 40 bytes each.
 */
struct ast_opt {
	union val v;
	struct span name;
	struct span arg;
	uint8_t def_ext;
	uint8_t def_opt;
	uint8_t invert;
	uint8_t kind;
	uint8_t nargs;
};

_Static_assert(EXT_ID__COUNT < AST_DEF_NONE, "ast_opt.def_ext is 8 bits");

/* The option's descriptor; NULL for an unknown extension's option. */
static inline const struct ext_opt *ast_opt_def(const struct ast_opt *o)
{
	return o->def_ext != AST_DEF_NONE ?
	       &ext_table[o->def_ext].opts[o->def_opt] : NULL;
}

/* The option's enum opt_id; OPT_NONE for an unknown extension's option. */
static inline enum opt_id ast_opt_id(const struct ast_opt *o)
{
	return o->def_ext != AST_DEF_NONE ?
	       (enum opt_id)ext_table[o->def_ext].opts[o->def_opt].id : OPT_NONE;
}

/* ast_match.ext_id of an extension iptlint does not model. */
#define AST_EXT_NONE	0xffffu

/**
 * struct ast_match - a match (-m name, or implicit), the target, or the
 * rule's base options (matches[0], ext = "ip").
 * @name: the extension name as written (NUL-terminated)
 * @span: the "-m name" / "-j NAME" words
 * @opt_end: one past this match's last option in the rule's option array;
 *        its options start where the previous match's end (0 for
 *        matches[0]): use ast_match_opts() and ast_match_nopts()
 * @ext_id: enum ext_id of its descriptor, AST_EXT_NONE for an unknown
 *        extension: use ast_match_ext()
 * @implicit: loaded by "-p tcp --dport" without "-m tcp"
 *
 * A kube-proxy dump holds two million of these: 24 bytes each.
 */
struct ast_match {
	const char *name;
	struct span span;
	uint32_t opt_end;
	uint16_t ext_id;
	bool implicit;
};

/* The match's descriptor; NULL for an unknown extension. */
static inline const struct ext *ast_match_ext(const struct ast_match *m)
{
	return m->ext_id != AST_EXT_NONE ? &ext_table[m->ext_id] : NULL;
}

struct ast_chain;
struct ast_table;

/**
 * struct ast_rule_extra - what few command lines carry (see struct ast_rule).
 * @pkts, @bytes: from a "[p:b]" prefix (valid when the rule has_counters)
 * @rulenum: for -I/-R/-D/-Z/-L/-S with a number (0 = none)
 * @policy: for -P: the policy target name
 * @newname: for -E
 */
struct ast_rule_extra {
	uint64_t pkts, bytes;
	const char *policy;
	const char *newname;
	uint32_t rulenum;
};

/**
 * struct ast_rule - one command line inside a table.
 * @loc:   the whole line (column 1 to end of content)
 * @cmd:   the command; most files only use -A
 * @chain: chain named by the command (created on first use if undeclared;
 *         see ast_chain.declared), NULL for commands without one
 * @chain_span: the chain name word
 * @matches: matches[0] = base options; then each -m in order; the
 *         options follow the array (ast_rule_opts())
 * @target: index into @matches of the -j/-g target, or -1
 * @jump:  for a target naming a user chain: that chain (resolved after the
 *         table is read), else NULL; ast_rule_jump_name() gives the name
 *         either way
 * @extra: counters, rule number, -P policy, -E new name; NULL when the
 *         line has none of them (read them with the accessors below)
 * @is_goto: the target was given with -g
 * @has_counters: the line had a "[p:b]" prefix (see ast_rule_pkts())
 * @index: position among the chain's rules (0-based, -A/-I only)
 * @bad:   the line had an error; analyses skip it
 * @ignored: a dual-stack line for the other family (-6 in an IPv4 file):
 *          iptables-restore skips it, so does everything else
 * @jump_named: the target names no extension (a chain, or an unknown
 *          target): see ast_rule_jump_name()
 * @only_family: the line is marked -4/-6 in a file of unknown family: it
 *          is checked as that family, but analyses do not rely on it
 * @target_ext: the target's ext_id (AST_EXT_NONE: none, or not an
 *          extension), for analyses that look at the targets of many rules
 *          (ast_rule_target_ext())
 * @in_chain: the rule is in its chain's rule list now (-A/-I/-R put it
 *          there, -D/-R/-F take it out): only such rules reach the kernel
 *
 * A kube-proxy dump holds half a million of these: fields that only rare
 * lines use live in @extra.
 */
struct ast_rule {
	/* what analyses walking every rule read: first, on one cache line */
	struct ast_rule *next_in_chain;
	struct ast_chain *jump;
	struct ast_table *table;
	int32_t target;
	uint32_t jump_id;	/* jump->id and jump->builtin, copied here: */
	uint16_t target_ext;	/* graph walks then read no chain per rule */
	uint8_t cmd;
	uint8_t only_family;
	uint8_t tests;		/* AST_TESTS_* (ast_rule_tests()) */
	/* one-bit flags: a kube-proxy dump has 560,000 rules */
	bool jump_builtin : 1;
	bool is_goto : 1;
	bool has_counters : 1;
	bool bad : 1;
	bool ignored : 1;
	bool jump_before_decl : 1;	/* -j/-g to a chain not declared by then */
	bool jump_named : 1;
	bool in_chain : 1;
	/* the rest */
	struct ast_rule *next_in_table;
	struct ast_chain *chain;
	struct ast_match *matches;
	const struct ast_rule_extra *extra;
	struct loc loc;
	struct span chain_span;
	uint32_t nmatches;
	uint32_t index;
};

/*
 * What a rule tests, for analyses that skip most rules without reading
 * their matches: packet header fields or anything else iptlint does not
 * follow (addresses, ports, interfaces, other matches); nfmark/ctmark
 * (-m mark, -m connmark, -m socket which can restore a socket mark);
 * conntrack state (-m conntrack, -m state).
 */
#define AST_TESTS_HEADER	0x1
#define AST_TESTS_MARK		0x2
#define AST_TESTS_STATE		0x4

/* Computes the AST_TESTS_* set of @r (stored in r->tests by the parser). */
uint8_t ast_rule_tests(const struct ast_rule *r);

/* The target's descriptor, without reading the matches; NULL if none. */
static inline const struct ext *ast_rule_target_ext(const struct ast_rule *r)
{
	return r->target_ext != AST_EXT_NONE ? &ext_table[r->target_ext] : NULL;
}

/* The chain (or unknown target) name of the -j/-g, or NULL. */
static inline const char *ast_rule_jump_name(const struct ast_rule *r)
{
	return r->jump_named ? r->matches[r->target].name : NULL;
}

static inline uint64_t ast_rule_pkts(const struct ast_rule *r)
{
	return r->extra ? r->extra->pkts : 0;
}

static inline uint64_t ast_rule_bytes(const struct ast_rule *r)
{
	return r->extra ? r->extra->bytes : 0;
}

static inline uint32_t ast_rule_rulenum(const struct ast_rule *r)
{
	return r->extra ? r->extra->rulenum : 0;
}

static inline const char *ast_rule_policy(const struct ast_rule *r)
{
	return r->extra ? r->extra->policy : NULL;
}

static inline const char *ast_rule_newname(const struct ast_rule *r)
{
	return r->extra ? r->extra->newname : NULL;
}

/**
 * struct ast_chain - a chain of one table.
 * @name:   its name now (-E renames a chain in place)
 * @builtin: one of the table's hook chains (then @hook is valid)
 * @declared: has a ":NAME" line (or -N); @decl is its location
 * @ndecls: number of declarations (>1 is duplicate-chain)
 * @policy: builtin chain policy ("ACCEPT"/"DROP"), NULL for "-"
 * @rules:  rules in chain order (after -I/-D/-R/-F are applied)
 * @nlinks: -j/-g to it from rules in the table's chains now (-X refuses
 *          to delete a chain that has any)
 * @gone:   deleted by -X, or the name a chain had before -E renamed it
 *          (@gone_by is that line): lookups by name skip it, a later
 *          declaration of the name makes a new chain
 */
struct ast_chain {
	/* what the parser's lookups and jumps read first: one cache line */
	const char *name;
	uint32_t name_len;
	uint32_t id;		/* index in table->chains */
	uint32_t nrules;
	uint32_t nlinks;
	uint32_t ndecls;
	bool builtin;
	bool declared;
	uint8_t hook;
	bool has_counters;
	bool gone;
	struct ast_rule *rules;
	struct ast_rule *rules_tail;
	const struct ast_rule *used_before_decl; /* first rule for it before ":NAME" */
	/* the rest */
	const char *policy;
	struct loc decl;
	const struct ast_chain_extra *extra;
};

/*
 * What few chains have, kept out of struct ast_chain (a kube-proxy dump
 * has 200,000 chains): NULL means all zero.
 * @redecl: the first second declaration, if any
 * @nft_redecl: the first -N of the chain once it exists (iptables-nft-restore
 *          accepts ":NAME" again, as a flush, but not that)
 * @policy_loc: the policy word of a declaration that gives one (not "-")
 * @gone_by: the -X or -E line that took the chain (or this old name) away
 * @pkts, @bytes: the declaration's counters
 */
struct ast_chain_extra {
	struct loc redecl;
	struct loc nft_redecl;
	struct loc policy_loc;
	const struct ast_rule *gone_by;
	uint64_t pkts, bytes;
};

static inline struct loc ast_chain_redecl(const struct ast_chain *c)
{
	return c->extra ? c->extra->redecl : (struct loc){ 0 };
}

static inline struct loc ast_chain_nft_redecl(const struct ast_chain *c)
{
	return c->extra ? c->extra->nft_redecl : (struct loc){ 0 };
}

static inline struct loc ast_chain_policy_loc(const struct ast_chain *c)
{
	return c->extra ? c->extra->policy_loc : (struct loc){ 0 };
}

static inline const struct ast_rule *ast_chain_gone_by(const struct ast_chain *c)
{
	return c->extra ? c->extra->gone_by : NULL;
}

static inline uint64_t ast_chain_pkts(const struct ast_chain *c)
{
	return c->extra ? c->extra->pkts : 0;
}

static inline uint64_t ast_chain_bytes(const struct ast_chain *c)
{
	return c->extra ? c->extra->bytes : 0;
}

/*
 * One slot of a table's chain index (open addressing): the name's hash is
 * kept beside the chain's number, so a probe reads the chain only when it
 * is almost surely the one looked for.
 */
struct ast_chain_slot {
	uint32_t hash;
	uint32_t id;		/* ast_chain.id + 1; 0: empty */
};

/**
 * struct ast_table - one "*name" ... "COMMIT" block.
 * @kind: the table, or -1 when the name is unknown
 * @commit: location of COMMIT (line 0 when missing)
 * @chains: all chains, builtin first in hook order, then in order of appearance
 */
struct ast_table {
	const char *name;
	int kind;
	struct loc loc;
	struct loc commit;
	struct ast_chain **chains;
	uint32_t nchains;
	uint32_t chains_cap;
	struct ast_chain_slot *hash;	/* chain index, see ast_table_find_chain() */
	uint32_t hash_size;		/* a power of two, at most half full */
	uint32_t hash_used;		/* slots taken (-E adds one per rename) */
	bool renamed;			/* -E renamed a chain: a jump's name as
					 * written may be a chain's old name */
	uint32_t nerrors;		/* error findings on its lines while parsing */
	int family;			/* VAL_FAM_* of its file (ANY while unknown) */
	struct ast_rule *rules;		/* every command line, in file order */
	struct ast_rule *rules_tail;
	uint32_t nrules;
	/*
	 * The command lines with a MARK or CONNMARK target or a mark test
	 * (AST_TESTS_MARK), in file order: the mark analysis starts from
	 * them without reading every rule.
	 */
	struct ast_rule **mark_rules;
	uint32_t nmark_rules, mark_rules_cap;
	uint32_t id;			/* its place in the ruleset's list */
	struct ast_table *next;
};

/**
 * struct ast_ruleset - everything read from the inputs.
 * @family: VAL_FAM_V4 / VAL_FAM_V6, or VAL_FAM_ANY when nothing told
 */
struct ast_ruleset {
	struct arena arena;
	struct ast_table *tables;
	struct ast_table *tables_tail;
	uint32_t ntables;
	int family;
	bool has_counters;	/* some rule or chain carried counters */
};

/* Full location of an option's name / argument on @rule's line. */
struct loc ast_opt_loc(const struct ast_rule *rule, const struct ast_opt *opt);
struct loc ast_opt_arg_loc(const struct ast_rule *rule, const struct ast_opt *opt);

/* First option with id @id in any match of @rule, or NULL. */
const struct ast_opt *ast_rule_find_opt(const struct ast_rule *rule, enum opt_id id);
/* First match of extension @id, or NULL. */
const struct ast_match *ast_rule_find_match(const struct ast_rule *rule, enum ext_id id);
static inline const struct ast_match *ast_rule_target(const struct ast_rule *r)
{
	return r->target >= 0 ? &r->matches[r->target] : NULL;
}

/*
 * All options of @r, grouped by match in match order (the options of
 * matches[m] are in the order written). They are stored right after the
 * matches array, in the same allocation.
 */
static inline const struct ast_opt *ast_rule_opts(const struct ast_rule *r)
{
	return r->matches ? (const struct ast_opt *)(r->matches + r->nmatches)
			  : NULL;
}

static inline uint32_t ast_rule_nopts(const struct ast_rule *r)
{
	return r->nmatches ? r->matches[r->nmatches - 1].opt_end : 0;
}

/* Options of match @m of rule @r, and how many there are. */
static inline const struct ast_opt *ast_match_opts(const struct ast_rule *r,
						   const struct ast_match *m)
{
	return ast_rule_opts(r) + (m == r->matches ? 0 : m[-1].opt_end);
}

static inline uint32_t ast_match_nopts(const struct ast_rule *r,
				       const struct ast_match *m)
{
	return m->opt_end - (m == r->matches ? 0 : m[-1].opt_end);
}

struct ast_chain *ast_table_find_chain(const struct ast_table *t,
				       const char *name, size_t len);
/*
 * The chain that last went by the name @name (deleted by -X, or renamed
 * away by -E) on a line before @line, or NULL: for messages.
 */
const struct ast_chain *ast_table_find_gone(const struct ast_table *t,
					    const char *name, size_t len,
					    uint32_t line);

void ast_ruleset_init(struct ast_ruleset *rs);
void ast_ruleset_free(struct ast_ruleset *rs);

#endif
