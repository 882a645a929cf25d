/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IPTLINT_TOOLS_CLI_H
#define IPTLINT_TOOLS_CLI_H

#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "iptlint/lint.h"
#include "tools/config.h"

/*
 * The command line's settings, and the options that set them: the same
 * code applies an option given on the command line and a key of the
 * configuration file (tools/cli_options.c), so both mean the same thing.
 */

enum cli_format { FORMAT_TEXT, FORMAT_GCC, FORMAT_JSON, FORMAT_SARIF };
enum cli_color { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };
enum cli_input { INPUT_FILES, INPUT_STDIN, INPUT_SAVE };

/* --fail-on=never: one past the highest severity, so nothing reaches it. */
#define CLI_FAIL_NEVER	(SEV_ERROR + 1)

/**
 * struct cli - what the options and the configuration ask for.
 * @config_path: --config FILE (NULL: look for one, see config_find())
 * @no_config: --no-config
 * @baseline_path: --baseline FILE: hide the findings recorded there
 * @write_baseline_path: --write-baseline FILE: record the findings there
 */
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
	const char *config_path;
	bool no_config;
	bool list_checks;
	const char *baseline_path;
	const char *write_baseline_path;
};

/* getopt_long codes of the long options without a short form. */
enum {
	CLI_OPT_FORMAT = 256,
	CLI_OPT_COLOR,
	CLI_OPT_ENABLE,
	CLI_OPT_DISABLE,
	CLI_OPT_LIST_CHECKS,
	CLI_OPT_FAIL_ON,
	CLI_OPT_FAMILY,
	CLI_OPT_BACKEND,
	CLI_OPT_VERSION,
	CLI_OPT_EXPLAIN,
	CLI_OPT_PREROUTING_MARK,
	CLI_OPT_OUTPUT_MARK,
	CLI_OPT_CONFIG,
	CLI_OPT_NO_CONFIG,
	CLI_OPT_BASELINE,
	CLI_OPT_WRITE_BASELINE,
	CLI_OPT_NOFLUSH,
};

/* The long options, for getopt_long (ends with a zeroed entry). */
extern const struct option cli_options[];

/**
 * struct cli_origin - where a setting comes from, for error messages.
 * NULL means the command line ("iptlint: ..."); otherwise a line of the
 * configuration file ("FILE:LINE:COL: error: ...").
 */
struct cli_origin {
	const char *file;
	uint32_t line;
	uint32_t col;
};

/* The defaults, before any configuration or option. */
void cli_defaults(struct cli *cli);

/*
 * Apply option @code (a getopt_long code, or '4'/'6') with argument @arg.
 * Returns 0, or -1 after saying what is wrong (located at @from).
 */
int cli_option(struct cli *cli, int code, const char *arg,
	       const struct cli_origin *from);

/*
 * Apply every entry of @cfg, in order, as the long option of the same
 * name. Only the settings listed in the manual may be set there. Returns
 * 0, or -1 after a located error message.
 */
int cli_apply_config(struct cli *cli, const struct config *cfg);

/* Closest check name to @name (@len bytes) if it is close enough, or NULL. */
const char *cli_suggest_check(const char *name, size_t len);

#endif
