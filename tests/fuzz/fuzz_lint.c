// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz target, stage 2: parse, run every check, and render the findings in
 * every output format (into a memory stream that is thrown away).
 *
 * The family and backend are taken from the input's length, so every seed
 * keeps its meaning while the fuzzer still reaches all settings.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "iptlint/lint.h"
#include "output/render.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const int fuzz_families[] = { VAL_FAM_ANY, VAL_FAM_V4, VAL_FAM_V6 };
static const enum backend fuzz_backends[] = {
	BACKEND_ANY, BACKEND_LEGACY, BACKEND_NFT,
};

static void fuzz_render(const struct lint *lint)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	if (!out)
		abort();
	render_text(out, &lint->diags, &lint->sources, false);
	render_text(out, &lint->diags, &lint->sources, true);
	render_gcc(out, &lint->diags, &lint->sources);
	if (render_json(out, &lint->diags, &lint->sources) < 0)
		abort();
	fclose(out);
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lint_options opt = {
		.family = fuzz_families[size % 3],
		.backend = fuzz_backends[size / 3 % 3],
	};
	struct lint lint;
	const char *bad;
	size_t badlen;
	int id;

	lint_init(&lint, &opt);
	if (check_set_apply(&lint.checks, "all", true, &bad, &badlen) < 0)
		abort();
	id = source_load_mem(&lint.sources, "fuzz.rules", (const char *)data,
			     size);
	if (id >= 0)
		lint_parse(&lint, (uint32_t)id);
	lint_run_checks(&lint);
	diag_sort(&lint.diags);
	fuzz_render(&lint);
	lint_free(&lint);
	return 0;
}
