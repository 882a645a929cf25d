// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests: the configuration file (tools/config.c) and how its keys
 * and the command line's options combine (tools/cli_options.c).
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "iptlint/values.h"
#include "tools/cli.h"
#include "tools/config.h"

static int parse(struct config *cfg, const char *text, char **err)
{
	memset(cfg, 0, sizeof(*cfg));
	return config_parse(cfg, ".iptlintrc", text, strlen(text), err);
}

static void test_parse_entries(void **state)
{
	struct config cfg;
	char *err = NULL;

	(void)state;
	assert_int_equal(parse(&cfg,
			       "# iptlint settings\n"
			       "\n"
			       "format = gcc\n"
			       "  fail-on=never   # trailing comment\n"
			       "disable = zero-hits, unused-chain\r\n"
			       "\t# indented comment\n"
			       "backend =nft", &err), 0);
	assert_null(err);
	assert_int_equal(cfg.n, 4);
	assert_string_equal(cfg.v[0].key, "format");
	assert_string_equal(cfg.v[0].value, "gcc");
	assert_int_equal(cfg.v[0].line, 3);
	assert_int_equal(cfg.v[0].key_col, 1);
	assert_int_equal(cfg.v[0].value_col, 10);
	assert_string_equal(cfg.v[1].key, "fail-on");
	assert_string_equal(cfg.v[1].value, "never");
	assert_int_equal(cfg.v[1].key_col, 3);
	assert_int_equal(cfg.v[1].value_col, 11);
	assert_string_equal(cfg.v[2].value, "zero-hits, unused-chain");
	assert_int_equal(cfg.v[2].line, 5);
	assert_string_equal(cfg.v[3].key, "backend");
	assert_string_equal(cfg.v[3].value, "nft");
	assert_int_equal(cfg.v[3].line, 7);
	config_free(&cfg);
}

static void expect_error(const char *text, const char *want)
{
	struct config cfg;
	char *err = NULL;

	assert_int_equal(parse(&cfg, text, &err), -1);
	assert_non_null(err);
	assert_string_equal(err, want);
	free(err);
	config_free(&cfg);
}

static void test_parse_errors_are_located(void **state)
{
	(void)state;
	expect_error("format = gcc\n\nformat gcc\n",
		     ".iptlintrc:3:8: error: expected '=' after 'format'");
	expect_error("format =\n",
		     ".iptlintrc:1:9: error: 'format' has no value");
	expect_error("format = # gcc\n",
		     ".iptlintrc:1:10: error: 'format' has no value");
	expect_error("# ok\n  --format = gcc\n",
		     ".iptlintrc:2:3: error: expected a key (a long option without '--', like 'format')");
	expect_error("= gcc\n",
		     ".iptlintrc:1:1: error: expected a key (a long option without '--', like 'format')");
}

static void test_parse_nul(void **state)
{
	struct config cfg = { 0 };
	char *err = NULL;

	(void)state;
	assert_int_equal(config_parse(&cfg, "c", "a = b\nx\0y = z\n", 14, &err), -1);
	assert_string_equal(err, "c:2:2: error: NUL byte: this is not a text file");
	free(err);
	config_free(&cfg);
}

static void test_load_unreadable(void **state)
{
	struct config cfg;
	char *err = NULL;

	(void)state;
	assert_int_equal(config_load(&cfg, "/nonexistent/iptlint/config", &err), -2);
	assert_non_null(strstr(err, "cannot read the configuration /nonexistent/iptlint/config"));
	free(err);
	config_free(&cfg);
}

/* ------------------------------------------------------ discovery */

struct tree {
	char root[PATH_MAX];
};

static void put_file(const char *dir, const char *name, const char *text)
{
	char path[PATH_MAX * 2];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void path_of(char *buf, size_t size, const struct tree *t,
		    const char *rel)
{
	snprintf(buf, size, "%s/%s", t->root, rel);
}

static int tree_setup(void **state)
{
	struct tree *t = calloc(1, sizeof(*t));
	char tmpl[] = "/tmp/iptlint-config-XXXXXX", path[PATH_MAX * 2];
	const char *dirs[] = { "proj", "proj/a", "proj/a/b", "proj/a/b/c",
			       "home", "home/.config", "home/.config/iptlint",
			       "xdg", "xdg/iptlint", NULL };

	assert_non_null(t);
	assert_non_null(mkdtemp(tmpl));
	/* The real path: config_find() answers with one. */
	assert_non_null(realpath(tmpl, t->root));
	for (int i = 0; dirs[i]; i++) {
		path_of(path, sizeof(path), t, dirs[i]);
		assert_int_equal(mkdir(path, 0700), 0);
	}
	*state = t;
	return 0;
}

static int tree_teardown(void **state)
{
	struct tree *t = *state;
	char cmd[PATH_MAX + 32];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t->root);
	if (system(cmd) != 0)
		return -1;
	free(t);
	return 0;
}

