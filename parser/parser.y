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
#include "iptlint/loc.h"
#include "parser/build.h"

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
%parse-param {struct build *b}

%union {
	struct word word;
}

%token T_EOL "end of line"
%token T_STAR "'*'"
%token T_COLON "':'"
%token T_WORDS "words"
%token <word> T_COUNTERS "counters"
%token <word> T_BAD_COUNTERS "unterminated counters"

%code {
static void ipl_yyerror(struct loc *loc, yyscan_t scanner, struct build *b,
			const char *msg)
{
	(void)scanner;
	build_syntax_error(b, loc, msg);
}
}

%%

input
	: %empty
	| input line
	;

line
	: T_EOL
		{ build_blank_line(b, &@1); }
	| T_STAR T_WORDS T_EOL
		{ build_table_line(b, &@1); }
	| T_STAR T_EOL
		{ build_table_line(b, &@1); }
	| T_COLON T_WORDS T_EOL
		{ build_chain_line(b, &@1); }
	| T_COLON T_EOL
		{ build_chain_line(b, &@1); }
	| T_WORDS T_EOL
		{ build_rule_line(b, NULL, NULL); }
	| T_COUNTERS T_WORDS T_EOL
		{ build_rule_line(b, &$1, &@1); }
	| T_COUNTERS T_EOL
		{ build_rule_line(b, &$1, &@1); }
	| T_BAD_COUNTERS T_WORDS T_EOL
		{ build_syntax_error(b, &@1, "counters prefix without closing ']'");
		  build_reset_words(b); }
	| T_BAD_COUNTERS T_EOL
		{ build_syntax_error(b, &@1, "counters prefix without closing ']'");
		  build_reset_words(b); }
	| error T_EOL
		{ build_reset_words(b); yyerrok; }
	;

%%

/* "unexpected X, expected Y" in the words of this file format. */
static int yyreport_syntax_error(const yypcontext_t *ctx, yyscan_t scanner,
				 struct build *b)
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
	build_syntax_error(b, yypcontext_location(ctx), msg);
	return 0;
}
