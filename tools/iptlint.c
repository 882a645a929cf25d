// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iptlint: the command line. Reads options, loads and parses the inputs,
 * runs the checks, renders the findings and turns them into an exit status.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "iptlint/lint.h"
#include "tools/trace_cmd.h"
#include "iptlint/values.h"
#include "output/explain.h"
#include "output/render.h"

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

enum cli_format { FORMAT_TEXT, FORMAT_GCC, FORMAT_JSON, FORMAT_SARIF };
enum cli_color { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };
enum cli_input { INPUT_FILES, INPUT_STDIN, INPUT_SAVE };

/* --fail-on=never: one past the highest severity, so nothing reaches it. */
#define FAIL_NEVER	(SEV_ERROR + 1)

struct cli {
	struct lint_options opt;
	struct check_set checks;
	enum cli_format format;
	enum cli_color color;
	int fail_on;
	enum cli_input input;
	char save_path[PATH_MAX];
	char **files;
	int nfiles;
};

/* What cli_parse() wants main() to do next. */
enum cli_action { ACTION_RUN, ACTION_EXIT_OK, ACTION_USAGE_ERROR };

static const char *const format_words[] = { "text", "gcc", "json", "sarif", NULL };
static const char *const color_words[] = { "auto", "always", "never", NULL };
/* Same order as enum severity, then "never" (FAIL_NEVER). */
static const char *const fail_words[] = {
	"note", "warning", "error", "never", NULL
};
static const char *const family_words[] = { "auto", "4", "6", NULL };
static const int family_values[] = { VAL_FAM_ANY, VAL_FAM_V4, VAL_FAM_V6 };
static const char *const backend_words[] = { "any", "legacy", "nft", NULL };
static const enum backend backend_values[] = {
	BACKEND_ANY, BACKEND_LEGACY, BACKEND_NFT
};

enum {
	LOPT_FORMAT = 256,
	LOPT_COLOR,
	LOPT_ENABLE,
	LOPT_DISABLE,
	LOPT_LIST_CHECKS,
	LOPT_FAIL_ON,
	LOPT_FAMILY,
	LOPT_BACKEND,
	LOPT_VERSION,
	LOPT_EXPLAIN,
};

static const struct option cli_options[] = {
	{ "format", required_argument, NULL, LOPT_FORMAT },
	{ "color", optional_argument, NULL, LOPT_COLOR },
	{ "enable", required_argument, NULL, LOPT_ENABLE },
	{ "disable", required_argument, NULL, LOPT_DISABLE },
	{ "list-checks", no_argument, NULL, LOPT_LIST_CHECKS },
	{ "fail-on", required_argument, NULL, LOPT_FAIL_ON },
	{ "family", required_argument, NULL, LOPT_FAMILY },
	{ "backend", required_argument, NULL, LOPT_BACKEND },
	{ "version", no_argument, NULL, LOPT_VERSION },
	{ "explain", required_argument, NULL, LOPT_EXPLAIN },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
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
	      "  --version                 print the version and exit\n"
	      "  -h, --help                print this help and exit\n"
	      "\n"
	      "Exit status: 0 no findings at or above --fail-on, 1 findings, "
	      "2 usage error or\nunreadable input.\n", out);
}

static void cli_try_help(void)
{
	fputs("Try 'iptlint --help' for more information.\n", stderr);
}

/* Index of @arg in @words, or -1 after telling the user what is allowed. */
static int cli_choice(const char *opt, const char *arg,
		      const char *const *words)
{
	for (int i = 0; words[i]; i++)
		if (strcmp(arg, words[i]) == 0)
			return i;
	fprintf(stderr, "iptlint: invalid argument '%s' for '--%s'\n"
		"Valid arguments are:", arg, opt);
	for (int i = 0; words[i]; i++)
		fprintf(stderr, "%s '%s'", i ? "," : "", words[i]);
	fputc('\n', stderr);
	return -1;
}

/* Closest check name, if at most a third of its letters differ. */
static const char *cli_suggest_check(const char *name, size_t len)
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

