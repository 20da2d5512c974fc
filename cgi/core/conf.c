#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <stddef.h>

#include "buf.h"
#include "conf.h"
#include "decode.h"

#define OFF(f)	offsetof(struct wt_config, f)

static const char *const log_levels[] = { "debug", "info", "warn", "error", NULL };
static const char *const transports[] = { "file", "smtp", NULL };

/* The whole list lives here so README can document it from one place:
 * every key with its type, range and default, parsed once at start. */
const struct wt_config_key wt_config_keys[] = {
	{ "db.conninfo", "dbname=worktime connect_timeout=3",
	  "libpq connection string", CK_STR, OFF(db_conninfo), 0, 0, NULL },
	{ "db.replica_conninfo", "",
	  "libpq connection string of a streaming replica for report reads (empty: none)",
	  CK_STR, OFF(db_replica_conninfo), 0, 0, NULL },
	{ "templates.dir", "templates", "directory of the ClearSilver templates",
	  CK_STR, OFF(templates_dir), 0, 0, NULL },
	{ "server.workers", "2", "worker processes per program",
	  CK_INT, OFF(server_workers), 0, 64, NULL },
	/* Ingest waits for its commits to reach the disk more than it
	 * computes: more workers share those waits (group commit).  With 6,
	 * task events spent nearly all their time waiting for the WAL
	 * (bench/BENCHMARKS.md, "Task events"); 16 doubled them. */
	{ "ingest.workers", "16", "worker processes of ingest.fcgi",
	  CK_INT, OFF(ingest_workers), 0, 64, NULL },
	{ "server.socket", "", "unix socket path (or :port) the program listens on",
	  CK_STR, OFF(server_socket), 0, 0, NULL },
	{ "http.max_body", "1048576", "largest request body accepted, in bytes",
	  CK_INT, OFF(http_max_body), 1024, 1LL << 30, NULL },
	{ "log.level", "info", "debug, info, warn or error",
	  CK_ENUM, OFF(log_level), 0, 0, log_levels },
	{ "site.name", "Worktime", "name shown in page titles", CK_STR, OFF(site_name), 0, 0, NULL },
	{ "site.url", "https://localhost:8443", "public base URL, used in links in e-mail",
	  CK_URL, OFF(site_url), 0, 0, NULL },
	{ "secret", "", "server secret (hex, at least 32 bytes) for tokens and signatures",
	  CK_SECRET, OFF(secret), 0, 0, NULL },
	{ "session.idle_minutes", "480", "a browser session ends after this long unused",
	  CK_INT, OFF(session_idle_minutes), 1, 1000000, NULL },
	{ "session.max_hours", "168", "a browser session ends this long after sign-in, used or not",
	  CK_INT, OFF(session_max_hours), 1, 1000000, NULL },
	{ "token.ttl_seconds", "900", "lifetime of an access token (JWT) from /api/v1/token",
	  CK_INT, OFF(token_ttl_seconds), 60, 86400, NULL },
	{ "auth.account_threshold", "5", "failed sign-ins for one e-mail before the wait starts",
	  CK_INT, OFF(auth_account_threshold), 1, 86400, NULL },
	{ "auth.ip_threshold", "20", "failed sign-ins from one address before the wait starts",
	  CK_INT, OFF(auth_ip_threshold), 1, 86400, NULL },
	{ "auth.lock_base_seconds", "30", "first wait after the threshold; it doubles with each failure",
	  CK_INT, OFF(auth_lock_base_seconds), 1, 86400, NULL },
	{ "auth.lock_max_seconds", "900", "the longest wait",
	  CK_INT, OFF(auth_lock_max_seconds), 1, 86400, NULL },
	{ "auth.cracklib_dict", "", "cracklib dictionary (empty: the system default)",
	  CK_STR, OFF(auth_cracklib_dict), 0, 0, NULL },
	{ "mail.transport", "file", "file (write .eml files to mail.dir) or smtp",
	  CK_ENUM, OFF(mail_transport), 0, 0, transports },
	{ "mail.dir", "var/mail", "where the file transport writes messages",
	  CK_STR, OFF(mail_dir), 0, 0, NULL },
	{ "mail.smtp_url", "smtp://127.0.0.1:25", "SMTP relay for the smtp transport (smtp:// or smtps://)",
	  CK_STR, OFF(mail_smtp_url), 0, 0, NULL },
	{ "mail.smtp_user", "", "SMTP user name, if the relay wants one",
	  CK_STR, OFF(mail_smtp_user), 0, 0, NULL },
	{ "mail.smtp_password", "", "SMTP password", CK_STR, OFF(mail_smtp_password), 0, 0, NULL },
	{ "mail.from", "Worktime <worktime@localhost>", "sender of every message",
	  CK_STR, OFF(mail_from), 0, 0, NULL },
	{ "mail.per_address_hour", "5", "messages queued to one address in an hour, at most",
	  CK_INT, OFF(mail_per_address_hour), 1, 1000, NULL },
	{ "cors.origins", "", "origins (space-separated, like https://www.raterhub.com) whose "
	  "pages may call the widget's API: /api/v1/token, /api/v1/token/refresh, "
	  "/api/v1/task-events, /api/v1/task-sessions/current",
	  CK_ORIGINS, OFF(cors_origins), 0, 0, NULL },
	/* A page that meets many days nobody has opened yet (each computed
	 * from its spans, about 14 ms a busy day) answers with what it has
	 * after this long and computes the rest after the answer. */
	/* sql/028: a person makes a few hundred new windows an hour; an
	 * agent making one per span would grow windows without end. */
	{ "ingest.new_windows_per_hour", "3000", "new windows (app, title, address) one device "
	  "may make an hour; past it a span is stored under a placeholder title",
	  CK_INT, OFF(ingest_new_windows_per_hour), 1, 1000000, NULL },
	{ "reports.compute_ms", "10000", "milliseconds a report page spends computing days "
	  "nobody has opened yet before it answers with what it has (the rest follows "
	  "after the answer)", CK_INT, OFF(reports_compute_ms), 1, 600000, NULL },
	{ "tasks.idle_minutes", "60", "a task session nobody touches for this long ends on its own, "
	  "at its last event", CK_INT, OFF(tasks_idle_minutes), 1, 1440, NULL },
	/* nginx serves the files from here (an internal location), so its
	 * workers must be able to read it. */
	{ "screenshots.dir", "var/screenshots", "the screenshot store (content-addressed files)",
	  CK_STR, OFF(screenshots_dir), 0, 0, NULL },
	{ "screenshots.max_bytes", "8388608", "largest screenshot upload accepted, in bytes",
	  CK_INT, OFF(screenshots_max_bytes), 1024, 1LL << 30, NULL },
	/* Checked in the image's header before anything decodes it. */
	{ "screenshots.max_pixels", "16777216", "largest screenshot accepted, in pixels (width x height)",
	  CK_INT, OFF(screenshots_max_pixels), 1, 1LL << 32, NULL },
	{ NULL, NULL, NULL, CK_STR, 0, 0, 0, NULL }
};

