// SPDX-License-Identifier: GPL-2.0-or-later
/* lint_parse(): run the flex scanner and bison parser over one source. */
#include <string.h>

#include "iptlint/lint.h"
#include "parser/family.h"
#include "lexer/lex_extra.h"
#include "parser.h"
#define YYSTYPE IPL_YYSTYPE
#define YYLTYPE IPL_YYLTYPE
#include "lexer.h"

int ipl_yyparse(yyscan_t scanner, struct build *b);

void lint_parse(struct lint *lint, uint32_t file_id)
{
	struct source *src = lint->sources.v[file_id];
	struct lex_extra extra = {
		.arena = &lint->rs.arena,
		.file = file_id,
		.line = 1,
		.col = 1,
	};
	struct build b;
	yyscan_t scanner;
	YY_BUFFER_STATE buf;

	build_init(&b, lint, file_id);
	extra.b = &b;
	/* Each file is for one iptables-restore: its own family. */
	if (lint->opt.family != VAL_FAM_ANY)
		lint->rs.family = lint->opt.family;
	else
		lint->rs.family = family_detect(src);
	if (ipl_yylex_init_extra(&extra, &scanner))
		abort();
	/* Scan in place: the source buffer ends with the two NULs flex needs. */
	buf = ipl_yy_scan_buffer(src->data, src->len + 2, scanner);
	if (!buf)
		abort();
	ipl_yyparse(scanner, &b);
	ipl_yy_delete_buffer(buf, scanner);
	ipl_yylex_destroy(scanner);
	build_finish(&b);
	build_fini(&b);
}
