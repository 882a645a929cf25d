// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Options and configuration keys: one place turns "--format=gcc" and a
 * configuration line "format = gcc" into the same setting, so the two
 * cannot drift apart. What is given later wins: the command line is
 * applied after the configuration.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iptlint/values.h"
#include "tools/cli.h"

static const char *const format_words[] = { "text", "gcc", "json", "sarif", NULL };
static const char *const color_words[] = { "auto", "always", "never", NULL };
/* Same order as enum severity, then "never" (CLI_FAIL_NEVER). */
static const char *const fail_words[] = {
	"note", "warning", "error", "never", NULL
};
static const char *const family_words[] = { "auto", "4", "6", NULL };
static const int family_values[] = { VAL_FAM_ANY, VAL_FAM_V4, VAL_FAM_V6 };
static const char *const backend_words[] = { "any", "legacy", "nft", NULL };
static const enum backend backend_values[] = {
	BACKEND_ANY, BACKEND_LEGACY, BACKEND_NFT
};
/* Index 1 ("unknown") sets entry_mark_prerouting_unknown... */
static const char *const prerouting_mark_words[] = { "zero", "unknown", NULL };
/* ... index 0 ("zero") sets entry_mark_output_zero. */
static const char *const output_mark_words[] = { "zero", "unknown", NULL };

