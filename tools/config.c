// SPDX-License-Identifier: GPL-2.0-or-later
/* The configuration file: found (config_find) and read (config_load). */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tools/config.h"

/* A configuration is a few lines: anything bigger is not one. */
#define CONFIG_MAX_BYTES	(1u << 20)

static bool config_is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static char *config_join(const char *dir, const char *name)
{
	char *s;
	size_t n = strlen(dir);

	if (asprintf(&s, "%s%s%s", dir, n && dir[n - 1] == '/' ? "" : "/",
		     name) < 0)
		return NULL;
	return s;
}

/* @dir's parent in place; false at the root. */
static bool config_parent(char *dir)
{
	char *slash = strrchr(dir, '/');

	if (!slash || (slash == dir && dir[1] == '\0'))
		return false;
	if (slash == dir)
		slash[1] = '\0';	/* "/etc" -> "/" */
	else
		*slash = '\0';
	return true;
}

static char *config_find_project(const char *start_dir)
{
	char *dir = realpath(start_dir, NULL);

	if (!dir)
		return NULL;
	do {
		char *path = config_join(dir, CONFIG_PROJECT_NAME);

		if (path && config_is_file(path)) {
			free(dir);
			return path;
		}
		free(path);
	} while (config_parent(dir));
	free(dir);
	return NULL;
}

char *config_find(const char *start_dir, const char *xdg_config_home,
		  const char *home)
{
	char *path = start_dir ? config_find_project(start_dir) : NULL;

	if (path)
		return path;
	/* The XDG spec: a relative $XDG_CONFIG_HOME is invalid, ignore it. */
	if (xdg_config_home && xdg_config_home[0] == '/')
		path = config_join(xdg_config_home, "iptlint/config");
	else if (home && home[0])
		path = config_join(home, ".config/iptlint/config");
	if (path && config_is_file(path))
		return path;
	free(path);
	return NULL;
}

static int config_fail(char **err, const char *path, uint32_t line,
		       uint32_t col, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static int config_fail(char **err, const char *path, uint32_t line,
		       uint32_t col, const char *fmt, ...)
{
	char *msg = NULL;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	if (asprintf(err, "%s:%u:%u: error: %s", path, line, col,
		     msg ? msg : "out of memory") < 0)
		*err = NULL;
	free(msg);
	return -1;
}

static void config_push(struct config *cfg, const struct config_entry *e)
{
	struct config_entry *v = realloc(cfg->v, (cfg->n + 1) * sizeof(*v));

	if (!v)
		abort();
	cfg->v = v;
	cfg->v[cfg->n++] = *e;
}

static bool config_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool config_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool config_key_char(char c)
{
	return config_letter(c) || (c >= '0' && c <= '9') || c == '-' ||
	       c == '_';
}

/* One line of @len bytes (no newline); 0, or -1 with *err set. */
static int config_line(struct config *cfg, uint32_t lineno, const char *s,
		       size_t len, char **err)
{
	struct config_entry e = { .line = lineno };
	size_t i = 0, k0, k1, v0, v1;

	if (len && s[len - 1] == '\r')
		len--;
	while (i < len && config_blank(s[i]))
		i++;
	if (i == len || s[i] == '#')
		return 0;
	k0 = i;
	/* A key starts with a letter: "--format" is not one. */
	while (i < len && config_key_char(s[i]) &&
	       (i > k0 || config_letter(s[i])))
		i++;
	k1 = i;
	if (k1 == k0)
		return config_fail(err, cfg->path, lineno, (uint32_t)i + 1,
				   "expected a key (a long option without '--', like 'format')");
	while (i < len && config_blank(s[i]))
		i++;
	if (i == len || s[i] != '=')
		return config_fail(err, cfg->path, lineno, (uint32_t)i + 1,
				   "expected '=' after '%.*s'", (int)(k1 - k0),
				   s + k0);
	i++;
	while (i < len && config_blank(s[i]))
		i++;
	v0 = i;
	/* The value ends at a '#' after a blank, or at the end of the line. */
	while (i < len && !(s[i] == '#' && config_blank(s[i - 1])))
		i++;
	v1 = i;
	while (v1 > v0 && config_blank(s[v1 - 1]))
		v1--;
	if (v1 == v0)
		return config_fail(err, cfg->path, lineno, (uint32_t)v0 + 1,
				   "'%.*s' has no value", (int)(k1 - k0),
				   s + k0);
	e.key = strndup(s + k0, k1 - k0);
	e.value = strndup(s + v0, v1 - v0);
	if (!e.key || !e.value)
		abort();
	e.key_col = (uint32_t)k0 + 1;
	e.value_col = (uint32_t)v0 + 1;
	config_push(cfg, &e);
	return 0;
}

int config_parse(struct config *cfg, const char *path, const char *text,
		 size_t len, char **err)
{
	const char *p = text, *end = text + len;
	uint32_t lineno = 1;

	if (!cfg->path) {
		cfg->path = strdup(path);
		if (!cfg->path)
			abort();
	}
	*err = NULL;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		const char *nul = memchr(p, '\0', n);

		if (nul)
			return config_fail(err, path, lineno,
					   (uint32_t)(nul - p) + 1,
					   "NUL byte: this is not a text file");
		if (config_line(cfg, lineno, p, n, err) < 0)
			return -1;
		p += n + 1;
		lineno++;
	}
	return 0;
}

int config_load(struct config *cfg, const char *path, char **err)
{
	FILE *f;
	char *buf;
	size_t len;
	int rc;

	memset(cfg, 0, sizeof(*cfg));
	cfg->path = strdup(path);
	if (!cfg->path)
		abort();
	*err = NULL;
	f = fopen(path, "r");
	if (!f) {
		if (asprintf(err, "cannot read the configuration %s: %s",
			     path, strerror(errno)) < 0)
			*err = NULL;
		return -2;
	}
	buf = malloc(CONFIG_MAX_BYTES + 1);
	if (!buf)
		abort();
	len = fread(buf, 1, CONFIG_MAX_BYTES + 1, f);
	if (ferror(f) || len > CONFIG_MAX_BYTES) {
		if (asprintf(err, "cannot read the configuration %s: %s", path,
			     ferror(f) ? strerror(errno) :
			     "over 1 MiB, too big for one") < 0)
			*err = NULL;
		fclose(f);
		free(buf);
		return -2;
	}
	fclose(f);
	rc = config_parse(cfg, path, buf, len, err);
	free(buf);
	return rc;
}

void config_free(struct config *cfg)
{
	for (uint32_t i = 0; i < cfg->n; i++) {
		free(cfg->v[i].key);
		free(cfg->v[i].value);
	}
	free(cfg->v);
	free(cfg->path);
	memset(cfg, 0, sizeof(*cfg));
}
