// SPDX-License-Identifier: GPL-2.0-or-later
/* Inputs held in memory with a line table; read once, never written. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
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

/* Line starts found in part of a buffer, in order. */
struct line_index {
	uint32_t *v;
	size_t n, cap;
};

static int index_push(struct line_index *ix, size_t off)
{
	if (ix->n == ix->cap) {
		size_t cap = ix->cap ? ix->cap * 2 : 1024;
		uint32_t *v = realloc(ix->v, cap * sizeof(*v));

		if (!v)
			return -1;
		ix->v = v;
		ix->cap = cap;
	}
	ix->v[ix->n++] = (uint32_t)off;
	return 0;
}

/*
 * The lines that start after a newline in data[from, to) of a buffer of
 * @len bytes (one pass with memchr: cheap next to lexing, and gives O(1)
 * line lookup). Line 1 at offset 0 is the caller's.
 */
static int index_part(struct line_index *ix, const char *data, size_t from,
		      size_t to, size_t len)
{
	const char *p = data + from, *end = data + to;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		if (!nl)
			break;
		p = nl + 1;
		if ((size_t)(p - data) < len && index_push(ix, (size_t)(p - data)) < 0)
			return -1;
	}
	return 0;
}

static int source_add_indexed(struct source_set *set, const char *name,
			      char *data, size_t len, struct line_index *ix)
{
	struct source *src = calloc(1, sizeof(*src));

	if (!src)
		goto oom;
	src->name = strdup(name);
	src->data = data;
	src->len = len;
	/* Give back what the doubling left unused (1 MB of 4 on a big dump). */
	if (ix->n < ix->cap) {
		uint32_t *v = realloc(ix->v, ix->n * sizeof(*v));

		if (v)
			ix->v = v;
	}
	src->line_start = ix->v;
	src->nlines = (uint32_t)ix->n;
	ix->v = NULL;
	if (!src->name)
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
	free(ix->v);
	free(data);
	fputs("iptlint: out of memory\n", stderr);
	abort();
}

static int source_add(struct source_set *set, const char *name, char *data,
		      size_t len)
{
	struct line_index ix = { 0 };

	/* An empty file still has line 1. */
	if (index_push(&ix, 0) < 0 || index_part(&ix, data, 0, len, len) < 0) {
		free(ix.v);
		free(data);
		fputs("iptlint: out of memory\n", stderr);
		abort();
	}
	return source_add_indexed(set, name, data, len, &ix);
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

/*
 * A big file is read and indexed in two halves at once, the second half
 * on a thread of its own: the load is a tenth of a parse-only run on the
 * 85 MB kube-proxy dump, and nothing else can happen before it is done.
 */
#define SOURCE_SPLIT_MIN	((size_t)8 * 1024 * 1024)

/* One half: data[from, to) of @len bytes. */
struct load_part {
	int fd;
	char *data;
	size_t from, to, len;
	struct line_index ix;
	int err;		/* errno, or -1: the file is shorter than it was */
};

static void *load_part_main(void *arg)
{
	struct load_part *p = arg;
	size_t off = p->from;

	while (off < p->to) {
		ssize_t r = pread(p->fd, p->data + off, p->to - off, (off_t)off);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			p->err = r < 0 ? errno : -1;
			return NULL;
		}
		off += (size_t)r;
	}
	if (index_part(&p->ix, p->data, p->from, p->to, p->len) < 0)
		p->err = ENOMEM;
	return NULL;
}

/*
 * Read all @len bytes of @fd into @buf and index its lines, in two
 * halves. Returns 0 with the index in @ix; -1 when a half could not be
 * read as it was (the caller reads the file again in one go), with the
 * error number in @errnum, or 0 when the file changed size.
 */
static int load_split(int fd, char *buf, size_t len, struct line_index *ix,
		      int *errnum)
{
	size_t half = len / 2;
	struct load_part a = { fd, buf, 0, half, len, { 0 }, 0 };
	struct load_part b = { fd, buf, half, len, len, { 0 }, 0 };
	pthread_t tid;
	bool threaded = pthread_create(&tid, NULL, load_part_main, &b) == 0;

	*errnum = 0;
	if (index_push(&a.ix, 0) < 0)
		a.err = ENOMEM;
	else
		load_part_main(&a);
	if (threaded)
		pthread_join(tid, NULL);
	else
		load_part_main(&b);
	if (a.err || b.err) {
		*errnum = a.err > 0 ? a.err : b.err > 0 ? b.err : 0;
		free(a.ix.v);
		free(b.ix.v);
		return -1;
	}
	/* The second half's line starts follow the first half's. */
	for (size_t i = 0; i < b.ix.n; i++)
		if (index_push(&a.ix, b.ix.v[i]) < 0) {
			*errnum = ENOMEM;
			free(a.ix.v);
			free(b.ix.v);
			return -1;
		}
	free(b.ix.v);
	*ix = a.ix;
	return 0;
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
	if ((size_t)st.st_size >= SOURCE_SPLIT_MIN) {
		struct line_index ix;
		int errnum;

		len = (size_t)st.st_size;
		if (load_split(fd, buf, len, &ix, &errnum) == 0) {
			close(fd);
			buf[len] = buf[len + 1] = '\0';
			return source_add_indexed(set, path, buf, len, &ix);
		}
		if (errnum == ENOMEM) {
			fputs("iptlint: out of memory\n", stderr);
			abort();
		}
		/* The file changed under us, or a read failed: once more, in order. */
		len = 0;
		if (lseek(fd, 0, SEEK_SET) < 0) {
			*err = xasprintf_err("%s: %s", path, strerror(errno));
			free(buf);
			close(fd);
			return -1;
		}
	}
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
	const char *start, *end;

	if (line == 0 || line > src->nlines) {
		*len = 0;
		return "";
	}
	/*
	 * The line table says where the next line starts, just past this
	 * line's newline: no scan (findings on a 10 MB line would each cost
	 * a pass over it).
	 */
	start = src->data + src->line_start[line - 1];
	if (line < src->nlines)
		end = src->data + src->line_start[line] - 1;
	else
		end = src->data + src->len;
	if (end > start && end[-1] == '\n' && line == src->nlines)
		end--;
	*len = (size_t)(end - start);
	if (*len && start[*len - 1] == '\r')
		(*len)--;
	return start;
}
