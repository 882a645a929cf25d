// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * SARIF 2.1.0: one run whose driver lists every registered check as a rule
 * (id = check name, help URI = its page under docs/checks/), and one
 * result per finding with its physical location, the notes as related
 * locations, the fix-it as a fix, and partialFingerprints that survive
 * lines moving (output/fingerprint.c, shared with the baseline).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "output/fingerprint.h"
#include "output/render.h"

#ifndef IPTLINT_VERSION
#define IPTLINT_VERSION "0.1.0"
#endif

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"
/* Where "meson install" puts the docs (meson.build passes it). */
#ifndef IPTLINT_DOCDIR
#define IPTLINT_DOCDIR "/usr/share/doc/iptlint"
#endif
#define DOC_BASE "file://" IPTLINT_DOCDIR "/checks/"

static const char *const sarif_levels[] = {
	[SEV_NOTE] = "note",
	[SEV_WARNING] = "warning",
	[SEV_ERROR] = "error",
};

static json_t *text_obj(const char *s)
{
	json_t *o = render_json_check(json_object());

	render_json_put(o, "text", render_json_string(s));
	return o;
}

static json_t *rules_array(void)
{
	json_t *rules = render_json_check(json_array());

	for (int i = 0; i < CHECK__COUNT; i++) {
		const struct check_desc *c = &check_table[i];
		json_t *r = render_json_check(json_object());
		json_t *cfg = render_json_check(json_object());
		char uri[256];

		snprintf(uri, sizeof(uri), DOC_BASE "%s.md", c->name);
		render_json_put(r, "id", json_string(c->name));
		render_json_put(r, "name", json_string(c->name));
		render_json_put(r, "shortDescription", text_obj(c->summary));
		render_json_put(r, "fullDescription", text_obj(c->summary));
		render_json_put(r, "helpUri", json_string(uri));
		render_json_put(cfg, "level", json_string(sarif_levels[c->severity]));
		render_json_put(r, "defaultConfiguration", cfg);
		render_json_push(rules, r);
	}
	return rules;
}

/* Names as given, made relative to the working directory when they are under it. */
static json_t *artifact(const struct source_set *src, uint32_t file)
{
	json_t *a = render_json_check(json_object());
	const char *name = render_file_name(src, file);
	char cwd[4096];
	size_t n;

	if (name[0] == '/' && getcwd(cwd, sizeof(cwd))) {
		n = strlen(cwd);
		if (!strncmp(name, cwd, n) && name[n] == '/')
			name += n + 1;
	}
	if (!strcmp(name, "<stdin>"))
		name = "stdin";
	render_json_put(a, "uri", render_json_string(name));
	return a;
}

static json_t *region(const struct loc *l)
{
	json_t *r = render_json_check(json_object());
	uint32_t end = l->end_col > l->col ? l->end_col : l->col + 1;

	render_json_put(r, "startLine", json_integer(l->line ? l->line : 1));
	render_json_put(r, "startColumn", json_integer(l->col ? l->col : 1));
	render_json_put(r, "endLine", json_integer(l->line ? l->line : 1));
	render_json_put(r, "endColumn", json_integer(end));
	return r;
}

static json_t *location(const struct source_set *src, const struct loc *l,
			const char *msg)
{
	json_t *loc = render_json_check(json_object());
	json_t *phys = render_json_check(json_object());

	render_json_put(phys, "artifactLocation", artifact(src, l->file));
	render_json_put(phys, "region", region(l));
	render_json_put(loc, "physicalLocation", phys);
	if (msg)
		render_json_put(loc, "message", text_obj(msg));
	return loc;
}

