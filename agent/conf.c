#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "util.h"

enum ktype { K_STR, K_INT, K_LEVEL };

struct key {
	const char	*name;
	enum ktype	 type;
	size_t		 off;
	long long	 min, max;
	const char	*help;	/* written above the key by conf_save */
};

#define OFF(f)	offsetof(struct conf, f)

static const struct key keys[] = {
	{ "url", K_STR, OFF(url), 0, 0, NULL },
	{ "token", K_STR, OFF(token), 0, 0, NULL },
	{ "device_id", K_INT, OFF(device_id), 1, 1LL << 53, NULL },
	{ "device_name", K_STR, OFF(device_name), 0, 0, NULL },
	{ "ca_file", K_STR, OFF(ca_file), 0, 0, NULL },
	{ "spool_max_mb", K_INT, OFF(spool_max_bytes), 1, 4096, NULL },
	{ "log_level", K_LEVEL, OFF(log_level), 0, 0, NULL },
	{ "poll_interval_ms", K_INT, OFF(poll_interval_ms), 50, 60000, NULL },
	{ "upload_interval_s", K_INT, OFF(upload_interval_s), 1, 3600, NULL },
	{ "heartbeat_interval_s", K_INT, OFF(heartbeat_interval_s), 1, 600, NULL },
	{ "idle_timeout_s", K_INT, OFF(idle_timeout_s), 1, 3600, NULL },
	{ "config_interval_s", K_INT, OFF(config_interval_s), 1, 86400, NULL },
	{ "retry_initial_s", K_INT, OFF(retry_initial_s), 1, 3600, NULL },
	{ "retry_max_s", K_INT, OFF(retry_max_s), 1, 3600, NULL },
	{ "checkpoint_s", K_INT, OFF(checkpoint_s), 1, 3600, NULL },
	{ "screenshot_interval_s", K_INT, OFF(screenshot_interval_s), 1, 86400, NULL },
	{ "screenshot_spool_max", K_INT, OFF(screenshot_spool_max), 1, 10000, NULL },
	{ "screenshot_spool_mb", K_INT, OFF(screenshot_spool_mb), 1, 4096, NULL },
};

static const char *const levels[] = { "debug", "info", "warning", "error", NULL };

/* $XDG_<var> or $HOME/<fallback>, then "/worktime". */
static char *
xdg_dir(const char *var, const char *fallback)
{
	const char *v = getenv(var), *home = getenv("HOME");
	struct buf b = { 0 };

	if (v != NULL && v[0] == '/')
		buf_addf(&b, "%s/worktime", v);
	else
		buf_addf(&b, "%s/%s/worktime", home && home[0] ? home : ".", fallback);
	return b.p;
}

static char *
trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static int
set_key(struct conf *c, const struct key *k, const char *val, const char *where)
{
	char *base = (char *)c, *end;
	long long v;

	switch (k->type) {
	case K_STR:
		free(*(char **)(base + k->off));
		*(char **)(base + k->off) = val[0] ? xstrdup(val) : NULL;
		return 0;
	case K_LEVEL:
		for (int i = 0; levels[i]; i++)
			if (strcmp(val, levels[i]) == 0) {
				c->log_level = i;
				return 0;
			}
		fprintf(stderr, "worktime-agent: %s: log_level must be debug, info, warning or "
		    "error, not \"%s\"\n", where, val);
		return -1;
	case K_INT:
		errno = 0;
		v = strtoll(val, &end, 10);
		if (errno || end == val || *end != '\0' || v < k->min || v > k->max) {
			fprintf(stderr, "worktime-agent: %s: %s must be a whole number from %lld "
			    "to %lld, not \"%s\"\n", where, k->name, k->min, k->max, val);
			return -1;
		}
		if (k->off == OFF(device_id) || k->off == OFF(spool_max_bytes))
			*(int64_t *)(base + k->off) = k->off == OFF(spool_max_bytes) ?
			    v * 1024 * 1024 : v;
		else
			*(int *)(base + k->off) = (int)v;
		return 0;
	}
	return -1;
}

