/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IPTLINT_EXT_H
#define IPTLINT_EXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iptlint/values.h"

/*
 * Extension knowledge as data: parser/extensions.def lists every match and
 * target with its options. This header turns it into enum ext_id,
 * enum opt_id and the descriptor types; parser/ext.c builds the arrays.
 */

enum ext_kind {
	EXT_BASE,	/* the rule's own options: -s -d -i -o -p -f -c */
	EXT_MATCH,
	EXT_TARGET,
};

/* Families (bit set). */
#define FAM_V4		0x1
#define FAM_V6		0x2
#define FAM_ANY		(FAM_V4 | FAM_V6)

/* Tables (bit set), in the kernel's hook order of evaluation per hook. */
enum table_kind {
	TABLE_RAW,
	TABLE_MANGLE,
	TABLE_NAT,
	TABLE_FILTER,
	TABLE_SECURITY,
	TABLE__COUNT
};
#define TBL(t)		(1u << (t))
#define TBL_ANY		0x1fu

/* Hooks (bit set), NF_INET_* numbering. */
enum hook_kind {
	HOOK_PREROUTING,
	HOOK_INPUT,
	HOOK_FORWARD,
	HOOK_OUTPUT,
	HOOK_POSTROUTING,
	HOOK__COUNT
};
#define HOOK(h)		(1u << (h))
#define HOOK_ANY	0x1fu

/* What a target does to the traversal (reference §3). */
enum verdict_class {
	VERDICT_NONE = 0,	/* matches; or a target that continues (XT_CONTINUE) */
	VERDICT_ACCEPT,		/* ends this table's walk, packet goes on */
	VERDICT_DROP,		/* ends the packet's walk (DROP, REJECT) */
	VERDICT_QUEUE,		/* hands the packet to userspace (QUEUE, NFQUEUE) */
	VERDICT_RETURN,		/* pops the call stack */
	VERDICT_NAT,		/* DNAT/SNAT/...: ends the table's walk (ACCEPT or DROP) */
	VERDICT_TERMINAL,	/* other terminating targets (TPROXY, SYNPROXY, ...) */
};

/* Option flags. */
#define OF_INVERT	0x0001	/* accepts a leading "!" */
#define OF_MULTI	0x0002	/* may be given more than once */
#define OF_ALIAS	0x0004	/* another spelling of the option before it with the same id */
#define OF_WHOLE_WORD	0x0008	/* -s/-d/-p/-i/-o: iptables 1.8.9 reads the whole word,
				 * so "-s1.2.3.4" means host "-s1.2.3.4" */
#define OF_OPTIONAL_ARG	0x0010	/* argument may be omitted (next word starts with -) */
#define OF_DEPRECATED	0x0020	/* accepted, but iptables warns */
#define OF_NO_PREFIX	0x0040	/* not found through getopt prefix matching */

struct ext_check_ctx;

/**
 * struct ext_opt - one option of a match or target.
 * @name:   long name without "--"
 * @short_name: one-letter form for base options ('s' for -s), else 0
 * @id:     enum opt_id; aliases share the id of the option they spell
 * @nargs:  number of argument words (0, 1 or 2)
 * @parse:  value parser (NULL: the argument is kept as a string)
 * @min, @max: bounds handed to the parser
 * @choices: word list for choice parsers
 * @excl:   bit set; two options sharing a bit cannot be combined
 * @need:   bit set; for every bit some option of the extension carrying
 *          it must be present ("needs --a or --b")
 * @families: FAM_* the option exists in
 * @meta:   argument shape for messages and --list-options ("port[:port]")
 */
struct ext_opt {
	const char *name;
	uint8_t name_len;
	char short_name;
	uint16_t id;
	uint16_t flags;
	uint8_t nargs;
	uint8_t families;
	val_parse_fn parse;
	uint64_t min, max;
	const char *const *choices;
	uint32_t excl;
	uint32_t need;
	const char *meta;
};

