/* config_load, config_get, config_set, config_apply, the typed wt_cfg and
 * the environment. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "conf.h"
#include "tap.h"

static char tmpl_path[64];

/* Writes text to a new temporary file; its name is in tmpl_path. */
static const char *
tmpfile_with(const char *text)
{
	int fd;
	size_t len = strlen(text);

	snprintf(tmpl_path, sizeof(tmpl_path), "/tmp/wt-conf-XXXXXX");
	if ((fd = mkstemp(tmpl_path)) < 0) {
		diag("mkstemp failed");
		return "/nonexistent";
	}
	if (write(fd, text, len) != (ssize_t)len)
		diag("short write to %s", tmpl_path);
	close(fd);
	return tmpl_path;
}

static void
tmpfile_done(void)
{
	unlink(tmpl_path);
}

/* The environment variable that overrides key. */
static void
env_name(const char *key, char *out, size_t sz)
{
	size_t j = (size_t)snprintf(out, sz, "WORKTIME_");

	for (; *key != '\0' && j + 1 < sz; key++)
		out[j++] = *key == '.' ? '_' : (char)toupper((unsigned char)*key);
	out[j] = '\0';
}

/* No WORKTIME_* variable from the caller's environment may leak in. */
static void
clean_env(void)
{
	char name[128];

	for (size_t i = 0; wt_config_keys[i].key != NULL; i++) {
		env_name(wt_config_keys[i].key, name, sizeof(name));
		unsetenv(name);
	}
}

/* Loads text as a config file; returns config_load's result, *err kept. */
static int
load(const char *text, char **err)
{
	int rc;

	config_free();
	rc = config_load(tmpfile_with(text), err);
	tmpfile_done();
	return rc;
}

static void
test_defaults(void)
{
	static char sentinel[] = "sentinel";
	char *err = sentinel;	/* config_load must reset it */
	long long n = -1;

	config_free();
	is_int(config_load(NULL, &err), 0, "config_load(NULL) succeeds");
	ok(err == NULL, "  and sets *err to NULL");
	is_str(config_get("site.name"), "Worktime", "default site.name");
	is_str(config_get("log.level"), "info", "default log.level");
	is_str(config_get("secret"), "", "default secret is empty");
	n = wt_cfg.server_workers;
	ok(wt_cfg.server_workers >= 0, "default server.workers is an int");
	is_int(n, 2, "  and is 2");
	ok(wt_cfg.http_max_body > 0, "default http.max_body");
	is_int(wt_cfg.http_max_body, 1048576, "  is 1 MiB");

	/* Every declared key has a default and a help text. */
	{
		int all = 1;
		size_t i;

		for (i = 0; wt_config_keys[i].key != NULL; i++)
			if (wt_config_keys[i].def == NULL || wt_config_keys[i].help == NULL ||
			    strcmp(config_get(wt_config_keys[i].key), wt_config_keys[i].def) != 0)
				all = 0;
		ok(all && i > 5, "every key has a default (and help), returned when unset");
	}
	config_free();

	/* Without config_load at all, defaults are still returned. */
	is_str(config_get("site.name"), "Worktime", "config_get works before any load");
}

static void
test_file(void)
{
	char *err = NULL;

	is_int(load("# a comment\n"
	    "\n"
	    "   \t\n"
	    "  # an indented comment\n"
	    "site.name =   My Site  \n"
	    "server.workers=4\n"
	    "db.conninfo = host=db port=5432 dbname=wt\n"
	    "\tlog.level\t=\twarn\t\n"
	    "secret =\n"
	    "site.url = https://a.example\r\n", &err), 0, "a file with comments, blanks, spaces");
	if (err != NULL)
		diag("%s", err);
	is_str(config_get("site.name"), "My Site", "spaces around the value trimmed, inner kept");
	is_str(config_get("server.workers"), "4", "key=value without spaces");
	is_str(config_get("db.conninfo"), "host=db port=5432 dbname=wt",
	    "only the first = splits key from value");
	is_str(config_get("log.level"), "warn", "tabs trimmed");
	is_str(config_get("secret"), "", "an empty value is allowed");
	is_str(config_get("site.url"), "https://a.example", "CRLF line endings trimmed");
	is_str(config_get("templates.dir"), "templates", "keys not in the file keep defaults");
	is_int(wt_cfg.server_workers, 4, "wt_cfg holds the file value, typed");
	free(err);
	err = NULL;

	is_int(load("site.name = first\nsite.name = second\n", &err), 0, "a repeated key");
	is_str(config_get("site.name"), "second", "  the last one wins");
	free(err);
	err = NULL;

	is_int(load("site.name = no newline at the end", &err), 0, "no final newline");
	is_str(config_get("site.name"), "no newline at the end", "  the last line counts");
	free(err);
	err = NULL;

	is_int(load("", &err), 0, "an empty file");
	is_str(config_get("site.name"), "Worktime", "  leaves defaults");
	free(err);
	err = NULL;

	is_int(load("site.name = a # not a comment\n", &err), 0, "# after a value");
	is_str(config_get("site.name"), "a # not a comment", "  is part of the value");
	free(err);
	config_free();
}

