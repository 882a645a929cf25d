/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IPTLINT_SOURCE_H
#define IPTLINT_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/**
 * struct source - one input held in memory with a table of line starts.
 * @name:  as given on the command line ("-" shows as "<stdin>")
 * @data:  the bytes, followed by two NULs (flex scans it in place)
 * @len:   number of input bytes
 * @line_start: byte offset of each line; line N starts at line_start[N-1]
 * @nlines: number of lines (a final line without newline counts)
 *
 * Diagnostics print source excerpts from here: files are never re-read,
 * and nothing is ever written back to an input.
 */
struct source {
	char *name;
	char *data;
	size_t len;
	uint32_t *line_start;
	uint32_t nlines;
};

struct source_set {
	struct source **v;
	uint32_t n;
	uint32_t cap;
};

void source_set_init(struct source_set *set);
void source_set_free(struct source_set *set);

/*
 * Read a file ("-" = stdin) into the set. Returns the file index, or -1
 * with a malloc'ed message in *err (unreadable, a directory, too large).
 */
int source_load_file(struct source_set *set, const char *path, char **err);
/* Adopt an in-memory buffer (copied); used by tests and fuzzers. */
int source_load_mem(struct source_set *set, const char *name,
		    const char *data, size_t len);
/* Read everything from @fd (used for stdin and for `iptables-save` output). */
int source_load_fd(struct source_set *set, const char *name, int fd,
		   char **err);

/* Bytes of line @line (1-based) without its newline (and without a '\r'). */
const char *source_line(const struct source *src, uint32_t line,
			size_t *len);

#endif