int
conf_load(struct conf *c)
{
	char *text, *line, *save = NULL, where[512];
	int lineno = 0, rc = 0;
	char *dir;

	memset(c, 0, sizeof(*c));
	c->spool_max_bytes = 50LL * 1024 * 1024;
	c->log_level = 1;
	dir = xdg_dir("XDG_CONFIG_HOME", ".config");
	c->path = path_join(dir, "agent.conf");
	free(dir);
	c->state_dir = xdg_dir("XDG_STATE_HOME", ".local/state");
	if ((text = read_file(c->path, NULL)) == NULL) {
		if (errno == ENOENT)
			return 0;
		fprintf(stderr, "worktime-agent: cannot read %s: %s\n", c->path, strerror(errno));
		return -1;
	}
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *eq, *k, *v;
		size_t i;

		lineno++;
		k = trim(line);
		if (*k == '\0' || *k == '#')
			continue;
		snprintf(where, sizeof(where), "%s line %d", c->path, lineno);
		if ((eq = strchr(k, '=')) == NULL) {
			fprintf(stderr, "worktime-agent: %s: expected key = value\n", where);
			rc = -1;
			break;
		}
		*eq = '\0';
		k = trim(k);
		v = trim(eq + 1);
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			if (strcmp(keys[i].name, k) == 0)
				break;
		if (i == sizeof(keys) / sizeof(keys[0])) {
			fprintf(stderr, "worktime-agent: %s: unknown key \"%s\" (see "
			    "worktime-agent(1))\n", where, k);
			rc = -1;
			break;
		}
		if (set_key(c, &keys[i], v, where) != 0) {
			rc = -1;
			break;
		}
	}
	free(text);
	if (rc == 0 && c->url && strncmp(c->url, "https://", 8) != 0) {
		fprintf(stderr, "worktime-agent: %s: url must start with https:// (the agent "
		    "always uses verified TLS)\n", c->path);
		rc = -1;
	}
	if (rc == 0 && c->retry_initial_s && c->retry_max_s && c->retry_initial_s > c->retry_max_s) {
		fprintf(stderr, "worktime-agent: %s: retry_initial_s must not exceed retry_max_s\n",
		    c->path);
		rc = -1;
	}
	return rc;
}

int
conf_enrolled(const struct conf *c)
{
	return c->url != NULL && c->token != NULL;
}

int
conf_save(const struct conf *c)
{
	struct buf b = { 0 };
	char *dir = xstrdup(c->path), *slash = strrchr(dir, '/');
	int rc;

	if (slash)
		*slash = '\0';
	if (mkdir_p(dir, 0700) != 0) {
		fprintf(stderr, "worktime-agent: cannot make %s: %s\n", dir, strerror(errno));
		free(dir);
		return -1;
	}
	free(dir);
	buf_adds(&b, "# worktime-agent's settings (see worktime-agent(1)).  The token is the\n"
	    "# device's password: keep this file private (mode 0600).\n");
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const struct key *k = &keys[i];
		const char *base = (const char *)c;

		switch (k->type) {
		case K_STR: {
			const char *s = *(char *const *)(base + k->off);

			if (s)
				buf_addf(&b, "%s = %s\n", k->name, s);
			break;
		}
		case K_LEVEL:
			if (c->log_level != 1)
				buf_addf(&b, "%s = %s\n", k->name, levels[c->log_level]);
			break;
		case K_INT:
			if (k->off == OFF(device_id)) {
				if (c->device_id)
					buf_addf(&b, "%s = %lld\n", k->name, (long long)c->device_id);
			} else if (k->off == OFF(spool_max_bytes)) {
				if (c->spool_max_bytes != 50LL * 1024 * 1024)
					buf_addf(&b, "%s = %lld\n", k->name,
					    (long long)(c->spool_max_bytes / (1024 * 1024)));
			} else if (*(const int *)(base + k->off))
				buf_addf(&b, "%s = %d\n", k->name, *(const int *)(base + k->off));
			break;
		}
	}
	rc = write_atomic(c->path, b.p, b.len, 0600);
	if (rc != 0)
		fprintf(stderr, "worktime-agent: cannot write %s: %s\n", c->path, strerror(errno));
	buf_free(&b);
	return rc;
}

void
conf_free(struct conf *c)
{
	free(c->path);
	free(c->state_dir);
	free(c->url);
	free(c->token);
	free(c->device_name);
	free(c->ca_file);
	memset(c, 0, sizeof(*c));
}
