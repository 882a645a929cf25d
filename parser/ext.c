// SPDX-License-Identifier: GPL-2.0-or-later
/* Expands extensions.def into descriptor arrays, and looks things up. */
#include <stdio.h>
#include <string.h>

#include "iptlint/ext.h"
#include "parser/ext_checks.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Pass 1: one option array per extension, closed by a sentinel. */
#define EXT(id, name, kind, ...) static const struct ext_opt ext_opts_##id[] = {
#define EXT_END(id) { .name = NULL } };
#define OPT(ext, oid, oname, n, p, ...) \
	{ .name = oname, .name_len = sizeof(oname) - 1, .id = OPT_##ext##_##oid, \
	  .nargs = n, .parse = p, __VA_ARGS__ },
#define ALIAS(ext, oid, oname, ...) \
	{ .name = oname, .name_len = sizeof(oname) - 1, .id = OPT_##ext##_##oid, \
	  .flags = OF_ALIAS },
#include "parser/extensions.def"
#undef EXT
#undef EXT_END
#undef OPT
#undef ALIAS

/* ast_opt keeps an option as (extension id, index): 8 bits each. */
#define EXT(id, name, kind, ...) \
	_Static_assert(ARRAY_SIZE(ext_opts_##id) - 1 <= 255, \
		       #id ": ast_opt.def_opt is 8 bits");
#define EXT_END(id)
#define OPT(ext, id, name, n, p, ...)
#define ALIAS(ext, id, name, ...)
#include "parser/extensions.def"
#undef EXT
#undef EXT_END
#undef OPT
#undef ALIAS

/* Pass 2: the extension table, indexed by enum ext_id. */
const struct ext ext_table[EXT_ID__COUNT] = {
#define EXT(eid, ename, ekind, ...) \
	[EXT_ID_##eid] = { .name = ename, .name_len = sizeof(ename) - 1, \
		.id = EXT_ID_##eid, .kind = ekind, \
		.opts = ext_opts_##eid, \
		.nopts = ARRAY_SIZE(ext_opts_##eid) - 1, __VA_ARGS__ },
#define EXT_END(id)
#define OPT(ext, id, name, n, p, ...)
#define ALIAS(ext, id, name, ...)
#include "parser/extensions.def"
#undef EXT
#undef EXT_END
#undef OPT
#undef ALIAS
};

const struct ext *ext_find(enum ext_kind kind, const char *name, size_t len)
{
	/*
	 * libxtables xtables_find_match(): "icmpv6" and "ipv6-icmp" load the
	 * icmp6 match ("-m icmpv6 --icmpv6-type ...").
	 */
	if (kind == EXT_MATCH &&
	    ((len == 6 && memcmp(name, "icmpv6", 6) == 0) ||
	     (len == 9 && memcmp(name, "ipv6-icmp", 9) == 0))) {
		name = "icmp6";
		len = 5;
	}
	for (unsigned int i = 0; i < EXT_ID__COUNT; i++) {
		const struct ext *e = &ext_table[i];

		if (e->kind == kind && e->name_len == len &&
		    memcmp(e->name, name, len) == 0)
			return e;
	}
	return NULL;
}

/*
 * Eight bytes at a time: the parser asks for every -m and -j argument, and
 * the -j ones are mostly chain names of 25 bytes.
 */
static uint32_t ext_hash(int kind, const char *name, size_t len)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ len ^ ((uint64_t)kind << 56);

	while (len >= 8) {
		uint64_t w;

		memcpy(&w, name, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdull;
		h ^= h >> 32;
		name += 8;
		len -= 8;
	}
	if (len) {
		uint64_t w = 0;

		/* Byte by byte: a memcpy() of a variable size is a call. */
		for (size_t i = 0; i < len; i++)
			w |= (uint64_t)(unsigned char)name[i] << (8 * i);
		h = (h ^ w) * 0xff51afd7ed558ccdull;
	}
	h ^= h >> 33;
	return (uint32_t)h;
}

void ext_index_init(struct ext_index *ix)
{
	memset(ix, 0, sizeof(*ix));
	for (unsigned int i = 0; i < EXT_ID__COUNT; i++) {
		const struct ext *e = &ext_table[i];
		uint32_t s = ext_hash(e->kind, e->name, e->name_len);

		while (ix->slot[s & (EXT_INDEX_SLOTS - 1)])
			s++;
		ix->slot[s & (EXT_INDEX_SLOTS - 1)] = (uint16_t)(i + 1);
	}
}

const struct ext *ext_index_find(const struct ext_index *ix, enum ext_kind kind,
				 const char *name, size_t len)
{
	uint32_t s = ext_hash(kind, name, len);
	uint16_t v;

	while ((v = ix->slot[s & (EXT_INDEX_SLOTS - 1)])) {
		const struct ext *e = &ext_table[v - 1];

		if (e->kind == kind && e->name_len == len &&
		    memcmp(e->name, name, len) == 0)
			return e;
		s++;
	}
	/* Aliases ("icmpv6", "ipv6-icmp") are rare: let ext_find map them. */
	if (kind == EXT_MATCH && (len == 6 || len == 9) &&
	    (memcmp(name, "icmpv6", len < 6 ? len : 6) == 0 ||
	     memcmp(name, "ipv6-icmp", len) == 0))
		return ext_find(kind, name, len);
	return NULL;
}

/* The canonical (non-alias) entry for an alias entry of @e. */
static const struct ext_opt *ext_canonical(const struct ext *e,
					   const struct ext_opt *o)
{
	if (!(o->flags & OF_ALIAS))
		return o;
	for (uint32_t i = 0; i < e->nopts; i++)
		if (e->opts[i].id == o->id && !(e->opts[i].flags & OF_ALIAS))
			return &e->opts[i];
	return o;
}

static bool ext_opt_in_family(const struct ext_opt *o, int family)
{
	if (!o->families || family == VAL_FAM_ANY)
		return true;
	return (o->families & (family == VAL_FAM_V6 ? FAM_V6 : FAM_V4)) != 0;
}

const struct ext_opt *ext_find_opt_exact(const struct ext *e, const char *name,
					 size_t len, int family)
{
	for (uint32_t i = 0; i < e->nopts; i++) {
		const struct ext_opt *o = &e->opts[i];

		if (o->name_len != len || o->name[0] != name[0] ||
		    memcmp(o->name, name, len) != 0)
			continue;
		o = ext_canonical(e, o);
		if (ext_opt_in_family(o, family))
			return o;
	}
	return NULL;
}

const struct ext_opt *ext_find_opt(const struct ext *e, const char *name,
				   size_t len, int family, bool *ambiguous)
{
	const struct ext_opt *found = NULL;

	*ambiguous = false;
	for (uint32_t i = 0; i < e->nopts; i++) {
		const struct ext_opt *o = &e->opts[i];

		if (!ext_opt_in_family(ext_canonical(e, o), family))
			continue;
		if (o->name_len == len && memcmp(o->name, name, len) == 0)
			return ext_canonical(e, o);
	}
	/* getopt_long: a unique prefix selects the option. */
	for (uint32_t i = 0; i < e->nopts; i++) {
		const struct ext_opt *o = &e->opts[i];
		const struct ext_opt *c = ext_canonical(e, o);

		if (!ext_opt_in_family(c, family) || (c->flags & OF_NO_PREFIX))
			continue;
		if (o->name_len > len && memcmp(o->name, name, len) == 0) {
			if (found && found->id != c->id)
				*ambiguous = true;
			if (!found)
				found = c;
		}
	}
	return found;
}

const struct ext_opt *ext_find_short(char c)
{
	const struct ext *e = &ext_table[EXT_ID_ip];

	for (uint32_t i = 0; i < e->nopts; i++)
		if (e->opts[i].short_name == c)
			return &e->opts[i];
	return NULL;
}

const char *ext_suggest_opt(const struct ext *e, const char *name, size_t len)
{
	const char *best = NULL;
	unsigned int best_d = 3;	/* suggest only close spellings */

	for (uint32_t i = 0; i < e->nopts; i++) {
		const char *o = e->opts[i].name;
		unsigned int d = val_edit_distance(name, len, o, strlen(o));

		if (d < best_d) {
			best_d = d;
			best = o;
		}
	}
	return best;
}

const char *ext_suggest(enum ext_kind kind, const char *name, size_t len)
{
	const char *best = NULL;
	unsigned int best_d = 3;

	for (unsigned int i = 0; i < EXT_ID__COUNT; i++) {
		const struct ext *e = &ext_table[i];
		unsigned int d;

		if (e->kind != kind)
			continue;
		d = val_edit_distance(name, len, e->name, strlen(e->name));
		/* Short names are close to many others: "foo" is not "tos". */
		if (d < best_d && 2 * d <= len) {
			best_d = d;
			best = e->name;
		}
	}
	return best;
}

const struct ext_opt *ext_opt_by_id(enum opt_id id)
{
	for (unsigned int i = 0; i < EXT_ID__COUNT; i++) {
		const struct ext *e = &ext_table[i];

		for (uint32_t j = 0; j < e->nopts; j++)
			if (e->opts[j].id == id && !(e->opts[j].flags & OF_ALIAS))
				return &e->opts[j];
	}
	return NULL;
}

static const char *const table_names[TABLE__COUNT] = {
	[TABLE_RAW] = "raw",
	[TABLE_MANGLE] = "mangle",
	[TABLE_NAT] = "nat",
	[TABLE_FILTER] = "filter",
	[TABLE_SECURITY] = "security",
};

static const char *const hook_names[HOOK__COUNT] = {
	[HOOK_PREROUTING] = "PREROUTING",
	[HOOK_INPUT] = "INPUT",
	[HOOK_FORWARD] = "FORWARD",
	[HOOK_OUTPUT] = "OUTPUT",
	[HOOK_POSTROUTING] = "POSTROUTING",
};

/* Builtin chains per table (the kernel's valid_hooks). */
static const unsigned int table_valid_hooks[TABLE__COUNT] = {
	[TABLE_RAW] = HOOK(HOOK_PREROUTING) | HOOK(HOOK_OUTPUT),
	[TABLE_MANGLE] = HOOK_ANY,
	[TABLE_NAT] = HOOK(HOOK_PREROUTING) | HOOK(HOOK_INPUT) |
		      HOOK(HOOK_OUTPUT) | HOOK(HOOK_POSTROUTING),
	[TABLE_FILTER] = HOOK(HOOK_INPUT) | HOOK(HOOK_FORWARD) |
			 HOOK(HOOK_OUTPUT),
	[TABLE_SECURITY] = HOOK(HOOK_INPUT) | HOOK(HOOK_FORWARD) |
			   HOOK(HOOK_OUTPUT),
};

const char *table_name(enum table_kind t)
{
	return (unsigned int)t < TABLE__COUNT ? table_names[t] : "?";
}

int table_lookup(const char *name, size_t len)
{
	for (int i = 0; i < TABLE__COUNT; i++)
		if (strlen(table_names[i]) == len &&
		    memcmp(table_names[i], name, len) == 0)
			return i;
	return -1;
}

const char *hook_name(enum hook_kind h)
{
	return (unsigned int)h < HOOK__COUNT ? hook_names[h] : "?";
}

int hook_lookup(const char *name, size_t len)
{
	for (int i = 0; i < HOOK__COUNT; i++)
		if (strlen(hook_names[i]) == len &&
		    memcmp(hook_names[i], name, len) == 0)
			return i;
	return -1;
}

/* "a, b, c" for the set bits of @mask, names from @names. */
static void mask_list(unsigned int mask, const char *const *names, int n,
		      char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (int i = 0; i < n; i++)
		if ((mask & (1u << i)) && len < size)
			len += (size_t)snprintf(buf + len, size - len, "%s%s",
						len ? ", " : "", names[i]);
}

void table_list(unsigned int mask, char *buf, size_t size)
{
	mask_list(mask, table_names, TABLE__COUNT, buf, size);
}

void hook_list(unsigned int mask, char *buf, size_t size)
{
	mask_list(mask, hook_names, HOOK__COUNT, buf, size);
}

unsigned int table_hooks(enum table_kind t)
{
	return (unsigned int)t < TABLE__COUNT ? table_valid_hooks[t] : 0;
}
