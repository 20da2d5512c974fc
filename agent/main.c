/* worktime-agent: records which application and window are in front and
 * when the person is away, and uploads it to a Worktime server.  See
 * worktime-agent(1). */
#include "config.h"

#include <inttypes.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "agent.h"
#include "json.h"

static const char usage[] =
    "usage: worktime-agent enroll URL CODE [--ca-file FILE]\n"
    "       worktime-agent run\n"
    "       worktime-agent status\n"
    "       worktime-agent flush [--timeout SECONDS]\n"
    "       worktime-agent --version\n"
    "See worktime-agent(1).\n";

static int
cmd_enroll(struct conf *c, const char *url, const char *code, const char *ca_file)
{
	struct req r = { 0 };
	struct buf body = { 0 };
	struct utsname u;
	char host[256] = "", os[300] = "", why[600];
	size_t ulen = strlen(url);
	struct jv *j;
	int rc = 1;

	if (strncmp(url, "https://", 8) != 0 || ulen <= 8) {
		fprintf(stderr, "worktime-agent: the URL must start with https:// (the agent "
		    "always uses verified TLS), like https://worktime.example.com\n");
		return 2;
	}
	while (ulen > 8 && url[ulen - 1] == '/')
		ulen--;
	free(c->url);
	c->url = xstrndup(url, ulen);
	if (ca_file) {
		if (access(ca_file, R_OK) != 0) {
			fprintf(stderr, "worktime-agent: cannot read the CA file %s\n", ca_file);
			return 2;
		}
		free(c->ca_file);
		c->ca_file = realpath(ca_file, NULL);
	}
	gethostname(host, sizeof(host) - 1);
	if (uname(&u) == 0)
		snprintf(os, sizeof(os), "%s %s %s", u.sysname, u.release, u.machine);
	buf_adds(&body, "{\"code\":");
	json_add_str(&body, code, strlen(code));
	buf_adds(&body, ",\"hostname\":");
	json_add_str(&body, host, utf8_prefix(host, strlen(host), 255));
	buf_adds(&body, ",\"os\":");
	json_add_str(&body, os, utf8_prefix(os, strlen(os), 100));
	buf_adds(&body, ",\"agent_version\":\"" WA_VERSION "\"}");
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		fprintf(stderr, "worktime-agent: cannot start libcurl\n");
		buf_free(&body);
		return 1;
	}
	req_prepare(&r, c, "POST", "/api/v1/enroll", &body, NULL, NULL);
	req_run(&r);
	req_describe(&r, why, sizeof(why));
	if (r.status != 201) {
		fprintf(stderr, "worktime-agent: enrollment failed: %s\n", why);
		goto out;
	}
	j = json_parse(buf_str(&r.resp), r.resp.len, NULL, 0);
	if (j == NULL || json_str(j, "token", NULL) == NULL || json_int(j, "device_id", 0) <= 0) {
		fprintf(stderr, "worktime-agent: the server's answer has no device token\n");
		json_free(j);
		goto out;
	}
	free(c->token);
	c->token = xstrdup(json_str(j, "token", ""));
	c->device_id = json_int(j, "device_id", 0);
	free(c->device_name);
	c->device_name = xstrdup(json_str(j, "name", ""));
	json_free(j);
	if (conf_save(c) != 0)
		goto out;
	printf("enrolled as device %" PRId64 " (%s) at %s; the token is in %s\n"
	    "start the agent: systemctl --user enable --now worktime-agent (or worktime-agent run)\n",
	    c->device_id, c->device_name, c->url, c->path);
	rc = 0;
out:
	req_free(&r);
	buf_free(&body);
	curl_global_cleanup();
	return rc;
}

int
main(int argc, char **argv)
{
	struct conf c;
	const char *cmd = argc > 1 ? argv[1] : "";
	int rc;

	setlocale(LC_ALL, "");
	if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
		printf("worktime-agent %s\n", WA_VERSION);
		return 0;
	}
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
		fputs(usage, stdout);
		return 0;
	}
	if (conf_load(&c) != 0)
		return 2;
	log_level = c.log_level;
	if (strcmp(cmd, "enroll") == 0 && (argc == 4 || (argc == 6 &&
	    strcmp(argv[4], "--ca-file") == 0)))
		rc = cmd_enroll(&c, argv[2], argv[3], argc == 6 ? argv[5] : NULL);
	else if (strcmp(cmd, "run") == 0 && argc == 2)
		return agent_run(&c);
	else if (strcmp(cmd, "status") == 0 && argc == 2) {
		curl_global_init(CURL_GLOBAL_DEFAULT);
		rc = cmd_status(&c);
		curl_global_cleanup();
	} else if (strcmp(cmd, "flush") == 0 && (argc == 2 || (argc == 4 &&
	    strcmp(argv[2], "--timeout") == 0 && atoi(argv[3]) > 0))) {
		curl_global_init(CURL_GLOBAL_DEFAULT);
		rc = cmd_flush(&c, argc == 4 ? atoi(argv[3]) : 120);
		curl_global_cleanup();
	} else {
		fputs(usage, stderr);
		rc = 2;
	}
	conf_free(&c);
	return rc;
}
