/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IPTLINT_TOOLS_CONFIG_H
#define IPTLINT_TOOLS_CONFIG_H

#include <stddef.h>
#include <stdint.h>

/*
 * The configuration file: where it is and its lines. Only the syntax is
 * known here; what a key means is the command line's business
 * (tools/cli_options.c), since every key is a long option.
 *
 *     # a comment
 *     format = gcc
 *     disable = log-without-limit, zero-hits   # a comment after a blank
 *
 * One "KEY = VALUE" per line, blanks around '=' optional, '#' starts a
 * comment at the start of a line or after a blank, empty lines allowed.
 */

/* Name of the per-project file, looked for from the input's directory up. */
#define CONFIG_PROJECT_NAME	".iptlintrc"

/**
 * struct config_entry - one "KEY = VALUE" line.
 * @line: its line number (from 1)
 * @key_col, @value_col: columns (bytes, from 1) of the key and the value
 */
struct config_entry {
	char *key;
	char *value;
	uint32_t line;
	uint32_t key_col;
	uint32_t value_col;
};

/**
 * struct config - a configuration file as read.
 * @path: the name it was opened by (messages start with it)
 * @v: the entries in file order
 */
struct config {
	char *path;
	struct config_entry *v;
	uint32_t n;
};

/*
 * The configuration that applies when nothing says which: the nearest
 * CONFIG_PROJECT_NAME in @start_dir or a directory above it, else
 * @xdg_config_home/iptlint/config (when @xdg_config_home is an absolute
 * path), else @home/.config/iptlint/config. @xdg_config_home and @home
 * may be NULL (unset). Returns a malloc'ed path, or NULL when there is
 * no such regular file.
 */
char *config_find(const char *start_dir, const char *xdg_config_home,
		  const char *home);

/*
 * Read and parse @path into @cfg. Returns 0; -1 for a bad line, with a
 * malloc'ed "PATH:LINE:COL: error: ..." in *err; -2 when the file cannot
 * be read, with "cannot read the configuration PATH: ..." in *err. @cfg
 * needs config_free() either way.
 */
int config_load(struct config *cfg, const char *path, char **err);

/*
 * Parse @len bytes of @text as file @path into @cfg, which is zeroed or
 * holds what earlier calls parsed: config_load() without the file.
 */
int config_parse(struct config *cfg, const char *path, const char *text,
		 size_t len, char **err);

void config_free(struct config *cfg);

#endif