const struct option cli_options[] = {
	{ "format", required_argument, NULL, CLI_OPT_FORMAT },
	{ "color", optional_argument, NULL, CLI_OPT_COLOR },
	{ "enable", required_argument, NULL, CLI_OPT_ENABLE },
	{ "disable", required_argument, NULL, CLI_OPT_DISABLE },
	{ "list-checks", no_argument, NULL, CLI_OPT_LIST_CHECKS },
	{ "fail-on", required_argument, NULL, CLI_OPT_FAIL_ON },
	{ "family", required_argument, NULL, CLI_OPT_FAMILY },
	{ "backend", required_argument, NULL, CLI_OPT_BACKEND },
	{ "prerouting-mark", required_argument, NULL, CLI_OPT_PREROUTING_MARK },
	{ "output-mark", required_argument, NULL, CLI_OPT_OUTPUT_MARK },
	{ "noflush", no_argument, NULL, CLI_OPT_NOFLUSH },
	{ "config", required_argument, NULL, CLI_OPT_CONFIG },
	{ "no-config", no_argument, NULL, CLI_OPT_NO_CONFIG },
	{ "baseline", required_argument, NULL, CLI_OPT_BASELINE },
	{ "write-baseline", required_argument, NULL, CLI_OPT_WRITE_BASELINE },
	{ "version", no_argument, NULL, CLI_OPT_VERSION },
	{ "explain", required_argument, NULL, CLI_OPT_EXPLAIN },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* The options a configuration file may set (docs/iptlint.1, FILES). */
static const int config_keys[] = {
	CLI_OPT_FORMAT, CLI_OPT_COLOR, CLI_OPT_ENABLE, CLI_OPT_DISABLE,
	CLI_OPT_FAIL_ON, CLI_OPT_FAMILY, CLI_OPT_BACKEND,
	CLI_OPT_PREROUTING_MARK, CLI_OPT_OUTPUT_MARK,
};

void cli_defaults(struct cli *cli)
{
	memset(cli, 0, sizeof(*cli));
	cli->opt = lint_options_default();
	cli->fail_on = SEV_WARNING;
	check_set_default(&cli->checks);
}

/* "iptlint: " on the command line, "FILE:LINE:COL: error: " from a file. */
static void cli_error_start(const struct cli_origin *from)
{
	if (from)
		fprintf(stderr, "%s:%u:%u: error: ", from->file, from->line,
			from->col);
	else
		fputs("iptlint: ", stderr);
}

static const char *cli_option_name(int code)
{
	for (int i = 0; cli_options[i].name; i++)
		if (cli_options[i].val == code)
			return cli_options[i].name;
	return "?";
}

/* Index of @arg in @words, or -1 after telling the user what is allowed. */
static int cli_choice(int code, const char *arg, const char *const *words,
		      const struct cli_origin *from)
{
	const char *opt = cli_option_name(code);

	for (int i = 0; words[i]; i++)
		if (strcmp(arg, words[i]) == 0)
			return i;
	cli_error_start(from);
	if (from)
		fprintf(stderr, "invalid value '%s' for '%s'; valid values are",
			arg, opt);
	else
		fprintf(stderr, "invalid argument '%s' for '--%s'\n"
			"Valid arguments are:", arg, opt);
	for (int i = 0; words[i]; i++)
		fprintf(stderr, "%s '%s'", i ? "," : "", words[i]);
	fputc('\n', stderr);
	return -1;
}

/* Closest check name, if at most a third of its letters differ. */
const char *cli_suggest_check(const char *name, size_t len)
{
	const char *best = NULL;
	unsigned int best_d = UINT_MAX;

	for (int i = 0; i < CHECK__COUNT; i++) {
		const char *c = check_table[i].name;
		size_t clen = strlen(c);
		unsigned int d = val_edit_distance(name, len, c, clen);

		if (d < best_d && d * 3 <= (len > clen ? len : clen)) {
			best = c;
			best_d = d;
		}
	}
	return best;
}

static int cli_apply_checks(struct cli *cli, const char *list, bool enable,
			    const struct cli_origin *from)
{
	const char *bad, *hint;
	size_t badlen;
	struct cli_origin at;

	if (check_set_apply(&cli->checks, list, enable, &bad, &badlen) == 0)
		return 0;
	/* In a file, point at the bad name inside the list. */
	if (from) {
		at = *from;
		if (bad >= list && bad <= list + strlen(list))
			at.col += (uint32_t)(bad - list);
		from = &at;
	}
	cli_error_start(from);
	if (badlen == 0) {
		if (from)
			fprintf(stderr, "empty check name in '%s'\n", list);
		else
			fprintf(stderr, "empty check name in '--%s=%s'\n",
				enable ? "enable" : "disable", list);
	} else {
		fprintf(stderr, "unknown check '%.*s'", (int)badlen, bad);
		hint = cli_suggest_check(bad, badlen);
		if (hint)
			fprintf(stderr, "; did you mean '%s'?", hint);
		fputs(" (see --list-checks)\n", stderr);
	}
	return -1;
}

int cli_option(struct cli *cli, int code, const char *arg,
	       const struct cli_origin *from)
{
	int i;

	switch (code) {
	case CLI_OPT_FORMAT:
		i = cli_choice(code, arg, format_words, from);
		if (i >= 0)
			cli->format = (enum cli_format)i;
		return i < 0 ? -1 : 0;
	case CLI_OPT_COLOR:
		i = arg ? cli_choice(code, arg, color_words, from) : COLOR_ALWAYS;
		if (i >= 0)
			cli->color = (enum cli_color)i;
		return i < 0 ? -1 : 0;
	case CLI_OPT_ENABLE:
	case CLI_OPT_DISABLE:
		return cli_apply_checks(cli, arg, code == CLI_OPT_ENABLE, from);
	case CLI_OPT_LIST_CHECKS:
		cli->list_checks = true;
		return 0;
	case CLI_OPT_FAIL_ON:
		i = cli_choice(code, arg, fail_words, from);
		if (i >= 0)
			cli->fail_on = i;
		return i < 0 ? -1 : 0;
	case CLI_OPT_FAMILY:
		i = cli_choice(code, arg, family_words, from);
		if (i >= 0)
			cli->opt.family = family_values[i];
		return i < 0 ? -1 : 0;
	case '4':
	case '6':
		cli->opt.family = code == '4' ? VAL_FAM_V4 : VAL_FAM_V6;
		return 0;
	case CLI_OPT_BACKEND:
		i = cli_choice(code, arg, backend_words, from);
		if (i >= 0)
			cli->opt.backend = backend_values[i];
		return i < 0 ? -1 : 0;
	case CLI_OPT_PREROUTING_MARK:
		i = cli_choice(code, arg, prerouting_mark_words, from);
		if (i >= 0)
			cli->opt.entry_mark_prerouting_unknown = i == 1;
		return i < 0 ? -1 : 0;
	case CLI_OPT_OUTPUT_MARK:
		i = cli_choice(code, arg, output_mark_words, from);
		if (i >= 0)
			cli->opt.entry_mark_output_zero = i == 0;
		return i < 0 ? -1 : 0;
	case CLI_OPT_NOFLUSH:
		cli->opt.noflush = true;
		return 0;
	case CLI_OPT_CONFIG:
		cli->config_path = arg;
		return 0;
	case CLI_OPT_NO_CONFIG:
		cli->no_config = true;
		return 0;
	case CLI_OPT_BASELINE:
		cli->baseline_path = arg;
		return 0;
	case CLI_OPT_WRITE_BASELINE:
		cli->write_baseline_path = arg;
		return 0;
	default:	/* getopt_long has said what was wrong */
		return -1;
	}
}

static bool cli_config_key(int code)
{
	for (size_t i = 0; i < sizeof(config_keys) / sizeof(config_keys[0]); i++)
		if (config_keys[i] == code)
			return true;
	return false;
}

/* The configuration key closest to @key, if close enough, or NULL. */
static const char *cli_suggest_key(const char *key)
{
	const char *best = NULL;
	unsigned int best_d = UINT_MAX;
	size_t len = strlen(key);

	for (size_t i = 0; i < sizeof(config_keys) / sizeof(config_keys[0]); i++) {
		const char *k = cli_option_name(config_keys[i]);
		size_t klen = strlen(k);
		unsigned int d = val_edit_distance(key, len, k, klen);

		if (d < best_d && d * 3 <= (len > klen ? len : klen)) {
			best = k;
			best_d = d;
		}
	}
	return best;
}

int cli_apply_config(struct cli *cli, const struct config *cfg)
{
	for (uint32_t i = 0; i < cfg->n; i++) {
		const struct config_entry *e = &cfg->v[i];
		struct cli_origin at = { cfg->path, e->line, e->key_col };
		int code = -1;

		for (int k = 0; cli_options[k].name; k++)
			if (strcmp(cli_options[k].name, e->key) == 0)
				code = cli_options[k].val;
		if (code < 0 || !cli_config_key(code)) {
			const char *hint = cli_suggest_key(e->key);

			cli_error_start(&at);
			if (code >= 0)
				fprintf(stderr, "'%s' can only be given on the command line (--%s)\n",
					e->key, e->key);
			else if (hint)
				fprintf(stderr, "unknown key '%s'; did you mean '%s'?\n",
					e->key, hint);
			else
				fprintf(stderr, "unknown key '%s' (the keys are the long options of the FILES section of iptlint(1))\n",
					e->key);
			return -1;
		}
		at.col = e->value_col;
		if (cli_option(cli, code, e->value, &at) < 0)
			return -1;
	}
	return 0;
}
