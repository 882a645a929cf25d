// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iptlint: the command line. Reads options, loads and parses the inputs,
 * runs the checks, renders the findings and turns them into an exit status.
 */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "iptlint/lint.h"
#include "tools/trace_cmd.h"
#include "output/baseline.h"
#include "output/explain.h"
#include "output/fingerprint.h"
#include "output/render.h"
#include "tools/cli.h"
#include "tools/config.h"

#ifndef IPTLINT_VERSION
#define IPTLINT_VERSION "0.1.0"
#endif

#define SAVE_PROG	"iptables-save"
#define SAVE_NAME	"<iptables-save>"

enum cli_exit {
	EXIT_CLEAN = 0,		/* nothing at or above --fail-on */
	EXIT_FINDINGS = 1,
	EXIT_TROUBLE = 2,	/* usage error or unreadable input */
};

/* What cli_parse() wants main() to do next. */
enum cli_action { ACTION_RUN, ACTION_EXIT_OK, ACTION_USAGE_ERROR };

/* An option as getopt_long saw it, applied after the configuration. */
struct cli_arg {
	int code;
	const char *arg;
};

static void cli_usage(FILE *out)
{
	fputs("Usage: iptlint [OPTIONS] [FILE...]\n"
	      "Check iptables-save / iptables-restore files for errors and "
	      "rules that do not\ndo what they say. FILE '-' is standard input; "
	      "with no FILE, standard input,\nor on a terminal the output of "
	      "iptables-save.\n"
	      "\n"
	      "  --format=text|gcc|json|sarif  output format (default text)\n"
	      "  --color[=auto|always|never]\n"
	      "                            colour text output (default auto)\n"
	      "  --enable=CHECK,...        run these checks ('all': every one)\n"
	      "  --disable=CHECK,...       do not run these checks\n"
	      "  --explain=CHECK           what CHECK finds, why, a bad and a good example\n"
	      "  --list-checks             list the checks and exit\n"
	      "  --fail-on=error|warning|note|never\n"
	      "                            exit 1 on findings this severe "
	      "(default warning)\n"
	      "  -4, -6, --family=4|6|auto\n"
	      "                            address family (default auto)\n"
	      "  --backend=legacy|nft|any  judge errors against this "
	      "iptables-restore\n"
	      "                            (default any: either)\n"
	      "  --noflush                 the FILEs are one ruleset, restored "
	      "in order with\n"
	      "                            iptables-restore --noflush\n"
	      "  --prerouting-mark=zero|unknown\n"
	      "                            the nfmark packets enter PREROUTING "
	      "with (default zero)\n"
	      "  --output-mark=unknown|zero\n"
	      "                            the nfmark local packets enter OUTPUT "
	      "with\n"
	      "                            (default unknown)\n"
	      "  --baseline=FILE           report only findings not recorded "
	      "in FILE\n"
	      "  --write-baseline=FILE     record every finding in FILE "
	      "instead of reporting\n"
	      "  --config=FILE             read the settings from FILE\n"
	      "  --no-config               read no configuration file\n"
	      "  --version                 print the version and exit\n"
	      "  -h, --help                print this help and exit\n"
	      "\n"
	      "Settings are read from the nearest .iptlintrc above the first "
	      "FILE, else from\n~/.config/iptlint/config; options override "
	      "them.\n"
	      "\n"
	      "Exit status: 0 no findings at or above --fail-on, 1 findings, "
	      "2 usage error,\nbad configuration or unreadable input.\n", out);
}

static void cli_try_help(void)
{
	fputs("Try 'iptlint --help' for more information.\n", stderr);
}

static void cli_list_checks(void)
{
	int width = 0;

	for (int i = 0; i < CHECK__COUNT; i++) {
		int w = (int)strlen(check_table[i].name);

		if (w > width)
			width = w;
	}
	for (int i = 0; i < CHECK__COUNT; i++)
		printf("%-*s  %-7s  %s\n", width, check_table[i].name,
		       severity_name(check_table[i].severity),
		       check_table[i].summary);
}

/* --explain NAME: the check's page (docs/checks/NAME.md, compiled in). */
static enum cli_action cli_explain(const char *name)
{
	const char *page = explain_page(name);

