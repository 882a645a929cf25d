/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Grammar of an iptables-restore file: a sequence of lines. What a command
 * line means (its options) is table-driven and lives in parser/command.c,
 * as in iptables itself, where do_parse() runs getopt over the words.
 */
%define api.pure full
%define api.prefix {ipl_yy}
%define parse.error custom
%define api.location.type {struct loc}
%locations
%expect 0

%code top {
/* Generated code: silence what -Wextra finds in bison's skeleton. */
#pragma GCC diagnostic ignored "-Wunused-but-set-variable"
#pragma GCC diagnostic ignored "-Wmissing-prototypes"
}

%code requires {
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "iptlint/loc.h"
#include "lexer/lines.h"

typedef void *yyscan_t;

#define YYLLOC_DEFAULT(cur, rhs, n)					\
	do {								\
		if (n) {						\
			(cur) = YYRHSLOC(rhs, 1);			\
			(cur).end_col = YYRHSLOC(rhs, n).end_col;	\
		} else {						\
			(cur) = YYRHSLOC(rhs, 0);			\
			(cur).col = (cur).end_col;			\
		}							\
	} while (0)
}

%code provides {
int ipl_yylex(IPL_YYSTYPE *yylval, struct loc *yylloc, yyscan_t scanner);
}

%param {yyscan_t scanner}
%parse-param {struct lines *out}

%union {
	struct lex_text text;
}

%token T_EOL "end of line"
%token T_STAR "'*'"
%token T_COLON "':'"
%token T_WORDS "words"
%token <text> T_COUNTERS "counters"
%token <text> T_BAD_COUNTERS "unterminated counters"

%code {
/* A grammar error: the builder reports it in its place among the lines. */
static void syntax_error(struct lines *out, const struct loc *loc,
			 const char *msg)
{
	size_t len = strlen(msg);

	lines_emit(out, LINE_SYNTAX, loc, false,
		   arena_strndup(&out->arena, msg, len), (uint32_t)len);
}

static void ipl_yyerror(struct loc *loc, yyscan_t scanner, struct lines *out,
			const char *msg)
{
	(void)scanner;
	syntax_error(out, loc, msg);
}
}

%%

input
	: %empty
	| input line
	;

line
	: T_EOL
		{ lines_emit(out, LINE_BLANK, &@1, true, NULL, 0); }
	| T_STAR T_WORDS T_EOL
		{ lines_emit(out, LINE_TABLE, &@1, true, NULL, 0); }
	| T_STAR T_EOL
		{ lines_emit(out, LINE_TABLE, &@1, true, NULL, 0); }
	| T_COLON T_WORDS T_EOL
		{ lines_emit(out, LINE_CHAIN, &@1, true, NULL, 0); }
	| T_COLON T_EOL
		{ lines_emit(out, LINE_CHAIN, &@1, true, NULL, 0); }
	| T_WORDS T_EOL
		{ lines_emit(out, LINE_RULE, &@1, true, NULL, 0); }
	| T_COUNTERS T_WORDS T_EOL
		{ lines_emit(out, LINE_RULE_COUNTERS, &@1, true, $1.s, $1.len); }
	| T_COUNTERS T_EOL
		{ lines_emit(out, LINE_RULE_COUNTERS, &@1, true, $1.s, $1.len); }
	| T_BAD_COUNTERS T_WORDS T_EOL
		{ lines_emit(out, LINE_BAD_COUNTERS, &@1, true, NULL, 0); }
	| T_BAD_COUNTERS T_EOL
		{ lines_emit(out, LINE_BAD_COUNTERS, &@1, true, NULL, 0); }
	| error T_EOL
		{ lines_emit(out, LINE_RESET, &@1, true, NULL, 0); yyerrok; }
	;

%%

/* "unexpected X, expected Y" in the words of this file format. */
static int yyreport_syntax_error(const yypcontext_t *ctx, yyscan_t scanner,
				 struct lines *out)
{
	yysymbol_kind_t expected[4];
	int n = yypcontext_expected_tokens(ctx, expected, 4);
	yysymbol_kind_t got = yypcontext_token(ctx);
	char msg[256];
	int len;

	(void)scanner;
	len = snprintf(msg, sizeof(msg), "unexpected %s", yysymbol_name(got));
	for (int i = 0; i < n && len > 0 && (size_t)len < sizeof(msg); i++)
		len += snprintf(msg + len, sizeof(msg) - (size_t)len, "%s%s",
				i ? " or " : ", expected ",
				yysymbol_name(expected[i]));
	syntax_error(out, yypcontext_location(ctx), msg);
	return 0;
}
