// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * "iptlint trace FILE --packet SPEC": follow a packet (or a connection's
 * packets, --flow N) through a ruleset offline; see analyzer/trace.c.
 */
#include <arpa/inet.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "iptlint/lint.h"
#include "iptlint/source.h"
#include "iptlint/trace.h"
#include "tools/trace_cmd.h"

struct trace_opts {
	const char *file;
	const char *packet;
	const char *path;
	const char *local;
	unsigned int flow;
	bool json;
	int family;
};

static void trace_usage(FILE *f)
{
	fputs("usage: iptlint trace [OPTIONS] FILE --packet 'PROTO SRC[:PORT] -> DST[:PORT] [in IF] [out IF]\n"
	      "           [flags S|SA|A|...] [type N[/CODE]] [state new|established|related|invalid|untracked]\n"
	      "           [mark V] [ctmark V]'\n"
	      "  --path local-in|forward|local-out   the packet's path (default: from --local, else forward)\n"
	      "  --local ADDR,...                    the host's own addresses: decide the path\n"
	      "  --flow N                            N packets of the connection: first, reply, later ones\n"
	      "  --format text|json\n", f);
}

static int parse_opts(struct trace_opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "packet", required_argument, NULL, 'p' },
		{ "path", required_argument, NULL, 'P' },
		{ "local", required_argument, NULL, 'l' },
		{ "flow", required_argument, NULL, 'f' },
		{ "format", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	o->flow = 1;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			o->packet = optarg;
			break;
		case 'P':
			o->path = optarg;
			break;
		case 'l':
			o->local = optarg;
			break;
		case 'f': {
			char *end;
			unsigned long n = strtoul(optarg, &end, 10);

			if (*end || !n || n > 64) {
				fprintf(stderr, "iptlint trace: --flow wants 1..64\n");
				return -1;
			}
			o->flow = (unsigned int)n;
			break;
		}
		case 'F':
			if (!strcmp(optarg, "json"))
				o->json = true;
			else if (strcmp(optarg, "text")) {
				fprintf(stderr, "iptlint trace: --format is text or json\n");
				return -1;
			}
			break;
		case 'h':
			trace_usage(stdout);
			return 1;
		default:
			trace_usage(stderr);
			return -1;
		}
	}
	if (optind != argc - 1 || !o->packet) {
		trace_usage(stderr);
		return -1;
	}
	o->file = argv[optind];
	return 0;
}

static int path_of(const struct trace_opts *o, const struct trace_packet *p,
		   enum trace_path *path)
{
	uint8_t local[32][16];
	size_t n = 0;
	char buf[1024], *save = NULL;

	if (o->path) {
		if (!strcmp(o->path, "local-in"))
			*path = TRACE_LOCAL_IN;
		else if (!strcmp(o->path, "forward"))
			*path = TRACE_FORWARD;
		else if (!strcmp(o->path, "local-out"))
			*path = TRACE_LOCAL_OUT;
		else
			return -1;
		return 0;
	}
	*path = TRACE_FORWARD;
	if (!o->local)
		return 0;
	snprintf(buf, sizeof(buf), "%s", o->local);
	for (char *t = strtok_r(buf, ",", &save); t && n < 32;
	     t = strtok_r(NULL, ",", &save)) {
		memset(local[n], 0, 16);
		if (inet_pton(p->family == 6 ? AF_INET6 : AF_INET, t, local[n]) != 1)
			return -1;
		n++;
	}
	*path = trace_path_infer(p, (const uint8_t (*)[16])local, n);
	return 0;
}

static void fmt_mark(char *buf, size_t size, struct tnum t)
{
	if (!t.mask)
		snprintf(buf, size, "0x%x", t.value);
	else
		snprintf(buf, size, "?");
}

static const char *class_word(int state)
{
	static const char *const w[MF__CLASSES] = {
		[MF_FIRST] = "NEW", [MF_LATER] = "ESTABLISHED",
		[MF_RELATED] = "RELATED", [MF_INVALID] = "INVALID",
		[MF_UNTRACKED] = "UNTRACKED",
	};
	return state >= 0 && state < MF__CLASSES ? w[state] : "?";
}

static void print_text(const struct lint *lint, const struct trace_result *res)
{
	for (uint32_t wi = 0; wi < res->nworlds; wi++) {
		const struct trace_world *w = &res->worlds[wi];

		if (res->nworlds > 1)
			printf("== branch %u of %u%s\n", wi + 1, res->nworlds,
			       res->truncated ? " (more not shown)" : "");
		for (uint32_t k = 0; k < w->nruns; k++) {
			const struct trace_run *run = &w->runs[k];
			char pkt[256], a[16], b[16];

			trace_packet_format(&run->pkt, pkt, sizeof(pkt));
			printf("packet %u: %s  [%s, %s%s]\n", k + 1, pkt,
			       class_word(run->state), trace_path_name(run->path),
			       run->reply ? ", reply" : "");
			for (uint32_t s = 0; s < run->nsteps; s++) {
				const struct trace_step *st = &run->steps[s];
				const struct ast_rule *r = st->rule;
				const struct source *src = lint->sources.v[r->loc.file];
				size_t len = 0;
				const char *line = source_line(src, r->loc.line, &len);

				printf("  %s:%u:%u: %s:%s:rule:%u%s", src->name,
				       r->loc.line, r->loc.col, table_name(r->table->kind),
				       r->chain->name, r->index + 1,
				       st->branch ? " (assumed: iptlint cannot decide this match)" : "");
				if (!tnum_equal(st->nf, st->nf_before)) {
					fmt_mark(a, sizeof(a), st->nf_before);
					fmt_mark(b, sizeof(b), st->nf);
					printf("  nfmark %s -> %s", a, b);
				}
				if (!tnum_equal(st->ct, st->ct_before)) {
					fmt_mark(a, sizeof(a), st->ct_before);
					fmt_mark(b, sizeof(b), st->ct);
					printf("  ctmark %s -> %s", a, b);
				}
				printf("\n      %.*s\n", (int)len, line ? line : "");
			}
			for (uint32_t h = 0; h < run->nhooks; h++)
				printf("  %s: %s%s\n", hook_name(run->hooks[h].hook),
				       trace_verdict_name(run->hooks[h].verdict),
				       run->hooks[h].rule || run->hooks[h].verdict == TRACE_ACCEPT ?
				       "" : " (policy)");
			fmt_mark(a, sizeof(a), run->nf);
			fmt_mark(b, sizeof(b), run->ct);
			printf("  verdict: %s  nfmark %s  ctmark %s\n",
			       trace_verdict_name(run->verdict), a, b);
		}
	}
}