	if (!page) {
		const char *hint = cli_suggest_check(name, strlen(name));

		fprintf(stderr, "iptlint: unknown check '%s'", name);
		if (hint)
			fprintf(stderr, "; did you mean '%s'?", hint);
		fputs(" (see --list-checks)\n", stderr);
		return ACTION_USAGE_ERROR;
	}
	fputs(page, stdout);
	return ACTION_EXIT_OK;
}

/* Full path of @prog in $PATH into @buf, or false when there is none. */
static bool cli_find_in_path(const char *prog, char *buf, size_t size)
{
	const char *path = getenv("PATH");

	while (path && *path) {
		const char *colon = strchr(path, ':');
		size_t len = colon ? (size_t)(colon - path) : strlen(path);
		int n;

		/* An empty PATH entry means the current directory. */
		n = snprintf(buf, size, "%.*s%s%s", (int)len, path,
			     len ? "/" : "", prog);
		if (n > 0 && (size_t)n < size && access(buf, X_OK) == 0)
			return true;
		path = colon ? colon + 1 : NULL;
	}
	return false;
}

/*
 * No FILE: a pipe or file on stdin is read; on a terminal nobody is typing a
 * ruleset, so lint the live one through iptables-save if there is one.
 */
static int cli_pick_input(struct cli *cli)
{
	if (cli->nfiles) {
		cli->input = INPUT_FILES;
	} else if (!isatty(STDIN_FILENO)) {
		cli->input = INPUT_STDIN;
	} else if (cli_find_in_path(SAVE_PROG, cli->save_path,
				    sizeof(cli->save_path))) {
		cli->input = INPUT_SAVE;
		fputs("iptlint: no file given; linting the output of "
		      SAVE_PROG "\n", stderr);
	} else {
		cli_usage(stderr);
		return -1;
	}
	return 0;
}

/*
 * The configuration in effect: --config, none with --no-config, else the
 * nearest .iptlintrc from the first file's directory (the working
 * directory for standard input and iptables-save) up, else the user's.
 */
static char *cli_config_path(const struct cli *cli)
{
	char *dir, *path;

	if (cli->config_path) {
		path = strdup(cli->config_path);
		if (!path)
			abort();
		return path;
	}
	if (cli->nfiles && strcmp(cli->files[0], "-") != 0) {
		char *copy = strdup(cli->files[0]);

		if (!copy)
			abort();
		dir = strdup(dirname(copy));
		free(copy);
	} else {
		dir = strdup(".");
	}
	if (!dir)
		abort();
	path = config_find(dir, getenv("XDG_CONFIG_HOME"), getenv("HOME"));
	free(dir);
	return path;
}

/* Read and apply the configuration; -1 after a (located) error message. */
static int cli_load_config(struct cli *cli)
{
	struct config cfg;
	char *path, *err = NULL;
	int rc;

	if (cli->no_config)
		return 0;
	path = cli_config_path(cli);
	if (!path)
		return 0;
	rc = config_load(&cfg, path, &err);
	if (rc < 0)
		fprintf(stderr, "%s%s\n", rc == -2 ? "iptlint: " : "",
			err ? err : path);
	else
		rc = cli_apply_config(cli, &cfg);
	config_free(&cfg);
	free(err);
	free(path);
	return rc;
}

/*
 * Options are read first and applied after the configuration, so that
 * they override it; --help, --version and --explain act at once.
 */
static enum cli_action cli_parse(struct cli *cli, int argc, char **argv)
{
	struct cli_arg *args = calloc((size_t)argc + 1, sizeof(*args));
	enum cli_action act = ACTION_RUN;
	int nargs = 0, c;

