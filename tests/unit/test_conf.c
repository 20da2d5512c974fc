/* config_load, config_get, config_int, config_set and the environment. */
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
	is_int(config_int("server.workers", 1, 64, &n, &err), 0, "default server.workers is an int");
	is_int(n, 2, "  and is 2");
	is_int(config_int("http.max_body", 0, 1LL << 40, &n, &err), 0, "default http.max_body");
	is_int(n, 1048576, "  is 1 MiB");

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
	long long n = 0;

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
	is_int(config_int("server.workers", 1, 64, &n, &err), 0, "config_int reads the file value");
	is_int(n, 4, "  4");
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
	long long n = 0;

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
	is_int(config_int("server.workers", 1, 64, &n, &err), 0, "  parses");
	is_int(n, 8, "  as 8");

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

/* config_int on a value set with config_set. */
static int
int_of(const char *val, long long min, long long max, long long *n, char **err)
{
	config_set("server.workers", val);
	*err = NULL;
	return config_int("server.workers", min, max, n, err);
}

static void
test_int(void)
{
	char *err = NULL;
	long long n = 0;

	config_free();
	is_int(int_of("1", 1, 64, &n, &err), 0, "range minimum accepted");
	is_int(n, 1, "  1");
	is_int(int_of("64", 1, 64, &n, &err), 0, "range maximum accepted");
	is_int(n, 64, "  64");
	n = 77;
	is_int(int_of("0", 1, 64, &n, &err), -1, "below the range");
	is_int(n, 77, "  *out untouched on failure");
	has_str(err, "server.workers", "  message names the key");
	has_str(err, "from 1 to 64", "  and the range");
	has_str(err, "'0'", "  and the value");
	free(err);
	is_int(int_of("65", 1, 64, &n, &err), -1, "above the range");
	free(err);
	is_int(int_of("-3", -5, 5, &n, &err), 0, "negative in range");
	is_int(n, -3, "  -3");
	is_int(int_of("", 0, 64, &n, &err), -1, "empty is not an integer");
	ok(err != NULL, "  with a message");
	free(err);
	is_int(int_of("4x", 0, 64, &n, &err), -1, "trailing junk");
	free(err);
	is_int(int_of("abc", 0, 64, &n, &err), -1, "letters");
	free(err);
	is_int(int_of("1.5", 0, 64, &n, &err), -1, "a fraction");
	free(err);
	is_int(int_of("99999999999999999999", 0, 1LL << 62, &n, &err), -1, "overflow");
	free(err);
	is_int(int_of("9223372036854775807", 0, 9223372036854775807LL, &n, &err), 0,
	    "LLONG_MAX with a LLONG_MAX maximum");
	is_int(n, 9223372036854775807LL, "  exactly");

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