/* config_find() from @start with these settings finds @want (NULL: none). */
static void expect_found(const struct tree *t, const char *start,
			 const char *xdg, const char *home, const char *want)
{
	char dir[PATH_MAX * 2], h[PATH_MAX * 2];
	char expect[PATH_MAX * 2];
	char *got;

	/* @xdg as it is (absolute, or relative on purpose), @home in the tree. */
	path_of(dir, sizeof(dir), t, start);
	if (home)
		path_of(h, sizeof(h), t, home);
	got = config_find(dir, xdg, home ? h : NULL);
	if (!want) {
		assert_null(got);
		return;
	}
	path_of(expect, sizeof(expect), t, want);
	assert_non_null(got);
	assert_string_equal(got, expect);
	free(got);
}

static void test_find_walks_up(void **state)
{
	struct tree *t = *state;
	char dir[PATH_MAX * 2];

	/* Nothing anywhere (and no stray .iptlintrc above the tree). */
	expect_found(t, "proj/a/b/c", NULL, NULL, NULL);
	path_of(dir, sizeof(dir), t, "proj");
	put_file(dir, ".iptlintrc", "format = gcc\n");
	expect_found(t, "proj/a/b/c", NULL, NULL, "proj/.iptlintrc");
	expect_found(t, "proj", NULL, NULL, "proj/.iptlintrc");
	/* The nearest one wins; a directory of that name is not one. */
	path_of(dir, sizeof(dir), t, "proj/a/b/c/.iptlintrc");
	assert_int_equal(mkdir(dir, 0700), 0);
	path_of(dir, sizeof(dir), t, "proj/a");
	put_file(dir, ".iptlintrc", "format = json\n");
	expect_found(t, "proj/a/b/c", NULL, NULL, "proj/a/.iptlintrc");
	expect_found(t, "proj/a/b/../b/c/", NULL, NULL, "proj/a/.iptlintrc");
	/* The project's file beats the user's. */
	path_of(dir, sizeof(dir), t, "home/.config/iptlint");
	put_file(dir, "config", "format = sarif\n");
	expect_found(t, "proj/a/b", NULL, "home", "proj/a/.iptlintrc");
}

static void test_find_user_config(void **state)
{
	struct tree *t = *state;
	char dir[PATH_MAX * 2];

	expect_found(t, "home", NULL, "home", NULL);
	path_of(dir, sizeof(dir), t, "home/.config/iptlint");
	put_file(dir, "config", "format = sarif\n");
	/* $HOME/.config/iptlint/config without XDG_CONFIG_HOME... */
	expect_found(t, "home", NULL, "home", "home/.config/iptlint/config");
	/* ... or with a relative one, which the XDG spec says to ignore. */
	expect_found(t, "home", "relative/dir", "home",
		     "home/.config/iptlint/config");
	/* $XDG_CONFIG_HOME/iptlint/config when it is set, even if absent. */
	path_of(dir, sizeof(dir), t, "xdg");
	{
		char xdg[PATH_MAX * 2];

		snprintf(xdg, sizeof(xdg), "%s", dir);
		expect_found(t, "home", xdg, "home", NULL);
		path_of(dir, sizeof(dir), t, "xdg/iptlint");
		put_file(dir, "config", "format = gcc\n");
		expect_found(t, "home", xdg, "home", "xdg/iptlint/config");
	}
	/* No HOME, no XDG_CONFIG_HOME: nothing. */
	expect_found(t, "home", NULL, NULL, NULL);
}

/* ---------------------------------------- configuration and options */

static int apply_text(struct cli *cli, const char *text)
{
	struct config cfg;
	char *err = NULL;
	int rc;

	assert_int_equal(parse(&cfg, text, &err), 0);
	rc = cli_apply_config(cli, &cfg);
	config_free(&cfg);
	return rc;
}

static void test_defaults(void **state)
{
	struct cli cli;

	(void)state;
	cli_defaults(&cli);
	assert_int_equal(cli.format, FORMAT_TEXT);
	assert_int_equal(cli.fail_on, SEV_WARNING);
	assert_int_equal(cli.opt.family, VAL_FAM_ANY);
	assert_int_equal(cli.opt.backend, BACKEND_ANY);
	assert_false(cli.opt.entry_mark_prerouting_unknown);
	assert_false(cli.opt.entry_mark_output_zero);
	assert_true(cli.checks.enabled[CHECK_ZERO_HITS]);
}