	if (!args)
		abort();
	cli_defaults(cli);
	while ((c = getopt_long(argc, argv, "46h", cli_options, NULL)) != -1) {
		if (c == 'h') {
			cli_usage(stdout);
			act = ACTION_EXIT_OK;
			goto out;
		}
		if (c == CLI_OPT_VERSION) {
			puts("iptlint " IPTLINT_VERSION);
			act = ACTION_EXIT_OK;
			goto out;
		}
		if (c == CLI_OPT_EXPLAIN) {
			act = cli_explain(optarg);
			goto out;
		}
		if (c == '?' || c == ':') {	/* getopt_long has said why */
			cli_try_help();
			act = ACTION_USAGE_ERROR;
			goto out;
		}
		/* Where the configuration is must be known before it is read. */
		if (c == CLI_OPT_CONFIG || c == CLI_OPT_NO_CONFIG)
			cli_option(cli, c, optarg, NULL);
		else
			args[nargs++] = (struct cli_arg){ c, optarg };
	}
	cli->files = argv + optind;
	cli->nfiles = argc - optind;
	if (cli->config_path && cli->no_config) {
		fputs("iptlint: --config and --no-config exclude each other\n",
		      stderr);
		cli_try_help();
		act = ACTION_USAGE_ERROR;
		goto out;
	}
	if (cli_load_config(cli) < 0) {
		act = ACTION_USAGE_ERROR;
		goto out;
	}
	for (int i = 0; i < nargs; i++)
		if (cli_option(cli, args[i].code, args[i].arg, NULL) < 0) {
			cli_try_help();
			act = ACTION_USAGE_ERROR;
			goto out;
		}
	if (cli->list_checks) {
		cli_list_checks();
		act = ACTION_EXIT_OK;
		goto out;
	}
	if (cli_pick_input(cli) < 0)
		act = ACTION_USAGE_ERROR;
out:
	free(args);
	return act;
}

/* NO_COLOR follows no-color.org: set and not empty turns colour off. */
static bool cli_use_color(const struct cli *cli)
{
	const char *term = getenv("TERM");
	const char *no_color = getenv("NO_COLOR");

	if (cli->color != COLOR_AUTO)
		return cli->color == COLOR_ALWAYS;
	return isatty(STDOUT_FILENO) && term && strcmp(term, "dumb") != 0 &&
	       !(no_color && *no_color);
}

/* Report a failed load; the message from source.c starts with the name. */
static void cli_load_error(const char *name, char *err)
{
	fprintf(stderr, "iptlint: %s\n", err ? err : name);
	free(err);
}

/* Lint one input; returns false when it could not be read. */
static bool cli_lint_file(struct lint *lint, const char *path)
{
	char *err = NULL;
	int id = source_load_file(&lint->sources, path, &err);

	if (id < 0) {
		cli_load_error(path, err);
		return false;
	}
	lint_parse(lint, (uint32_t)id);
	return true;
}

/*
 * Run iptables-save (fork and exec, no shell) and lint what it prints.
 * Its stderr goes to ours, so "you must be root" reaches the user.
 */
static bool cli_lint_save(struct lint *lint, const char *path)
{
	char *argv[] = { (char *)SAVE_PROG, NULL };
	char *err = NULL;
	int fd[2], status, id;
	pid_t pid, w;

	if (pipe(fd) < 0) {
		fprintf(stderr, "iptlint: pipe: %s\n", strerror(errno));
		return false;
	}
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "iptlint: fork: %s\n", strerror(errno));
		close(fd[0]);
		close(fd[1]);
		return false;
	}
	if (pid == 0) {
		close(fd[0]);
		if (dup2(fd[1], STDOUT_FILENO) < 0)
			_exit(127);
		close(fd[1]);
		execv(path, argv);
		fprintf(stderr, "iptlint: %s: %s\n", path, strerror(errno));
		_exit(127);
	}
	close(fd[1]);
	id = source_load_fd(&lint->sources, SAVE_NAME, fd[0], &err);
	close(fd[0]);
	do
		w = waitpid(pid, &status, 0);
	while (w < 0 && errno == EINTR);
	if (id < 0) {
		cli_load_error(SAVE_NAME, err);
		return false;
	}
	/* Half a dump would be full of false missing-commit errors. */
	if (w < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "iptlint: %s failed; nothing linted\n", path);
		return false;
	}
	lint_parse(lint, (uint32_t)id);
	return true;
}

/* Load and parse every input; returns false if any could not be read. */
static bool cli_lint_inputs(struct lint *lint, const struct cli *cli)
{
	bool ok = true;

	switch (cli->input) {
	case INPUT_STDIN:
		return cli_lint_file(lint, "-");
	case INPUT_SAVE:
		return cli_lint_save(lint, cli->save_path);
	case INPUT_FILES:
		for (int i = 0; i < cli->nfiles; i++)
			ok &= cli_lint_file(lint, cli->files[i]);
		break;
	}
	return ok;
}