static void
test_file_errors(void)
{
	char *err = NULL;
	struct wt_buf b;

	is_int(load("site.name = x\n# ok\nsitename = y\n", &err), -1, "an unknown key fails");
	has_str(err, ":3:", "  the message names line 3");
	has_str(err, "sitename", "  and the key");
	has_str(err, "unknown key", "  and says why");
	free(err);
	err = NULL;

	is_int(load("Site.Name = x\n", &err), -1, "keys are case-sensitive");
	has_str(err, ":1:", "  line 1");
	free(err);
	err = NULL;

	is_int(load("site.name = x\njust some words\n", &err), -1, "a line without = fails");
	has_str(err, ":2:", "  the message names line 2");
	has_str(err, "expected key = value", "  and says what was expected");
	free(err);
	err = NULL;

	is_int(load(" = value\n", &err), -1, "an empty key fails");
	ok(err != NULL, "  with a message");
	free(err);
	err = NULL;

	config_free();
	is_int(config_load("/nonexistent/worktime.conf", &err), -1, "a missing file fails");
	has_str(err, "/nonexistent/worktime.conf", "  the message names the file");
	free(err);
	err = NULL;

	/* A line longer than the reader's buffer must not be taken silently. */
	buf_init(&b);
	buf_puts(&b, "site.name = ");
	for (int i = 0; i < 5000; i++)
		buf_puts(&b, "x");
	buf_puts(&b, "\n");
	is_int(load(b.data, &err), -1, "a 5000-character line is refused, not cut");
	has_str(err, ":1:", "  the message names line 1");
	free(err);
	err = NULL;
	buf_free(&b);
	config_free();
}

static void
test_env(void)
{
	char *err = NULL;

	setenv("WORKTIME_LOG_LEVEL", "debug", 1);
	setenv("WORKTIME_DB_CONNINFO", "dbname=fromenv", 1);
	is_int(load("log.level = warn\nsite.name = file\n", &err), 0, "file plus environment");
	is_str(config_get("log.level"), "debug", "WORKTIME_LOG_LEVEL beats the file");
	is_str(config_get("db.conninfo"), "dbname=fromenv", "dots become underscores");
	is_str(config_get("site.name"), "file", "keys without a variable keep the file value");
	free(err);
	err = NULL;

	config_free();
	is_int(config_load(NULL, &err), 0, "environment without a file");
	is_str(config_get("log.level"), "debug", "  still applied");

	setenv("WORKTIME_SERVER_WORKERS", "8", 1);
	config_free();
	is_int(config_load(NULL, &err), 0, "numeric value from the environment");
	ok(wt_cfg.server_workers >= 0, "  parses");
	is_int(wt_cfg.server_workers, 8, "  as 8");

	setenv("WORKTIME_SITE_NAME", "", 1);
	config_free();
	is_int(config_load(NULL, &err), 0, "an empty variable");
	is_str(config_get("site.name"), "", "  sets an empty value");

	unsetenv("WORKTIME_LOG_LEVEL");
	unsetenv("WORKTIME_DB_CONNINFO");
	unsetenv("WORKTIME_SERVER_WORKERS");
	unsetenv("WORKTIME_SITE_NAME");
	config_free();
	is_int(config_load(NULL, &err), 0, "after unsetenv");
	is_str(config_get("log.level"), "info", "  the default is back");
	config_free();
}

