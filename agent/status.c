/* worktime-agent status and flush, and what they share with the daemon:
 * its lock (agent.lock, held for its life, with its pid inside) and its
 * status file (status, rewritten atomically when something changes). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "agent.h"
#include "json.h"
#include "shotsched.h"

int
lock_take(const char *state_dir)
{
	char *path = path_join(state_dir, "agent.lock"), pid[32];
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

	free(path);
	if (fd < 0)
		return -1;
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		close(fd);
		return -1;
	}
	snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) != 0 || pwrite(fd, pid, strlen(pid), 0) < 0)
		log_warn("cannot write the pid into agent.lock: %s", strerror(errno));
	return fd;
}

long
daemon_pid(const char *state_dir)
{
	char *path = path_join(state_dir, "agent.lock"), buf[32];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	long pid = 0;
	ssize_t n;

	free(path);
	if (fd < 0)
		return 0;
	/* The lock is the truth: a pid in a file nobody holds is stale. */
	if (flock(fd, LOCK_SH | LOCK_NB) == 0) {
		close(fd);
		return 0;
	}
	if ((n = pread(fd, buf, sizeof(buf) - 1, 0)) > 0) {
		buf[n] = '\0';
		pid = strtol(buf, NULL, 10);
	}
	close(fd);
	return pid > 0 ? pid : -1;
}

int
status_read(const char *state_dir, struct status *st)
{
	char *path = path_join(state_dir, "status"), *text, *line, *save = NULL;

	memset(st, 0, sizeof(*st));
	text = read_file(path, NULL);
	free(path);
	if (text == NULL)
		return -1;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *v = strchr(line, ' ');

		if (v == NULL)
			continue;
		*v++ = '\0';
		if (strcmp(line, "pid") == 0)
			st->pid = strtol(v, NULL, 10);
		else if (strcmp(line, "started_ms") == 0)
			st->started_ms = strtoll(v, NULL, 10);
		else if (strcmp(line, "last_upload_ms") == 0)
			st->last_upload_ms = strtoll(v, NULL, 10);
		else if (strcmp(line, "last_error_ms") == 0)
			st->last_error_ms = strtoll(v, NULL, 10);
		else if (strcmp(line, "last_error") == 0)
			snprintf(st->last_error, sizeof(st->last_error), "%s", v);
		else if (strcmp(line, "revoked") == 0)
			st->revoked = atoi(v);
		else if (strcmp(line, "display") == 0)
			snprintf(st->display, sizeof(st->display), "%s", v);
		else if (strcmp(line, "flushes") == 0)
			st->flushes = strtoull(v, NULL, 10);
		else if (strcmp(line, "flush_result") == 0)
			snprintf(st->flush_result, sizeof(st->flush_result), "%s", v);
		else if (strcmp(line, "etag") == 0)
			snprintf(st->etag, sizeof(st->etag), "%s", v);
		else if (strcmp(line, "bytes_sent") == 0)
			st->bytes_sent = strtoull(v, NULL, 10);
		else if (strcmp(line, "bytes_received") == 0)
			st->bytes_received = strtoull(v, NULL, 10);
		else if (strcmp(line, "connections") == 0)
			st->connections = strtoull(v, NULL, 10);
		else if (strcmp(line, "screenshots") == 0)
			snprintf(st->shots, sizeof(st->shots), "%s", v);
	}
	free(text);
	return 0;
}

static void
ago(int64_t ms, char *out, size_t outsz)
{
	char when[64];
	int64_t s = (wall_ms() - ms) / 1000;

	fmt_local(ms, when, sizeof(when));
	if (s < 120)
		snprintf(out, outsz, "%s (%lld s ago)", when, (long long)s);
	else if (s < 7200)
		snprintf(out, outsz, "%s (%lld min ago)", when, (long long)(s / 60));
	else
		snprintf(out, outsz, "%s (%lld h ago)", when, (long long)(s / 3600));
}

