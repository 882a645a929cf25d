/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IPTLINT_PARSER_BUILD_H
#define IPTLINT_PARSER_BUILD_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "iptlint/ext.h"
#include "iptlint/lint.h"
#include "iptlint/loc.h"

/**
 * struct word - one argument word as iptables-restore would split it.
 * @s, @len: the bytes after quote removal (may point into the source)
 * @col, @end_col: where it is on its line (struct loc's columns)
 * @quoted: the word had double quotes (so "-j" in quotes is still "-j",
 *          as for iptables, but messages can say it was quoted)
 */
struct word {
	const char *s;
	uint32_t len;
	uint32_t col;
	uint32_t end_col;
	uint32_t hash;		/* build_name_hash() of the text, if @hashed */
	uint8_t quoted;
	uint8_t hashed;		/* the reader took it for a chain name */
	uint8_t ext_kind;	/* after -m/-j: EXT_MATCH/EXT_TARGET, else 0 */
	uint16_t ext_id;	/* then: ext_index_find()'s answer, or AST_EXT_NONE */
};

/*
 * The hash of the chain index (struct ast_chain_slot), eight bytes at a
 * time: kube-proxy names are 25 bytes long. The reader computes it for the
 * words that name chains, so the builder need not.
 */
static inline uint32_t build_name_hash(const char *s, size_t len)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ len;

	while (len >= 8) {
		uint64_t w;

		memcpy(&w, s, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdull;
		h ^= h >> 32;
		s += 8;
		len -= 8;
	}
	if (len) {
		uint64_t w = 0;

		/* Byte by byte: a memcpy() of a variable size is a call. */
		for (size_t i = 0; i < len; i++)
			w |= (uint64_t)(unsigned char)s[i] << (8 * i);
		h = (h ^ w) * 0xff51afd7ed558ccdull;
	}
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 29;
	return (uint32_t)h;
}

/* The hash of word @w's text: the reader's, or computed now. */
static inline uint32_t build_word_hash(const struct word *w)
{
	return w->hashed ? w->hash : build_name_hash(w->s, w->len);
}

/**
 * struct cmd_match - a match while its line is read (parser/command.c);
 * it becomes a struct ast_match when the rule is complete.
 */
struct cmd_match {
	const struct ext *ext;
	const char *name;
	struct span span;
	bool implicit;
	/* its options, in order: a list through build.opt_next */
	uint32_t opt_head, opt_tail;
};

/* The end of a cmd_match option list. */
#define CMD_NO_OPT	UINT32_MAX

/**
 * struct build - turns the lines the grammar recognises into the AST.
 * @words: the current line's words (in a batch of line records), all on
 *         line @wline of @file
 * @table: the open "*table", NULL outside one
 */
struct build {
	struct lint *lint;
	struct ast_ruleset *rs;
	uint32_t file;
	struct ast_table *table;
	const struct word *words;
	uint32_t nwords;
	uint32_t wline;
	uint8_t family_marker;	/* the line's -4/-6 (4, 6 or 0), from the reader */
	uint32_t ext_need[EXT_ID__COUNT];	/* OR of each extension's need bits */
	bool crlf_reported;
	bool family_from_content;
	/* scratch for the option builder, reused across lines */
	struct ast_opt *opt_scratch;
	uint32_t *opt_next;	/* the next option of the same match */
	const struct ext_opt **opt_def;	/* opt_scratch[k]'s descriptor */
	uint32_t opt_cap;
	struct cmd_match *match_scratch;
	uint32_t match_cap;
	/*
	 * The extensions of the line's matches after the base one, each once
	 * (command.c): option lookups cost the same on a line of 100,000
	 * matches as on one of three.
	 */
	uint32_t ext_count[EXT_ID__COUNT];	/* instances of each */
	uint32_t ext_newest[EXT_ID__COUNT];	/* match index of the newest */
	uint8_t ext_used[EXT_ID__COUNT];	/* ids in order of first use */
	uint32_t next_used;
	struct ext_index ext_index;
	/* iptables-save groups rules by chain: the last chain named is likely next */
	struct ast_chain *last_chain;
	struct ast_table *last_chain_table;
	/* command.c's index of commands and switches (-A, --append, ...) */
	/* jumps to chains that did not exist yet, resolved at the end */
	struct ast_rule **deferred;
	uint32_t ndeferred, deferred_cap;
	/* the chain named by the current line's command (-A CHAIN ...) */
	const char *cmd_chain;
	uint32_t cmd_chain_len;
	uint32_t cmd_chain_hash;
	/* the existing chain the line's -j/-g names (NULL: none, or not yet) */
	struct ast_chain *jump_chain;
	/* the open table's last "-F" without a chain name (parser/chain_ops.c) */
	const struct ast_rule *flush_all;
	/* default backend: what iptables-nft kept of it, by ast_chain.id */
	struct chain_ghost *ghosts;
	uint32_t nghosts;
	uint32_t ref_scans;	/* chain_ops.c's searches for a jump, so far */
	uint8_t special_short[128];
	uint32_t special_len[26];
};