/* Sets key's text and parses every key again, as at start. */
static int
set_of(const char *key, const char *val, char **err)
{
	config_set(key, val);
	*err = NULL;
	return config_apply(err);
}

static void
test_int(void)
{
	char *err = NULL;

	config_free();
	is_int(set_of("session.idle_minutes", "1", &err), 0, "range minimum accepted");
	is_int(wt_cfg.session_idle_minutes, 1, "  1");
	is_int(set_of("server.workers", "64", &err), 0, "range maximum accepted");
	is_int(wt_cfg.server_workers, 64, "  64");
	is_int(set_of("session.idle_minutes", "0", &err), -1, "below the range");
	is_int(wt_cfg.session_idle_minutes, 1, "  the typed value is untouched on failure");
	has_str(err, "session.idle_minutes", "  message names the key");
	has_str(err, "from 1 to 1000000", "  and the range");
	has_str(err, "'0'", "  and the value");
	free(err);
	config_set("session.idle_minutes", "480");
	is_int(set_of("server.workers", "65", &err), -1, "above the range");
	free(err);
	is_int(set_of("server.workers", "-3", &err), -1, "negative below a range from 0");
	free(err);
	is_int(set_of("server.workers", "", &err), -1, "empty is not an integer");
	ok(err != NULL, "  with a message");
	free(err);
	is_int(set_of("server.workers", "4x", &err), -1, "trailing junk");
	free(err);
	is_int(set_of("server.workers", "abc", &err), -1, "letters");
	free(err);
	is_int(set_of("server.workers", "1.5", &err), -1, "a fraction");
	free(err);
	config_set("server.workers", "2");
	is_int(set_of("http.max_body", "99999999999999999999", &err), -1, "overflow");
	free(err);
	is_int(set_of("http.max_body", "1073741824", &err), 0, "the largest body allowed");
	is_int(wt_cfg.http_max_body, 1073741824LL, "  exactly");

	/* Types other than integers are checked at start too. */
	is_int(set_of("log.level", "loud", &err), -1, "an unknown log.level stops the start");
	has_str(err, "log.level", "  naming the key");
	free(err);
	is_int(set_of("log.level", "warn", &err), 0, "a known level");
	is_int(wt_cfg.log_level, CFG_LOG_WARN, "  as its enum");
	is_int(set_of("mail.transport", "pigeon", &err), -1, "an unknown mail transport");
	free(err);
	is_int(set_of("mail.transport", "smtp", &err), 0, "smtp");
	is_int(wt_cfg.mail_transport, MAIL_SMTP, "  as its enum");
	is_int(set_of("site.url", "localhost:8443", &err), -1, "a site.url without a scheme");
	free(err);
	is_int(set_of("site.url", "https://a.example/x\"y", &err), -1, "  or with a quote");
	free(err);
	is_int(set_of("site.url", "https://a.example", &err), 0, "an https site.url");
	is_str(wt_cfg.site_url, "https://a.example", "  readable as wt_cfg.site_url");
	is_int(set_of("secret", "abc", &err), -1, "a short secret");
	ok(err != NULL && strstr(err, "abc") == NULL, "  whose value is not repeated in the message");
	free(err);
	is_int(set_of("secret", "zz00000000000000000000000000000000000000000000000000000000000000",
	    &err), -1, "a secret that is not hex");
	free(err);
	is_int(set_of("secret", "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
	    &err), 0, "64 hex digits");
	is_int(set_of("site.name", "\xff", &err), -1, "text that is not UTF-8");
	free(err);
	config_free();

	config_set("site.name", "set by a test");
	is_str(config_get("site.name"), "set by a test", "config_set then config_get");
	config_set("site.name", "again");
	is_str(config_get("site.name"), "again", "config_set replaces");
	config_free();
	is_str(config_get("site.name"), "Worktime", "config_free restores defaults");
	is_str(config_get("server.workers"), "2", "  for every key");
}

int
main(void)
{
	clean_env();
	test_defaults();
	test_file();
	test_file_errors();
	test_env();
	test_int();
	config_free();
	return done_testing();
}