int
cmd_status(struct conf *c)
{
	struct spool sp;
	struct status st;
	struct req r = { 0 };
	char line[700];
	long pid;
	int rc = 0, have_status;

	if (!conf_enrolled(c)) {
		printf("enrolled:    no (%s has no url or token): run worktime-agent enroll URL "
		    "CODE\n", c->path);
		return 2;
	}
	printf("enrolled:    yes, device %" PRId64 "%s%s%s at %s\n", c->device_id,
	    c->device_name ? " (" : "", c->device_name ? c->device_name : "",
	    c->device_name ? ")" : "", c->url);
	have_status = status_read(c->state_dir, &st) == 0;
	pid = daemon_pid(c->state_dir);
	if (pid != 0) {
		ago(st.started_ms, line, sizeof(line));
		printf("agent:       running (pid %ld), since %s\n", pid, have_status ? line : "?");
		if (have_status) {
			printf("display:     %s\n", st.display);
			printf("traffic:     %.1f KiB sent, %.1f KiB received over %" PRIu64
			    " connection%s since it started\n", st.bytes_sent / 1024.0,
			    st.bytes_received / 1024.0, st.connections, st.connections == 1 ? "" : "s");
		}
	} else
		printf("agent:       not running (start it: systemctl --user start worktime-agent, "
		    "or worktime-agent run)\n");

	/* Whether the server answers, and takes the token: the policy costs
	 * it one query (or a 304). */
	req_prepare(&r, c, "GET", "/api/v1/agent/config", NULL, NULL, c->token);
	curl_easy_setopt(r.easy, CURLOPT_TIMEOUT, 15L);
	req_run(&r);
	if (r.status == 200 || r.status == 304)
		printf("server:      reachable, device token accepted\n");
	else if (r.status == 401) {
		printf("server:      reachable, but it refuses this device's token (revoked?): "
		    "enroll again with a new code: worktime-agent enroll %s CODE\n", c->url);
		rc = 1;
	} else {
		req_describe(&r, line, sizeof(line));
		printf("server:      not reachable: %s\n", line);
		rc = 1;
	}
	/* The screenshot policy: the server's, else what the daemon uses. */
	if (r.status == 200) {
		struct jv *doc = json_parse(buf_str(&r.resp), r.resp.len, NULL, 0);
		struct shotsched p;
		int blur;

		shots_policy(doc, c->screenshot_interval_s, &p, &blur);
		shots_describe(&p, blur, line, sizeof(line));
		printf("screenshots: %s\n", line);
		json_free(doc);
	} else if (have_status && st.shots[0])
		printf("screenshots: %s\n", st.shots);
	req_free(&r);

	if (spool_open(&sp, c->state_dir, c->spool_max_bytes, 1) == 0) {
		printf("spool:       %" PRIu64 " span%s waiting to be uploaded", spool_pending(&sp),
		    spool_pending(&sp) == 1 ? "" : "s");
		if (sp.dropped)
			printf("; %" PRIu64 " dropped for space (the oldest first)", sp.dropped);
		if (sp.set_aside)
			printf("; %" PRIu64 " batch%s refused by the server, kept in %s", sp.set_aside,
			    sp.set_aside == 1 ? "" : "es", sp.rejected_path);
		printf("\n");
		spool_close(&sp);
	}
	{
		uint64_t dropped, rejected, n = shots_pending(c->state_dir, &dropped, &rejected);

		if (n || dropped || rejected) {
			printf("             %" PRIu64 " screenshot%s waiting to be uploaded", n,
			    n == 1 ? "" : "s");
			if (dropped)
				printf("; %" PRIu64 " dropped for space", dropped);
			if (rejected)
				printf("; %" PRIu64 " refused by the server", rejected);
			printf("\n");
		}
	}
	if (have_status && st.last_upload_ms) {
		ago(st.last_upload_ms, line, sizeof(line));
		printf("last upload: %s\n", line);
	} else
		printf("last upload: none yet\n");
	if (have_status && st.last_error_ms) {
		ago(st.last_error_ms, line, sizeof(line));
		printf("last error:  %s: %s\n", line, st.last_error);
	} else
		printf("last error:  none\n");
	return rc;
}

