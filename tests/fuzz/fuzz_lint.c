// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz target, stage 2: parse, run every check, and render the findings in
 * every output format (into a memory stream that is thrown away).
 *
 * The family and backend are taken from the input's length, so every seed
 * keeps its meaning while the fuzzer still reaches all settings. Each
 * input is linted alone, then twice over as two files with --noflush,
 * with fingerprints, a baseline and SARIF.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "iptlint/lint.h"
#include "output/baseline.h"
#include "output/fingerprint.h"
#include "output/render.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const int fuzz_families[] = { VAL_FAM_ANY, VAL_FAM_V4, VAL_FAM_V6 };
static const enum backend fuzz_backends[] = {
	BACKEND_ANY, BACKEND_LEGACY, BACKEND_NFT,
};

static int fuzz_cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

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

/*
 * What a baseline does (output/baseline.c) with every other finding
 * recorded, and SARIF from the fingerprints the queue then carries.
 */
static void fuzz_baseline(struct lint *lint)
{
	struct baseline bl = { 0 };
	char *buf = NULL;
	size_t len = 0;
	FILE *out;

	fingerprint_queue(&lint->diags, &lint->sources, &lint->rs);
	bl.fp = calloc(lint->diags.n + 1, sizeof(*bl.fp));
	if (!bl.fp)
		abort();
	for (uint32_t i = 0; i < lint->diags.n; i += 2)
		bl.fp[bl.n++] = lint->diags.v[i].fingerprint;
	qsort(bl.fp, bl.n, sizeof(*bl.fp), fuzz_cmp_u64);
	out = open_memstream(&buf, &len);
	if (!out)
		abort();
	if (baseline_write(out, &lint->diags, &lint->sources) < 0)
		abort();
	baseline_filter(&bl, &lint->diags);
	if (render_sarif(out, &lint->diags, &lint->sources, &lint->rs) < 0)
		abort();
	fclose(out);
	free(buf);
	baseline_free(&bl);
}

/*
 * One lint of the input; with @noflush, the input twice, as two files of
 * one ruleset (iptlint --noflush): tables, chains and -D go on across
 * files and blocks.
 */
static void fuzz_lint(const uint8_t *data, size_t size, bool noflush)
{
	struct lint_options opt = lint_options_default();
	struct lint lint;
	const char *bad;
	size_t badlen;
	int id;

	opt.family = fuzz_families[size % 3];
	opt.backend = fuzz_backends[size / 3 % 3];
	opt.noflush = noflush;
	lint_init(&lint, &opt);
	if (check_set_apply(&lint.checks, "all", true, &bad, &badlen) < 0)
		abort();
	for (int k = 0; k < (noflush ? 2 : 1); k++) {
		id = source_load_mem(&lint.sources, k ? "fuzz2.rules" : "fuzz.rules",
				     (const char *)data, size);
		if (id >= 0)
			lint_parse(&lint, (uint32_t)id);
	}
	lint_run_checks(&lint);
	diag_sort(&lint.diags);
	fuzz_render(&lint);
	if (noflush)
		fuzz_baseline(&lint);
	lint_free(&lint);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_lint(data, size, false);
	fuzz_lint(data, size, true);
	return 0;
}
