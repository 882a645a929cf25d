// SPDX-License-Identifier: GPL-2.0-or-later
/* Inputs held in memory with a line table; read once, never written. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "iptlint/source.h"

/* Offsets are 32-bit: refuse inputs that do not fit (4 GiB). */
#define SOURCE_MAX_BYTES	((size_t)UINT32_MAX - 16)

void source_set_init(struct source_set *set)
{
	memset(set, 0, sizeof(*set));
}

static void source_free(struct source *src)
{
	free(src->name);
	free(src->data);
	free(src->line_start);
	free(src);
}

void source_set_free(struct source_set *set)
{
	for (uint32_t i = 0; i < set->n; i++)
		source_free(set->v[i]);
	free(set->v);
	memset(set, 0, sizeof(*set));
}

static char *xasprintf_err(const char *fmt, const char *a, const char *b)
{
	char *s = NULL;

	if (asprintf(&s, fmt, a, b) < 0)
		return NULL;
	return s;
}

/* One pass with memchr: cheap next to lexing, and gives O(1) line lookup. */
static int source_index_lines(struct source *src)
{
	size_t cap = 1024, n = 0;
	uint32_t *v = malloc(cap * sizeof(*v));
	const char *p = src->data, *end = src->data + src->len;

	if (!v)
		return -1;
	while (p < end) {
		const char *nl;

		if (n == cap) {
			uint32_t *nv = realloc(v, (cap *= 2) * sizeof(*v));

			if (!nv) {
				free(v);
				return -1;
			}
			v = nv;
		}
		v[n++] = (uint32_t)(p - src->data);
		nl = memchr(p, '\n', (size_t)(end - p));
		p = nl ? nl + 1 : end;
	}
	if (n == 0) {
		v[n++] = 0;	/* an empty file still has line 1 */
	}
	src->line_start = v;
	src->nlines = (uint32_t)n;
	return 0;
}

static int source_add(struct source_set *set, const char *name, char *data,
		      size_t len)
{
	struct source *src = calloc(1, sizeof(*src));

	if (!src)
		goto oom;
	src->name = strdup(name);
	src->data = data;
	src->len = len;
	if (!src->name || source_index_lines(src) < 0)
		goto oom;
	if (set->n == set->cap) {
		uint32_t cap = set->cap ? set->cap * 2 : 4;
		struct source **v = realloc(set->v, cap * sizeof(*v));

		if (!v)
			goto oom;
		set->v = v;
		set->cap = cap;
	}
	set->v[set->n] = src;
	return (int)set->n++;
oom:
	if (src) {
		src->data = NULL;
		source_free(src);
	}
	free(data);
	fputs("iptlint: out of memory\n", stderr);
	abort();
}

int source_load_mem(struct source_set *set, const char *name,
		    const char *data, size_t len)
{
	char *copy = malloc(len + 2);

	if (!copy)
		abort();
	if (len)
		memcpy(copy, data, len);
	copy[len] = copy[len + 1] = '\0';
	return source_add(set, name, copy, len);
}

int source_load_fd(struct source_set *set, const char *name, int fd,
		   char **err)
{
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap);

	if (!buf)
		abort();
	for (;;) {
		ssize_t r;

		if (cap - len < 2) {
			if (cap > SOURCE_MAX_BYTES / 2) {
				free(buf);
				*err = xasprintf_err("%s: %s", name,
						     "input larger than 4 GiB");
				return -1;
			}
			buf = realloc(buf, cap *= 2);
			if (!buf)
				abort();
		}
		r = read(fd, buf + len, cap - len - 2);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			*err = xasprintf_err("%s: %s", name, strerror(errno));
			free(buf);
			return -1;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	buf[len] = buf[len + 1] = '\0';
	return source_add(set, name, buf, len);
}

int source_load_file(struct source_set *set, const char *path, char **err)
{
	struct stat st;
	size_t len = 0;
	char *buf;
	int fd;

	if (strcmp(path, "-") == 0)
		return source_load_fd(set, "<stdin>", STDIN_FILENO, err);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		*err = xasprintf_err("%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || S_ISDIR(st.st_mode)) {
		*err = xasprintf_err("%s: %s", path,
				     S_ISDIR(st.st_mode) ? "Is a directory"
							 : strerror(errno));
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		/* A pipe or device: read until EOF. */
		int r = source_load_fd(set, path, fd, err);

		close(fd);
		return r;
	}
	if ((uint64_t)st.st_size > SOURCE_MAX_BYTES) {
		*err = xasprintf_err("%s: %s", path, "input larger than 4 GiB");
		close(fd);
		return -1;
	}
	buf = malloc((size_t)st.st_size + 2);
	if (!buf)
		abort();
	while (len < (size_t)st.st_size) {
		ssize_t r = read(fd, buf + len, (size_t)st.st_size - len);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			*err = xasprintf_err("%s: %s", path, strerror(errno));
			free(buf);
			close(fd);
			return -1;
		}
		if (r == 0)
			break;	/* the file shrank under us */
		len += (size_t)r;
	}
	close(fd);
	buf[len] = buf[len + 1] = '\0';
	return source_add(set, path, buf, len);
}

const char *source_line(const struct source *src, uint32_t line, size_t *len)
{
	const char *start, *nl;
	size_t max;

	if (line == 0 || line > src->nlines) {
		*len = 0;
		return "";
	}
	start = src->data + src->line_start[line - 1];
	max = src->len - src->line_start[line - 1];
	nl = memchr(start, '\n', max);
	*len = nl ? (size_t)(nl - start) : max;
	if (*len && start[*len - 1] == '\r')
		(*len)--;
	return start;
}
