#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "conf.h"

/* The whole list lives here so README can document it from one place. */
const struct wt_config_key wt_config_keys[] = {
	{ "db.conninfo", "dbname=worktime connect_timeout=3",
	  "libpq connection string" },
	{ "templates.dir", "templates", "directory of the ClearSilver templates" },
	{ "server.workers", "2", "worker processes per program" },
	{ "server.socket", "", "unix socket path (or :port) the program listens on" },
	{ "http.max_body", "1048576", "largest request body accepted, in bytes" },
	{ "log.level", "info", "debug, info, warn or error" },
	{ "site.name", "Worktime", "name shown in page titles" },
	{ "site.url", "https://localhost:8443", "public base URL, used in links in e-mail" },
	{ "secret", "", "server secret (hex, at least 32 bytes) for tokens and signatures" },
	{ "session.idle_minutes", "480", "a browser session ends after this long unused" },
	{ "session.max_hours", "168", "a browser session ends this long after sign-in, used or not" },
	{ "token.ttl_seconds", "900", "lifetime of an access token (JWT) from /api/v1/token" },
	{ "auth.account_threshold", "5", "failed sign-ins for one e-mail before the wait starts" },
	{ "auth.ip_threshold", "20", "failed sign-ins from one address before the wait starts" },
	{ "auth.lock_base_seconds", "30", "first wait after the threshold; it doubles with each failure" },
	{ "auth.lock_max_seconds", "900", "the longest wait" },
	{ "auth.cracklib_dict", "", "cracklib dictionary (empty: the system default)" },
	{ "mail.transport", "file", "file (write .eml files to mail.dir) or smtp" },
	{ "mail.dir", "var/mail", "where the file transport writes messages" },
	{ "mail.smtp_url", "smtp://127.0.0.1:25", "SMTP relay for the smtp transport (smtp:// or smtps://)" },
	{ "mail.smtp_user", "", "SMTP user name, if the relay wants one" },
	{ "mail.smtp_password", "", "SMTP password" },
	{ "mail.from", "Worktime <worktime@localhost>", "sender of every message" },
	{ NULL, NULL, NULL }
};

static char **values;	/* parallel to wt_config_keys; NULL = default */

static size_t
nkeys(void)
{
	size_t n = 0;

	while (wt_config_keys[n].key != NULL)
		n++;
	return n;
}

static int
key_index(const char *key)
{
	for (size_t i = 0; wt_config_keys[i].key != NULL; i++)
		if (strcmp(wt_config_keys[i].key, key) == 0)
			return (int)i;
	return -1;
}

void
config_set(const char *key, const char *val)
{
	int i = key_index(key);

	if (i < 0) {
		fprintf(stderr, "config_set: unknown key %s\n", key);
		abort();
	}
	if (values == NULL)
		values = xcalloc(nkeys(), sizeof(*values));
	free(values[i]);
	values[i] = xstrdup(val);
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
load_file(const char *path, char **err)
{
	FILE *f;
	char line[4096];
	int lineno = 0, rc = 0;

	if ((f = fopen(path, "r")) == NULL) {
		struct wt_buf b;

		buf_init(&b);
		buf_printf(&b, "%s: %s", path, strerror(errno));
		*err = buf_take(&b);
		return -1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		char *p, *eq, *k, *v;
		size_t len = strlen(line);

		lineno++;
		if (len > 0 && line[len - 1] != '\n' && !feof(f)) {
			struct wt_buf b;

			buf_init(&b);
			buf_printf(&b, "%s:%d: line too long", path, lineno);
			*err = buf_take(&b);
			rc = -1;
			break;
		}
		p = trim(line);
		if (*p == '\0' || *p == '#')
			continue;
		if ((eq = strchr(p, '=')) == NULL) {
			struct wt_buf b;

			buf_init(&b);
			buf_printf(&b, "%s:%d: expected key = value", path, lineno);
			*err = buf_take(&b);
			rc = -1;
			break;
		}
		*eq = '\0';
		k = trim(p);
		v = trim(eq + 1);
		if (key_index(k) < 0) {
			struct wt_buf b;

			buf_init(&b);
			buf_printf(&b, "%s:%d: unknown key '%s'", path, lineno, k);
			*err = buf_take(&b);
			rc = -1;
			break;
		}
		config_set(k, v);
	}
	fclose(f);
	return rc;
}

static void
load_env(void)
{
	char name[128];

	for (size_t i = 0; wt_config_keys[i].key != NULL; i++) {
		const char *k = wt_config_keys[i].key, *v;
		size_t j = 0;

		j = (size_t)snprintf(name, sizeof(name), "WORKTIME_");
		for (; *k != '\0' && j + 1 < sizeof(name); k++)
			name[j++] = *k == '.' ? '_' : (char)toupper((unsigned char)*k);
		name[j] = '\0';
		if ((v = getenv(name)) != NULL)
			config_set(wt_config_keys[i].key, v);
	}
}

int
config_load(const char *path, char **err)
{
	*err = NULL;
	if (values == NULL)
		values = xcalloc(nkeys(), sizeof(*values));
	if (path != NULL && load_file(path, err) != 0)
		return -1;
	load_env();
	return 0;
}

void
config_free(void)
{
	if (values == NULL)
		return;
	for (size_t i = 0; wt_config_keys[i].key != NULL; i++)
		free(values[i]);
	free(values);
	values = NULL;
}

const char *
config_get(const char *key)
{
	int i = key_index(key);

	if (i < 0) {
		fprintf(stderr, "config_get: unknown key %s\n", key);
		abort();
	}
	if (values != NULL && values[i] != NULL)
		return values[i];
	return wt_config_keys[i].def;
}

int
config_int(const char *key, long long min, long long max, long long *out, char **err)
{
	const char *s = config_get(key);
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < min || v > max) {
		struct wt_buf b;

		buf_init(&b);
		buf_printf(&b, "config %s = '%s': expected an integer from %lld to %lld",
		    key, s, min, max);
		*err = buf_take(&b);
		return -1;
	}
	*out = v;
	return 0;
}