static int cli_render(const struct cli *cli, const struct lint *lint)
{
	int r = 0;

	switch (cli->format) {
	case FORMAT_TEXT:
		render_text(stdout, &lint->diags, &lint->sources,
			    cli_use_color(cli));
		break;
	case FORMAT_GCC:
		render_gcc(stdout, &lint->diags, &lint->sources);
		break;
	case FORMAT_JSON:
		r = render_json(stdout, &lint->diags, &lint->sources);
		break;
	case FORMAT_SARIF:
		r = render_sarif(stdout, &lint->diags, &lint->sources, &lint->rs);
		break;
	}
	if (fflush(stdout) == EOF || ferror(stdout) || r < 0) {
		fprintf(stderr, "iptlint: write error: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

/* --write-baseline: every finding into the file, nothing on stdout. */
static int cli_write_baseline(const struct cli *cli, const struct lint *lint)
{
	const char *path = cli->write_baseline_path;
	FILE *f = fopen(path, "w");
	int rc;

	if (!f) {
		fprintf(stderr, "iptlint: %s: %s\n", path, strerror(errno));
		return -1;
	}
	rc = baseline_write(f, &lint->diags, &lint->sources);
	if (fclose(f) == EOF || rc < 0) {
		fprintf(stderr, "iptlint: %s: write error: %s\n", path,
			strerror(errno));
		return -1;
	}
	fprintf(stderr, "iptlint: %u finding%s recorded in the baseline %s\n",
		lint->diags.n, lint->diags.n == 1 ? "" : "s", path);
	return 0;
}

static enum cli_exit cli_run(const struct cli *cli)
{
	enum cli_exit status = EXIT_CLEAN;
	struct baseline bl;
	struct lint lint;
	bool readable;
	char *err = NULL;

	/* A bad baseline is trouble before any work is done. */
	if (cli->baseline_path && baseline_load(&bl, cli->baseline_path, &err) < 0) {
		fprintf(stderr, "iptlint: %s\n", err ? err : cli->baseline_path);
		free(err);
		baseline_free(&bl);
		return EXIT_TROUBLE;
	}
	lint_init(&lint, &cli->opt);
	lint.checks = cli->checks;	/* the queue reads lint.checks */
	readable = cli_lint_inputs(&lint, cli);
	lint_run_checks(&lint);
	diag_sort(&lint.diags);
	/* Numbered in output order, before a baseline drops any. */
	if (cli->baseline_path || cli->write_baseline_path)
		fingerprint_queue(&lint.diags, &lint.sources, &lint.rs);
	if (cli->write_baseline_path) {
		if (!readable)
			fputs("iptlint: baseline not written: an input could not be read\n",
			      stderr);
		else if (cli_write_baseline(cli, &lint) == 0)
			goto out;
		status = EXIT_TROUBLE;
		goto out;
	}
	if (cli->baseline_path) {
		uint32_t hidden = baseline_filter(&bl, &lint.diags);

		if (hidden)
			fprintf(stderr, "iptlint: %u finding%s hidden by the baseline %s\n",
				hidden, hidden == 1 ? "" : "s", cli->baseline_path);
	}
	if (cli->fail_on != CLI_FAIL_NEVER &&
	    diag_count_at_least(&lint.diags, (enum severity)cli->fail_on))
		status = EXIT_FINDINGS;
	if (cli_render(cli, &lint) < 0 || !readable)
		status = EXIT_TROUBLE;
out:
	if (cli->baseline_path)
		baseline_free(&bl);
	lint_free(&lint);
	return status;
}

int main(int argc, char **argv)
{
	struct cli cli;

	if (argc > 1 && !strcmp(argv[1], "trace"))
		return trace_main(argc - 1, argv + 1);

	switch (cli_parse(&cli, argc, argv)) {
	case ACTION_EXIT_OK:
		return EXIT_CLEAN;
	case ACTION_USAGE_ERROR:
		return EXIT_TROUBLE;
	case ACTION_RUN:
		break;
	}
	return cli_run(&cli);
}
