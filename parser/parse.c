// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lint_parse(): the flex scanner and bison parser read the source into
 * line records on a thread of their own, while this thread builds the
 * AST from the records (lexer/lines.h).
 */
#include <stdlib.h>
#include <string.h>

#include "iptlint/lint.h"
#include "parser/family.h"
#include "lexer/lex_extra.h"
#include "lexer/lines.h"
#include "parser.h"
#define YYSTYPE IPL_YYSTYPE
#define YYLTYPE IPL_YYLTYPE
#include "lexer.h"

int ipl_yyparse(yyscan_t scanner, struct lines *out);

/* The reader: everything it touches is its own, or the read-only source. */
struct reader {
	struct lines *out;
	char *data;
	size_t len;
	uint32_t file;
};

static void *reader_main(void *arg)
{
	struct reader *rd = arg;
	struct lex_extra extra = {
		.out = rd->out,
		.file = rd->file,
		.line = 1,
		.col = 1,
	};
	yyscan_t scanner;
	YY_BUFFER_STATE buf;

	ext_index_init(&extra.ext_index);
	if (ipl_yylex_init_extra(&extra, &scanner))
		abort();
	/* Scan in place: the source buffer ends with the two NULs flex needs. */
	buf = ipl_yy_scan_buffer(rd->data, rd->len + 2, scanner);
	if (!buf)
		abort();
	ipl_yyparse(scanner, rd->out);
	ipl_yy_delete_buffer(buf, scanner);
	ipl_yylex_destroy(scanner);
	lines_finish(rd->out);
	return NULL;
}

void lint_parse(struct lint *lint, uint32_t file_id)
{
	struct source *src = lint->sources.v[file_id];
	struct build b;
	struct lines out;
	struct reader rd = { &out, src->data, src->len, file_id };
	pthread_t tid;

	build_init(&b, lint, file_id);
	/*
	 * Each file is for one iptables-restore: its own family. With
	 * --noflush, a file that does not tell keeps the one before's.
	 */
	if (lint->opt.family != VAL_FAM_ANY) {
		lint->rs.family = lint->opt.family;
	} else {
		int fam = family_detect(src);

		if (fam != VAL_FAM_ANY || !lint->opt.noflush)
			lint->rs.family = fam;
	}
	lines_init(&out, NULL);
	if (pthread_create(&tid, NULL, reader_main, &rd) == 0) {
		for (;;) {
			struct line_batch *bt = lines_take(&out);
			bool last = bt->last;

			build_replay(&b, bt);
			lines_give_back(&out, bt);
			if (last)
				break;
		}
		pthread_join(tid, NULL);
	} else {
		/* No second thread: replay each batch as soon as it is full. */
		out.b = &b;
		reader_main(&rd);
	}
	/* Words rebuilt without quotes are part of the AST now. */
	arena_adopt(&lint->rs.arena, &out.arena);
	lines_fini(&out);
	build_finish(&b);
	build_fini(&b);
}