static void test_config_sets_what_options_set(void **state)
{
	struct cli cli;

	(void)state;
	cli_defaults(&cli);
	assert_int_equal(apply_text(&cli,
				    "format = sarif\n"
				    "color = never\n"
				    "fail-on = error\n"
				    "family = 6\n"
				    "backend = legacy\n"
				    "disable = all\n"
				    "enable = chain-loop, unused-chain\n"
				    "prerouting-mark = unknown\n"
				    "output-mark = zero\n"), 0);
	assert_int_equal(cli.format, FORMAT_SARIF);
	assert_int_equal(cli.color, COLOR_NEVER);
	assert_int_equal(cli.fail_on, SEV_ERROR);
	assert_int_equal(cli.opt.family, VAL_FAM_V6);
	assert_int_equal(cli.opt.backend, BACKEND_LEGACY);
	assert_true(cli.opt.entry_mark_prerouting_unknown);
	assert_true(cli.opt.entry_mark_output_zero);
	assert_true(cli.checks.enabled[CHECK_CHAIN_LOOP]);
	assert_true(cli.checks.enabled[CHECK_UNUSED_CHAIN]);
	assert_false(cli.checks.enabled[CHECK_ZERO_HITS]);
}

/* The command line is applied after the configuration: it wins. */
static void test_options_override_config(void **state)
{
	struct cli cli;

	(void)state;
	cli_defaults(&cli);
	assert_int_equal(apply_text(&cli,
				    "format = sarif\n"
				    "fail-on = never\n"
				    "disable = unused-chain\n"
				    "prerouting-mark = unknown\n"), 0);
	assert_int_equal(cli_option(&cli, CLI_OPT_FORMAT, "gcc", NULL), 0);
	assert_int_equal(cli_option(&cli, CLI_OPT_ENABLE, "unused-chain", NULL), 0);
	assert_int_equal(cli_option(&cli, CLI_OPT_PREROUTING_MARK, "zero", NULL), 0);
	assert_int_equal(cli.format, FORMAT_GCC);
	assert_int_equal(cli.fail_on, CLI_FAIL_NEVER);	/* not overridden */
	assert_true(cli.checks.enabled[CHECK_UNUSED_CHAIN]);
	assert_false(cli.opt.entry_mark_prerouting_unknown);
	assert_int_equal(cli_option(&cli, CLI_OPT_OUTPUT_MARK, "zero", NULL), 0);
	assert_true(cli.opt.entry_mark_output_zero);
	assert_int_equal(cli_option(&cli, CLI_OPT_OUTPUT_MARK, "unknown", NULL), 0);
	assert_false(cli.opt.entry_mark_output_zero);
}

static void test_bad_keys_and_values(void **state)
{
	struct cli cli;

	(void)state;
	cli_defaults(&cli);
	assert_int_equal(apply_text(&cli, "fromat = gcc\n"), -1);
	assert_int_equal(apply_text(&cli, "format = xml\n"), -1);
	assert_int_equal(apply_text(&cli, "disable = zero-hits,nope\n"), -1);
	assert_int_equal(apply_text(&cli, "prerouting-mark = maybe\n"), -1);
	assert_int_equal(cli_option(&cli, CLI_OPT_OUTPUT_MARK, "some", NULL), -1);
	/* Only settings, not actions or the configuration's own options. */
	assert_int_equal(apply_text(&cli, "list-checks = yes\n"), -1);
	assert_int_equal(apply_text(&cli, "config = other\n"), -1);
	assert_int_equal(apply_text(&cli, "help = 1\n"), -1);
	/* A bad line leaves the settings before it applied, nothing after. */
	assert_int_equal(apply_text(&cli, "format = json\nformat = bad\nfail-on = error\n"), -1);
	assert_int_equal(cli.format, FORMAT_JSON);
	assert_int_equal(cli.fail_on, SEV_WARNING);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_entries),
		cmocka_unit_test(test_parse_errors_are_located),
		cmocka_unit_test(test_parse_nul),
		cmocka_unit_test(test_load_unreadable),
		cmocka_unit_test_setup_teardown(test_find_walks_up, tree_setup,
						tree_teardown),
		cmocka_unit_test_setup_teardown(test_find_user_config,
						tree_setup, tree_teardown),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_config_sets_what_options_set),
		cmocka_unit_test(test_options_override_config),
		cmocka_unit_test(test_bad_keys_and_values),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