void build_init(struct build *b, struct lint *lint, uint32_t file);
void build_fini(struct build *b);

/* Location of word @i of the current line. */
static inline struct loc build_word_loc(const struct build *b, uint32_t i)
{
	struct loc l = { b->file, b->wline, b->words[i].col,
			 b->words[i].end_col };

	return l;
}
void build_reset_words(struct build *b);

void build_table_line(struct build *b, const struct loc *star);
void build_chain_line(struct build *b, const struct loc *colon);
void build_rule_line(struct build *b, const struct word *counters,
		     const struct loc *counters_loc);
void build_blank_line(struct build *b, const struct loc *eol);
void build_syntax_error(struct build *b, const struct loc *loc,
			const char *msg);
void build_crlf(struct build *b, const struct loc *loc);
void build_comment(struct build *b, const struct loc *loc, const char *text,
		   size_t len);
/* End of input: tables left open, jump resolution. */
void build_finish(struct build *b);

/* Chain @name of @t whose build_name_hash() is @hash, or NULL. */
struct ast_chain *build_find_chain(const struct ast_table *t, const char *name,
				   size_t len, uint32_t hash);
/* A new chain @name in the open table (whether or not one exists). */
struct ast_chain *build_add_chain(struct build *b, const char *name, size_t len);
/* -E: chain @c of the open table is called @name from now on. */
void build_chain_rename(struct build *b, struct ast_chain *c,
			const char *name, size_t len);

/* Report a finding on a line of the open table (counted in its nerrors). */
struct diag *build_report(struct build *b, enum check_id id,
			  const struct loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* @r was put into / taken out of its chain's rule list. */
static inline void build_rule_linked(struct ast_rule *r)
{
	r->in_chain = true;
	if (r->jump)
		r->jump->nlinks++;
}

static inline void build_rule_unlinked(struct ast_rule *r)
{
	r->in_chain = false;
	if (r->jump)
		r->jump->nlinks--;
}

/**
 * struct chain_ghost - what a "-F" without a chain name took out of a
 * chain that iptables-nft-restore keeps (its table-wide flush does nothing
 * in a restore); kept with the default backend only, to say when nft
 * refuses a later -X.
 * @rules: the rules taken out (linked by next_in_chain)
 * @links: jumps to the chain among the rules taken out of every chain
 */
struct chain_ghost {
	struct ast_rule *rules;
	uint32_t links;
};

/* Chain commands (parser/chain_ops.c), on chains of the open table. */
void chain_ops_flush(struct build *b, struct ast_chain *c);		/* -F CHAIN */
void chain_ops_flush_all(struct build *b, const struct ast_rule *r);	/* -F */
void chain_ops_delete(struct build *b, struct ast_chain *c,
		      const struct ast_rule *r);			/* -X CHAIN */
void chain_ops_delete_all(struct build *b, const struct ast_rule *r);	/* -X */
void chain_ops_rename(struct build *b, struct ast_chain *c,
		      const struct ast_rule *r);			/* -E */
/* A new table starts (or the input ends): forget the last one's state. */
void chain_ops_reset(struct build *b);

/* @r's struct ast_rule_extra, allocated on first use. */
struct ast_rule_extra *build_rule_extra(struct build *b, struct ast_rule *r);
/* @c's extra fields, allocated on first use. */
struct ast_chain_extra *build_chain_extra(struct build *b, struct ast_chain *c);

/* Rule interpretation (parser/command.c). */
void command_index_init(struct build *b);
/*
 * Read the line into @rule (a scratch rule) and return the rule as stored
 * in the arena, with its matches and options right after it; NULL when the
 * line is for the other family (-4/-6) and is skipped.
 */
struct ast_rule *command_parse(struct build *b, struct ast_rule *rule,
			       uint32_t first);

#endif