static int cli_apply_checks(struct cli *cli, const char *list, bool enable)
{
	const char *bad, *hint;
	size_t badlen;

	if (check_set_apply(&cli->checks, list, enable, &bad, &badlen) == 0)
		return 0;
	if (badlen == 0) {
		fprintf(stderr, "iptlint: empty check name in '--%s=%s'\n",
			enable ? "enable" : "disable", list);
	} else {
		fprintf(stderr, "iptlint: unknown check '%.*s'", (int)badlen,
			bad);
		hint = cli_suggest_check(bad, badlen);
		if (hint)
			fprintf(stderr, "; did you mean '%s'?", hint);
		fputs(" (see --list-checks)\n", stderr);
	}
	return -1;
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

/* One option; returns -1 on a usage error. */
static int cli_option(struct cli *cli, int c, const char *arg,
		      bool *list_checks)
{
	int i;

	switch (c) {
	case LOPT_FORMAT:
		i = cli_choice("format", arg, format_words);
		if (i >= 0)
			cli->format = (enum cli_format)i;
		return i;
	case LOPT_COLOR:
		i = arg ? cli_choice("color", arg, color_words) : COLOR_ALWAYS;
		if (i >= 0)
			cli->color = (enum cli_color)i;
		return i;
	case LOPT_ENABLE:
	case LOPT_DISABLE:
		return cli_apply_checks(cli, arg, c == LOPT_ENABLE);
	case LOPT_LIST_CHECKS:
		*list_checks = true;
		return 0;
	case LOPT_FAIL_ON:
		i = cli_choice("fail-on", arg, fail_words);
		if (i >= 0)
			cli->fail_on = i;
		return i;
	case LOPT_FAMILY:
		i = cli_choice("family", arg, family_words);
		if (i >= 0)
			cli->opt.family = family_values[i];
		return i;
	case '4':
	case '6':
		cli->opt.family = c == '4' ? VAL_FAM_V4 : VAL_FAM_V6;
		return 0;
	case LOPT_BACKEND:
		i = cli_choice("backend", arg, backend_words);
		if (i >= 0)
			cli->opt.backend = backend_values[i];
		return i;
	default:	/* getopt_long has said what was wrong */
		return -1;
	}
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

static enum cli_action cli_parse(struct cli *cli, int argc, char **argv)
{
	bool list_checks = false;
	int c;

	memset(cli, 0, sizeof(*cli));
	cli->opt.family = VAL_FAM_ANY;
	cli->opt.backend = BACKEND_ANY;
	cli->fail_on = SEV_WARNING;
	check_set_default(&cli->checks);
	while ((c = getopt_long(argc, argv, "46h", cli_options, NULL)) != -1) {
		if (c == 'h') {
			cli_usage(stdout);
			return ACTION_EXIT_OK;
		}
		if (c == LOPT_VERSION) {
			puts("iptlint " IPTLINT_VERSION);
			return ACTION_EXIT_OK;
		}
		if (c == LOPT_EXPLAIN)
			return cli_explain(optarg);
		if (cli_option(cli, c, optarg, &list_checks) < 0) {
			cli_try_help();
			return ACTION_USAGE_ERROR;
		}
	}
	if (list_checks) {
		cli_list_checks();
		return ACTION_EXIT_OK;
	}
	cli->files = argv + optind;
	cli->nfiles = argc - optind;
	if (cli_pick_input(cli) < 0)
		return ACTION_USAGE_ERROR;
	return ACTION_RUN;
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

static enum cli_exit cli_run(const struct cli *cli)
{
	enum cli_exit status = EXIT_CLEAN;
	struct lint lint;
	bool readable;

	lint_init(&lint, &cli->opt);
	lint.checks = cli->checks;	/* the queue reads lint.checks */
	readable = cli_lint_inputs(&lint, cli);
	lint_run_checks(&lint);
	diag_sort(&lint.diags);
	if (cli->fail_on != FAIL_NEVER &&
	    diag_count_at_least(&lint.diags, (enum severity)cli->fail_on))
		status = EXIT_FINDINGS;
	if (cli_render(cli, &lint) < 0 || !readable)
		status = EXIT_TROUBLE;
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