static json_t *fix(const struct source_set *src, const struct diag *d)
{
	json_t *f = render_json_check(json_object());
	json_t *changes = render_json_check(json_array());
	json_t *change = render_json_check(json_object());
	json_t *reps = render_json_check(json_array());
	json_t *rep = render_json_check(json_object());
	json_t *ins = render_json_check(json_object());
	json_t *del = region(&d->fixit_loc);

	render_json_put(ins, "text", render_json_string(d->fixit));
	/* A zero-width span is an insertion. */
	if (d->fixit_loc.end_col <= d->fixit_loc.col)
		json_object_set_new(del, "endColumn", json_integer(d->fixit_loc.col));
	render_json_put(rep, "deletedRegion", del);
	render_json_put(rep, "insertedContent", ins);
	render_json_push(reps, rep);
	render_json_put(change, "artifactLocation", artifact(src, d->fixit_loc.file));
	render_json_put(change, "replacements", reps);
	render_json_push(changes, change);
	render_json_put(f, "description", text_obj("suggested by iptlint"));
	render_json_put(f, "artifactChanges", changes);
	return f;
}

static json_t *result(const struct source_set *src, const struct diag *d,
		      uint64_t fingerprint)
{
	json_t *res = render_json_check(json_object());
	json_t *locs = render_json_check(json_array());
	json_t *fp = render_json_check(json_object());
	char hash[32];

	render_json_put(res, "ruleId", json_string(check_table[d->check].name));
	render_json_put(res, "ruleIndex", json_integer(d->check));
	render_json_put(res, "level",
			json_string(sarif_levels[check_table[d->check].severity]));
	render_json_put(res, "message", text_obj(d->msg));
	render_json_push(locs, location(src, &d->loc, NULL));
	render_json_put(res, "locations", locs);
	if (d->nnotes) {
		json_t *rel = render_json_check(json_array());

		for (uint32_t i = 0; i < d->nnotes; i++) {
			json_t *l = location(src, &d->notes[i].loc, d->notes[i].msg);

			render_json_put(l, "id", json_integer(i));
			render_json_push(rel, l);
		}
		render_json_put(res, "relatedLocations", rel);
	}
	if (d->fixit) {
		json_t *fixes = render_json_check(json_array());

		render_json_push(fixes, fix(src, d));
		render_json_put(res, "fixes", fixes);
	}
	fingerprint_format(fingerprint, hash, sizeof(hash));
	render_json_put(fp, "iptlintRule/v1", json_string(hash));
	render_json_put(res, "partialFingerprints", fp);
	return res;
}

#define SARIF_MARKER	"\001iptlint: the results go here\001"

struct sarif_ctx {
	const struct diag_queue *q;
	const struct source_set *src;
	const uint64_t *fp;
};

static json_t *sarif_elem(void *ctx, uint32_t i)
{
	const struct sarif_ctx *c = ctx;

	return result(c->src, &c->q->v[i], c->fp[i]);
}

int render_sarif(FILE *out, const struct diag_queue *q,
		 const struct source_set *src, const struct ast_ruleset *rs)
{
	json_t *doc = render_json_check(json_object());
	json_t *runs = render_json_check(json_array());
	json_t *run = render_json_check(json_object());
	json_t *tool = render_json_check(json_object());
	json_t *driver = render_json_check(json_object());
	uint64_t *fp = calloc(q->n ? q->n : 1, sizeof(*fp));
	struct sarif_ctx ctx = { q, src, fp };
	int rc;

	if (!fp)
		abort();
	/* Numbered before a baseline dropped some: keep those numbers. */
	if (q->fingerprinted)
		for (uint32_t i = 0; i < q->n; i++)
			fp[i] = q->v[i].fingerprint;
	else
		fingerprint_compute(q, src, rs, fp);
	render_json_put(driver, "name", json_string("iptlint"));
	render_json_put(driver, "version", json_string(IPTLINT_VERSION));
	render_json_put(driver, "informationUri",
			json_string("file://" IPTLINT_DOCDIR "/README.md"));
	render_json_put(driver, "rules", rules_array());
	render_json_put(tool, "driver", driver);
	render_json_put(run, "tool", tool);
	render_json_put(run, "results", json_string(SARIF_MARKER));
	render_json_push(runs, run);
	render_json_put(doc, "$schema", json_string(SARIF_SCHEMA));
	render_json_put(doc, "version", json_string("2.1.0"));
	render_json_put(doc, "runs", runs);
	rc = render_json_stream(out, doc, SARIF_MARKER, q->n, sarif_elem, &ctx);
	json_decref(doc);
	free(fp);
	return rc == 0 ? 0 : -1;
}