static json_t *mark_json(struct tnum t)
{
	return t.mask ? json_null() : json_integer(t.value);
}

static void print_json(const struct lint *lint, const struct trace_result *res)
{
	json_t *root = json_object(), *packets = json_array(), *worlds = json_array();
	char *out;

	for (uint32_t wi = 0; wi < res->nworlds; wi++) {
		const struct trace_world *w = &res->worlds[wi];
		json_t *wp = json_array();

		for (uint32_t k = 0; k < w->nruns; k++) {
			const struct trace_run *run = &w->runs[k];
			json_t *p = json_object(), *steps = json_array();
			char pkt[256];

			trace_packet_format(&run->pkt, pkt, sizeof(pkt));
			json_object_set_new(p, "packet", json_string(pkt));
			json_object_set_new(p, "state", json_string(class_word(run->state)));
			json_object_set_new(p, "path", json_string(trace_path_name(run->path)));
			json_object_set_new(p, "reply", json_boolean(run->reply));
			json_object_set_new(p, "verdict",
					    json_string(trace_verdict_name(run->verdict)));
			for (uint32_t s = 0; s < run->nsteps; s++) {
				const struct trace_step *st = &run->steps[s];
				const struct ast_rule *r = st->rule;
				json_t *o = json_object();

				json_object_set_new(o, "file", json_string(
					lint->sources.v[r->loc.file]->name));
				json_object_set_new(o, "line", json_integer(r->loc.line));
				json_object_set_new(o, "table",
						    json_string(table_name(r->table->kind)));
				json_object_set_new(o, "chain", json_string(r->chain->name));
				json_object_set_new(o, "hook", json_string(hook_name(st->hook)));
				json_object_set_new(o, "nfmark", mark_json(st->nf));
				json_object_set_new(o, "ctmark", mark_json(st->ct));
				json_object_set_new(o, "branch", json_boolean(st->branch));
				json_array_append_new(steps, o);
			}
			json_object_set_new(p, "steps", steps);
			json_object_set_new(p, "nfmark", mark_json(run->nf));
			json_object_set_new(p, "ctmark", mark_json(run->ct));
			/* "packets" is the first branch, "branches" all of them. */
			if (wi == 0)
				json_array_append(packets, p);
			json_array_append_new(wp, p);
		}
		json_array_append_new(worlds, wp);
	}
	json_object_set_new(root, "packets", packets);
	if (res->nworlds > 1)
		json_object_set_new(root, "branches", worlds);
	else
		json_decref(worlds);
	json_object_set_new(root, "truncated", json_boolean(res->truncated));
	out = json_dumps(root, JSON_INDENT(2));
	puts(out);
	free(out);
	json_decref(root);
}

int trace_main(int argc, char **argv)
{
	struct trace_opts o;
	struct trace_packet pkt;
	struct trace_result res;
	enum trace_path path;
	struct lint_options lo = { 0 };
	struct lint lint;
	char err[256], *lerr = NULL;
	int id, rc;

	rc = parse_opts(&o, argc, argv);
	if (rc)
		return rc > 0 ? 0 : 2;
	if (trace_packet_parse(o.packet, &pkt, err, sizeof(err))) {
		fprintf(stderr, "iptlint trace: --packet: %s\n", err);
		return 2;
	}
	if (path_of(&o, &pkt, &path)) {
		fprintf(stderr, "iptlint trace: bad --path or --local\n");
		return 2;
	}
	lo.family = pkt.family == 6 ? VAL_FAM_V6 : VAL_FAM_V4;
	lint_init(&lint, &lo);
	id = !strcmp(o.file, "-") ?
	     source_load_fd(&lint.sources, "<stdin>", 0, &lerr) :
	     source_load_file(&lint.sources, o.file, &lerr);
	if (id < 0) {
		fprintf(stderr, "iptlint: %s\n", lerr ? lerr : o.file);
		free(lerr);
		lint_free(&lint);
		return 2;
	}
	lint_parse(&lint, (uint32_t)id);
	if (trace_flow(&lint, &pkt, path, o.flow, &res)) {
		fprintf(stderr, "iptlint trace: %s has no table to trace\n", o.file);
		lint_free(&lint);
		return 2;
	}
	if (o.json)
		print_json(&lint, &res);
	else
		print_text(&lint, &res);
	trace_result_free(&res);
	lint_free(&lint);
	return 0;
}