struct wt_config wt_cfg;

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
	return config_apply(err);
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
	memset(&wt_cfg, 0, sizeof(wt_cfg));
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

static int
parse_int(const struct wt_config_key *k, const char *s, long long *out, char **err)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < k->min || v > k->max) {
		struct wt_buf b;

		buf_init(&b);
		buf_printf(&b, "config %s = '%s': expected an integer from %lld to %lld",
		    k->key, s, k->min, k->max);
		*err = buf_take(&b);
		return -1;
	}
	*out = v;
	return 0;
}

static int
bad(const struct wt_config_key *k, const char *s, const char *want, char **err)
{
	struct wt_buf b;

	buf_init(&b);
	buf_printf(&b, "config %s = '%s': expected %s", k->key, s, want);
	*err = buf_take(&b);
	return -1;
}

/* Each word: http(s)://host[:port], lower-case, nothing after. */
static int
origins_check(const char *s)
{
	const char *p = s;

	while (*p != '\0') {
		size_t n = strcspn(p, " \t,"), host;
		const char *w = p, *h;

		if (n == 0) {
			p++;
			continue;
		}
		if (strncmp(w, "https://", 8) == 0)
			h = w + 8;
		else if (strncmp(w, "http://", 7) == 0)
			h = w + 7;
		else
			return -1;
		host = n - (size_t)(h - w);
		if (host == 0)
			return -1;
		for (size_t i = 0; i < host; i++) {
			char c = h[i];

			if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
			    c == '-' || c == ':' || c == '[' || c == ']'))
				return -1;
		}
		p += n;
	}
	return 0;
}

/* Checks one key's text against its type and stores it in wt_cfg. */
static int
apply_key(const struct wt_config_key *k, const char *s, char **err)
{
	char *field = (char *)&wt_cfg + k->offset;
	long long v;
	int i;

	switch (k->type) {
	case CK_INT:
		if (parse_int(k, s, &v, err) != 0)
			return -1;
		*(long long *)(void *)field = v;
		return 0;
	case CK_ENUM:
		for (i = 0; k->choices[i] != NULL; i++)
			if (strcmp(s, k->choices[i]) == 0) {
				*(int *)(void *)field = i;
				return 0;
			}
		return bad(k, s, "one of the documented values", err);
	case CK_URL:
		if (strncmp(s, "https://", 8) != 0 && strncmp(s, "http://", 7) != 0)
			return bad(k, s, "an http:// or https:// URL", err);
		if (strpbrk(s, " \t\r\n\"<>") != NULL)
			return bad(k, s, "a URL without spaces or quotes", err);
		break;
	case CK_SECRET: {
		size_t n = strlen(s);

		if (n != 0 && (n < 64 || n % 2 != 0))
			return bad(k, s[0] ? "(hidden)" : "", "at least 64 hex digits", err);
		for (size_t j = 0; j < n; j++)
			if (hex_digit(s[j]) < 0)
				return bad(k, "(hidden)", "at least 64 hex digits", err);
		break;
	}
	case CK_ORIGINS:
		if (origins_check(s) != 0)
			return bad(k, s, "origins like https://example.com or "
			    "http://127.0.0.1:8000, separated by spaces (no path, no trailing /)",
			    err);
		break;
	case CK_STR:
		break;
	}
	if (!utf8_valid_str(s))
		return bad(k, "(not UTF-8)", "valid UTF-8", err);
	*(const char **)(void *)field = s;
	return 0;
}

int
config_apply(char **err)
{
	*err = NULL;
	for (size_t i = 0; wt_config_keys[i].key != NULL; i++)
		if (apply_key(&wt_config_keys[i], config_get(wt_config_keys[i].key), err) != 0)
			return -1;
	return 0;
}