static int
flush_by_daemon(struct conf *c, long pid, int timeout_s)
{
	struct status before, now;
	int64_t end = mono_ms() + timeout_s * 1000LL;

	status_read(c->state_dir, &before);
	if (kill((pid_t)pid, SIGUSR1) != 0) {
		fprintf(stderr, "worktime-agent: cannot signal the agent (pid %ld): %s\n", pid,
		    strerror(errno));
		return 1;
	}
	while (mono_ms() < end) {
		struct timespec ts = { 0, 100 * 1000000L };

		nanosleep(&ts, NULL);
		if (status_read(c->state_dir, &now) == 0 && now.flushes > before.flushes) {
			printf("%s\n", now.flush_result);
			return strncmp(now.flush_result, "ok", 2) == 0 ? 0 : 1;
		}
	}
	fprintf(stderr, "worktime-agent: the agent (pid %ld) did not finish within %d s; it goes "
	    "on trying by itself\n", pid, timeout_s);
	return 1;
}

/* No daemon: this process uploads the spool itself, holding the lock so
 * that none starts meanwhile. */
static int
flush_alone(struct conf *c)
{
	struct spool sp;
	struct req r = { 0 };
	struct buf body = { 0 };
	uint64_t sent = 0, batches = 0;
	char why[600];
	int lock, rc = 0;

	if (mkdir_p(c->state_dir, 0700) != 0 || (lock = lock_take(c->state_dir)) < 0) {
		fprintf(stderr, "worktime-agent: cannot take the agent's lock in %s\n", c->state_dir);
		return 1;
	}
	if (spool_open(&sp, c->state_dir, c->spool_max_bytes, 0) != 0) {
		close(lock);
		return 1;
	}
	checkpoint_recover(&sp, c->state_dir);
	for (;;) {
		int b = spool_batch(&sp, 1000, 512 * 1024, &body);
		uint64_t n = sp.inflight_to - sp.acked;

		if (b == 1)
			break;
		if (b < 0) {
			rc = 1;
			break;
		}
		req_prepare(&r, c, "POST", "/api/v1/activity", &body, NULL, c->token);
		req_run(&r);
		req_describe(&r, why, sizeof(why));
		if (r.status >= 200 && r.status < 300) {
			if (spool_ack(&sp) != 0) {
				rc = 1;
				break;
			}
			sent += n;
			batches++;
			continue;
		}
		if (r.status == 401) {
			fprintf(stderr, "worktime-agent: the server refuses this device's token (%s): "
			    "enroll again: worktime-agent enroll %s CODE\n", why, c->url);
			rc = 1;
			break;
		}
		if (r.status >= 400 && r.status < 500 && r.status != 404 && r.status != 405 &&
		    r.status != 408 && r.status != 429) {
			fprintf(stderr, "worktime-agent: the server refused a batch of %" PRIu64
			    " spans (%s); set aside in %s\n", n, why, sp.rejected_path);
			if (spool_set_aside(&sp, r.status, why, &body) != 0) {
				rc = 1;
				break;
			}
			continue;
		}
		fprintf(stderr, "worktime-agent: upload failed (%s); %" PRIu64 " spans wait in the "
		    "spool\n", why, spool_pending(&sp));
		rc = 1;
		break;
	}
	if (rc == 0)
		printf("ok: %" PRIu64 " span%s uploaded in %" PRIu64 " batch%s; nothing waits\n",
		    sent, sent == 1 ? "" : "s", batches, batches == 1 ? "" : "es");
	req_free(&r);
	buf_free(&body);
	spool_close(&sp);
	close(lock);
	return rc;
}

int
cmd_flush(struct conf *c, int timeout_s)
{
	long pid;

	if (!conf_enrolled(c)) {
		fprintf(stderr, "worktime-agent: not enrolled: run worktime-agent enroll URL CODE\n");
		return 2;
	}
	pid = daemon_pid(c->state_dir);
	if (pid > 0)
		return flush_by_daemon(c, pid, timeout_s);
	if (pid < 0) {
		fprintf(stderr, "worktime-agent: another worktime-agent holds the lock but its pid "
		    "is unknown\n");
		return 1;
	}
	return flush_alone(c);
}