/**
 * struct ext - one match or target extension.
 * @families: FAM_* it exists in
 * @proto:  kernel .proto: the rule must say "-p <proto>" without "!" (0: any)
 * @tables: TBL() set the kernel allows it in (.table / checkentry)
 * @hooks:  HOOK() set the kernel allows it from (.hooks / checkentry)
 * @verdict: for targets, how the traversal continues
 * @partial: the option list is incomplete: an unknown option gets an
 *           unknown-extension note instead of an error
 * @check:  cross-option checks the table cannot express (may be NULL)
 * @doc:    one line for --list-extensions
 */
struct ext {
	const char *name;
	uint8_t name_len;
	uint16_t id;
	uint8_t kind;
	uint8_t families;
	uint8_t proto;
	uint8_t tables;
	uint8_t hooks;
	uint8_t verdict;
	bool partial;
	const struct ext_opt *opts;
	uint32_t nopts;
	void (*check)(struct ext_check_ctx *ctx);
	const char *doc;
};

enum ext_id {
#define EXT(id, name, kind, ...) EXT_ID_##id,
#define EXT_END(id)
#define OPT(ext, id, name, nargs, parse, ...)
#define ALIAS(ext, id, name, ...)
#include "parser/extensions.def"
#undef EXT
#undef EXT_END
#undef OPT
#undef ALIAS
	EXT_ID__COUNT
};

enum opt_id {
	OPT_NONE = 0,
#define EXT(id, name, kind, ...)
#define EXT_END(id)
#define OPT(ext, id, name, nargs, parse, ...) OPT_##ext##_##id,
#define ALIAS(ext, id, name, ...)
#include "parser/extensions.def"
#undef EXT
#undef EXT_END
#undef OPT
#undef ALIAS
	OPT__COUNT
};

extern const struct ext ext_table[EXT_ID__COUNT];

/**
 * struct ext_index - a hash of extension names for the parser's hot path
 * (a kube-proxy dump loads two million -m/-j): slot = ext id + 1, 0 empty.
 */
#define EXT_INDEX_SLOTS 1024
struct ext_index {
	uint16_t slot[EXT_INDEX_SLOTS];
};

void ext_index_init(struct ext_index *ix);
/* Same answer as ext_find(), in constant time. */
const struct ext *ext_index_find(const struct ext_index *ix, enum ext_kind kind,
				 const char *name, size_t len);

/* Lookup by name (case-sensitive, as iptables loads modules); NULL if unknown. */
const struct ext *ext_find(enum ext_kind kind, const char *name, size_t len);
/*
 * Find an option of @e by long name: exact, else a unique prefix as
 * getopt_long allows. *ambiguous is set when several options share the
 * prefix. @family narrows family-specific spellings (VAL_FAM_ANY: all).
 */
const struct ext_opt *ext_find_opt(const struct ext *e, const char *name,
				   size_t len, int family, bool *ambiguous);
/* Exact long name only (the first thing getopt_long tries). */
const struct ext_opt *ext_find_opt_exact(const struct ext *e, const char *name,
					 size_t len, int family);
/* Base option by short letter. */
const struct ext_opt *ext_find_short(char c);
/* Closest option name among @e's options, for "did you mean"; NULL if none close. */
const char *ext_suggest_opt(const struct ext *e, const char *name, size_t len);
/* Closest extension name of @kind, for "did you mean"; NULL if none close. */
const char *ext_suggest(enum ext_kind kind, const char *name, size_t len);
/* Canonical option name of an id (the non-alias spelling). */
const struct ext_opt *ext_opt_by_id(enum opt_id id);

const char *table_name(enum table_kind t);
int table_lookup(const char *name, size_t len);	/* -1 if unknown */
const char *hook_name(enum hook_kind h);
int hook_lookup(const char *name, size_t len);	/* builtin chain name -> hook, -1 */
/* "filter, nat" / "INPUT, OUTPUT": the names of a TBL() / HOOK() set. */
void table_list(unsigned int mask, char *buf, size_t size);
void hook_list(unsigned int mask, char *buf, size_t size);
/* Builtin chains of a table (HOOK() set). */
unsigned int table_hooks(enum table_kind t);

#endif
