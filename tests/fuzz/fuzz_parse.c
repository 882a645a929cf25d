// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz target, stage 1: the lexer and parser alone (flex scanner, bison
 * grammar, line builder, command-line interpretation, value parsers).
 */
#include <stddef.h>
#include <stdint.h>

#include "iptlint/lint.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lint lint;
	int id;

	lint_init(&lint, NULL);
	id = source_load_mem(&lint.sources, "fuzz.rules", (const char *)data,
			     size);
	if (id >= 0)
		lint_parse(&lint, (uint32_t)id);
	lint_free(&lint);
	return 0;
}
