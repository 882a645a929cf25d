// SPDX-License-Identifier: GPL-2.0-or-later
/* One lint run: set-up, checks, tear-down. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "iptlint/cfg.h"
#include "iptlint/lint.h"
#include "iptlint/markflow.h"
#include "iptlint/reach.h"

void lint_init(struct lint *lint, const struct lint_options *opt)
{
	memset(lint, 0, sizeof(*lint));
	lint->opt = opt ? *opt : lint_options_default();
	source_set_init(&lint->sources);
	ast_ruleset_init(&lint->rs);
	check_set_default(&lint->checks);
	diag_queue_init(&lint->diags, &lint->checks);
}

void lint_free(struct lint *lint)
{
	suppress_free(&lint->suppress);
	markflow_free(lint->markflow);
	reach_free(lint->reach);
	cfg_free(lint->cfg);
	diag_queue_free(&lint->diags);
	ast_ruleset_free(&lint->rs);
	source_set_free(&lint->sources);
}

/* Checks that share the BuDDy manager (one per process) run on the caller's thread. */
static bool uses_bdd(int id)
{
	switch (id) {
	case CHECK_UNREACHABLE_RULE:
	case CHECK_RESTORE_OVERWRITES_MARK:
	case CHECK_MISSING_SAVE_MARK:
	case CHECK_MARK_MATCH_CONFUSION:
	case CHECK_MARK_NEVER_MATCHES:
	case CHECK_MARK_CLOBBER:
	case CHECK_CONNMARK_UNTRACKED:
	case CHECK_RESTORE_WITHOUT_SAVE:
		return true;	/* reach.c, markflow.c (witnesses) */
	default:
		return false;
	}
}

struct check_worker {
	struct lint view;	/* the run, with a diag queue of its own */
	void (*run[CHECK__COUNT])(struct lint *);
	int n;
	void (*visit[CHECK__COUNT])(struct lint *, const struct ast_rule *);
	int nvisit;
};

static void run_visits(struct lint *lint,
		       void (*const *visit)(struct lint *, const struct ast_rule *),
		       int nvisit)
{
	/* One walk over every rule that loads, for all per-rule checks. */
	for (const struct ast_table *t = lint->rs.tables; t; t = t->next)
		for (const struct ast_rule *r = t->rules; r; r = r->next_in_table)
			if (!r->bad)
				for (int k = 0; k < nvisit; k++)
					visit[k](lint, r);
}

static void *check_worker_main(void *arg)
{
	struct check_worker *w = arg;

	for (int k = 0; k < w->n; k++)
		w->run[k](&w->view);
	if (w->nvisit)
		run_visits(&w->view, w->visit, w->nvisit);
	return NULL;
}

/*
 * The checks only read the AST and the shared analyses, which are built
 * first: the ones that do not need BuDDy (whole-run checks, then the
 * per-rule visits) run on a second thread with a diag queue of their own,
 * merged afterwards (diag_sort orders them).
 */
void lint_run_checks(struct lint *lint)
{
	void (*mine[CHECK__COUNT])(struct lint *);
	struct check_worker *w = calloc(1, sizeof(*w));
	int nmine = 0;
	pthread_t tid;
	bool threaded = false;

	if (!w)
		abort();
	for (int i = 0; i < CHECK__COUNT; i++) {
		if (!lint->checks.enabled[i])
			continue;
		if (check_table[i].run && uses_bdd(i))
			mine[nmine++] = check_table[i].run;
		else if (check_table[i].run)
			w->run[w->n++] = check_table[i].run;
		if (check_table[i].visit)
			w->visit[w->nvisit++] = check_table[i].visit;
	}
	/*
	 * The jump graph is shared by both threads: build it before they
	 * start, and only when some check runs (--disable=all reads only).
	 */
	if (w->n || nmine || w->nvisit)
		cfg_get(lint);
	w->view = *lint;
	diag_queue_init(&w->view.diags, &lint->checks);
	if (w->n || w->nvisit)
		threaded = pthread_create(&tid, NULL, check_worker_main, w) == 0;
	if ((w->n || w->nvisit) && !threaded)
		check_worker_main(w);
	for (int k = 0; k < nmine; k++)
		mine[k](lint);
	if (threaded)
		pthread_join(tid, NULL);
	diag_queue_move(&lint->diags, &w->view.diags);
	free(w);
	suppress_apply(lint);
}
