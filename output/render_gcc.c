// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * gcc format: "FILE:LINE:COL: SEVERITY: MESSAGE [check]", one line per
 * finding and one per note, nothing else, for editors' error parsers (vim
 * errorformat, Emacs compilation-mode, VS Code problem matchers). Every line
 * matches
 *
 *	^[^:]+:[0-9]+:[0-9]+: (error|warning|note): .* \[[a-z0-9-]+\]$
 *
 * To keep that promise whatever the input: newlines and other unsafe bytes
 * in file names and messages are replaced (render_put_clean()), and a ':'
 * in a file name is written as "%3A", since those parsers split at the
 * first ':'. A name with ':' therefore does not name the file as is, but the
 * line is never misread. Fix-its are left out: no such parser reads them.
 */
#include <inttypes.h>
#include <string.h>

#include "output/render.h"

static void gcc_put_file(FILE *out, const char *name)
{
	const char *colon;

	if (!*name) {
		fputs("<unnamed>", out);
		return;
	}
	while ((colon = strchr(name, ':'))) {
		render_put_clean(out, name, (size_t)(colon - name));
		fputs("%3A", out);
		name = colon + 1;
	}
	render_put_clean(out, name, strlen(name));
}

static void gcc_line(FILE *out, const struct source_set *src,
		     const struct loc *loc, enum severity sev, const char *msg,
		     const char *check)
{
	gcc_put_file(out, render_file_name(src, loc->file));
	fprintf(out, ":%" PRIu32 ":%" PRIu32 ": %s: ", loc->line, loc->col,
		severity_name(sev));
	render_put_clean(out, msg, strlen(msg));
	fprintf(out, " [%s]\n", check);
}

void render_gcc(FILE *out, const struct diag_queue *q,
		const struct source_set *src)
{
	for (uint32_t i = 0; i < q->n; i++) {
		const struct diag *d = &q->v[i];
		const struct check_desc *c = &check_table[d->check];

		gcc_line(out, src, &d->loc, c->severity, d->msg, c->name);
		for (uint32_t j = 0; j < d->nnotes; j++)
			gcc_line(out, src, &d->notes[j].loc, SEV_NOTE,
				 d->notes[j].msg, c->name);
	}
}
