/* worktime-agent run: the loop. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <malloc.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent.h"
#include "json.h"

static volatile sig_atomic_t stop_sig, flush_sig, reload_sig;

static void
on_signal(int sig)
{
	if (sig == SIGUSR1)
		flush_sig = 1;
	else if (sig == SIGHUP)
		reload_sig = 1;
	else
		stop_sig = sig;
}

int
agent_poll_ms(const struct agent *a)
{
	return a->conf.poll_interval_ms ? a->conf.poll_interval_ms : 1000;
}

int
agent_idle_s(const struct agent *a)
{
	return a->conf.idle_timeout_s ? a->conf.idle_timeout_s : a->pol.idle_timeout_s;
}

void
agent_add_task(struct agent *a, struct task *t)
{
	t->next = a->tasks;
	a->tasks = t;
}

void
agent_on_poll(struct agent *a, struct poll_hook *h)
{
	h->next = a->hooks;
	a->hooks = h;
}

void
agent_error(struct agent *a, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->last_error, sizeof(a->last_error), fmt, ap);
	va_end(ap);
	a->last_error_ms = wall_ms();
	log_warn("%s", a->last_error);
}

void
agent_write_status(struct agent *a)
{
	struct buf b = { 0 };
	char *path = path_join(a->conf.state_dir, "status");

	buf_addf(&b, "pid %ld\nstarted_ms %" PRId64 "\nlast_upload_ms %" PRId64
	    "\nlast_error_ms %" PRId64 "\nlast_error %s\nrevoked %d\ndisplay %s\nflushes %"
	    PRIu64 "\nflush_result %s\netag %s\nbytes_sent %" PRIu64 "\nbytes_received %"
	    PRIu64 "\nconnections %" PRIu64 "\nscreenshots %s\n", (long)getpid(), a->started_ms,
	    a->last_upload_ms, a->last_error_ms, a->last_error, a->revoked,
	    a->bs ? "connected" : a->be_why, a->flushes, a->flush_result,
	    a->pol.etag ? a->pol.etag : "", net_stats.sent, net_stats.received,
	    net_stats.connections, a->shots[0] ? a->shots : "off");
	if (write_atomic(path, b.p, b.len, 0600) != 0)
		log_warn("cannot write %s: %s", path, strerror(errno));
	buf_free(&b);
	free(path);
}

/* --- spans to disk --------------------------------------------------------- */

static void
span_json(const struct span *s, struct buf *b)
{
	char when[40];

	fmt_time(s->start_ms, when, sizeof(when));
	buf_addf(b, "{\"start\":\"%s\",\"duration_ms\":%" PRId64 ",\"app\":", when,
	    s->end_ms - s->start_ms);
	json_add_str(b, s->app, strlen(s->app));
	buf_adds(b, ",\"title\":");
	json_add_str(b, s->title, strlen(s->title));
	buf_addf(b, ",\"afk\":%s}", s->afk ? "true" : "false");
}

static void
on_span(void *ctx, const struct span *s)
{
	struct agent *a = ctx;
	struct buf b = { 0 };
	char *cp;

	span_json(s, &b);
	if (spool_append(&a->spool, b.p, b.len) != 0)
		agent_error(a, "a span of %" PRId64 " ms (%s) could not be written to the spool",
		    s->end_ms - s->start_ms, s->app);
	else
		log_debug("span %s", b.p);
	buf_free(&b);
	/* The span is in the spool: its checkpoint must not add it again. */
	cp = path_join(a->conf.state_dir, "open.span");
	unlink(cp);
	free(cp);
}

/* The open span is saved every few seconds, so a crash or a SIGKILL loses
 * at most that much of it; the next start puts it in the spool. */
static void
checkpoint_run(struct agent *a, struct task *t)
{
	char *path = path_join(a->conf.state_dir, "open.span");
	struct buf b = { 0 };

	t->due = mono_ms() + (a->conf.checkpoint_s ? a->conf.checkpoint_s : 10) * 1000LL;
	if (a->tr.open && a->tr.cur.end_ms > a->tr.cur.start_ms) {
		span_json(&a->tr.cur, &b);
		if (write_atomic(path, b.p, b.len, 0600) != 0)
			log_warn("cannot write %s: %s", path, strerror(errno));
	}
	buf_free(&b);
	free(path);
}

void
checkpoint_recover(struct spool *sp, const char *state_dir)
{
	char *path = path_join(state_dir, "open.span"), *text;
	size_t len;
	struct jv *j;

	if ((text = read_file(path, &len)) != NULL) {
		j = json_parse(text, len, NULL, 0);
		if (j && j->type == J_OBJ && json_int(j, "duration_ms", 0) > 0 &&
		    json_str(j, "app", NULL) && json_str(j, "start", NULL) &&
		    spool_append(sp, text, len) == 0)
			log_info("recovered the span that was open when the agent stopped "
			    "(%" PRId64 " ms of %s)", json_int(j, "duration_ms", 0),
			    json_str(j, "app", ""));
		json_free(j);
		free(text);
		unlink(path);
	}
	free(path);
}

/* --- the window system ------------------------------------------------------ */

static void
poll_once(struct agent *a)
{
	struct sample s;
	int64_t now = mono_ms(), wall = wall_ms();
	int ok = 0;

	if (a->bs == NULL && now >= a->be_retry_at) {
		char why[256] = "";

		if ((a->bs = a->be->open(why, sizeof(why))) != NULL) {
			log_info("connected to the %s display", a->be->name);
			a->be_why[0] = '\0';
			agent_write_status(a);
		} else {
			if (strcmp(why, a->be_why) != 0) {
				log_warn("waiting for the display: %s", why);
				snprintf(a->be_why, sizeof(a->be_why), "waiting: %s", why);
				agent_write_status(a);
			}
			a->be_retry_at = now + 3000;
		}
	}
	if (a->bs != NULL) {
		if (a->be->poll(a->bs, &s) == 0)
			ok = 1;
		else {
			log_warn("lost the connection to the display; waiting for it to come back");
			a->be->close(a->bs);
			a->bs = NULL;
			snprintf(a->be_why, sizeof(a->be_why), "waiting: the display went away");
			a->be_retry_at = now + 1000;
			agent_write_status(a);
		}
	}
	a->tr.idle_timeout_ms = agent_idle_s(a) * 1000LL;
	if (ok) {
		const char *title = policy_title(&a->pol, s.title);
		char *app = xstrndup(s.app, utf8_prefix(s.app, strlen(s.app), 256));
		char *t = xstrndup(title, utf8_prefix(title, strlen(title), 1024));
		struct sample cut = { app, t, s.idle_ms, s.locked };

		tracker_poll(&a->tr, wall, now, &cut);
		a->afk = s.idle_ms >= a->tr.idle_timeout_ms;
		for (struct poll_hook *h = a->hooks; h; h = h->next)
			h->fn(a, &cut, h->ctx);
		free(app);
		free(t);
	} else {
		tracker_poll(&a->tr, wall, now, NULL);
		for (struct poll_hook *h = a->hooks; h; h = h->next)
			h->fn(a, NULL, h->ctx);
	}
}

/* --- agent.conf changed (enrolled again, say) ------------------------------- */

static int64_t
mtime_of(const char *path)
{
	struct stat st;

	if (stat(path, &st) != 0)
		return 0;
	return (int64_t)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
}

static void
reload_conf(struct agent *a, int forced)
{
	struct conf n;
	int64_t m = mtime_of(a->conf.path);

	if (!forced && m == a->conf_mtime)
		return;
	a->conf_mtime = m;
	if (conf_load(&n) != 0) {
		agent_error(a, "%s has an error (see above); keeping the settings in use",
		    a->conf.path);
		return;
	}
	if (!conf_enrolled(&n)) {
		agent_error(a, "%s has no url or token any more; keeping the settings in use",
		    a->conf.path);
		conf_free(&n);
		return;
	}
	if (a->revoked && strcmp(n.token, a->conf.token) != 0) {
		log_info("a new device token is in %s: uploads resume", n.path);
		a->revoked = 0;
	}
	log_level = n.log_level;
	a->spool.max_bytes = n.spool_max_bytes;
	conf_free(&a->conf);
	a->conf = n;
	log_info("read %s again", a->conf.path);
	for (struct task *t = a->tasks; t; t = t->next)
		if (t->due != NEVER && strcmp(t->name, "checkpoint") != 0)
			t->due = mono_ms();
	agent_write_status(a);
}

static void
conf_watch_run(struct agent *a, struct task *t)
{
	t->due = mono_ms() + 5000;
	reload_conf(a, 0);
}

/* --- the loop ---------------------------------------------------------------- */

static void
load_cached_policy(struct agent *a)
{
	char *path = path_join(a->conf.state_dir, "policy.json"), *text, *nl, why[200];
	size_t len;

	policy_defaults(&a->pol);
	if ((text = read_file(path, &len)) != NULL && (nl = strchr(text, '\n')) != NULL) {
		*nl = '\0';
		if (policy_set(&a->pol, nl + 1, len - (size_t)(nl + 1 - text), text, why,
		    sizeof(why)) != 0)
			log_warn("ignored the saved policy %s: %s", path, why);
	}
	free(text);
	free(path);
}

int
agent_run(struct conf *conf)
{
	struct agent *a = xcalloc(1, sizeof(*a));
	struct task checkpoint = { "checkpoint", 0, checkpoint_run, NULL };
	struct task conf_watch = { "conf", 0, conf_watch_run, NULL };
	struct sigaction sa;
	int lock, rc = 0;

	/* One malloc arena: the agent is single-threaded (curl's resolver
	 * thread is short-lived), and every arena costs resident memory. */
	mallopt(M_ARENA_MAX, 1);
	a->conf = *conf;
	memset(conf, 0, sizeof(*conf));
	log_level = a->conf.log_level;
	if (!conf_enrolled(&a->conf)) {
		fprintf(stderr, "worktime-agent: not enrolled: run worktime-agent enroll URL CODE "
		    "first (%s has no url or token)\n", a->conf.path);
		rc = 2;
		goto out_free;
	}
	if (mkdir_p(a->conf.state_dir, 0700) != 0) {
		fprintf(stderr, "worktime-agent: cannot make %s: %s\n", a->conf.state_dir,
		    strerror(errno));
		rc = 1;
		goto out_free;
	}
	if ((lock = lock_take(a->conf.state_dir)) < 0) {
		long pid = daemon_pid(a->conf.state_dir);

		fprintf(stderr, "worktime-agent: already running (pid %ld) for %s\n", pid,
		    a->conf.state_dir);
		rc = 3;
		goto out_free;
	}
	a->conf_mtime = mtime_of(a->conf.path);
	if (spool_open(&a->spool, a->conf.state_dir, a->conf.spool_max_bytes, 0) != 0) {
		rc = 1;
		goto out_lock;
	}
	load_cached_policy(a);
	checkpoint_recover(&a->spool, a->conf.state_dir);
	if (net_init(&a->net) != 0) {
		fprintf(stderr, "worktime-agent: cannot start libcurl\n");
		rc = 1;
		goto out_spool;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	a->be = &x11_backend;
	a->tr.emit = on_span;
	a->tr.ctx = a;
	a->started_ms = wall_ms();
	snprintf(a->be_why, sizeof(a->be_why), "not connected yet");
	agent_add_task(a, &checkpoint);
	agent_add_task(a, &conf_watch);
	uploads_init(a);
	shots_init(a);
	checkpoint.due = mono_ms() + 1000;
	conf_watch.due = mono_ms() + 5000;
	log_info("started (version %s): %s as device %" PRId64 ", %" PRIu64 " spans waiting in "
	    "%s", WA_VERSION, a->conf.url, a->conf.device_id, spool_pending(&a->spool),
	    a->spool.path);
	agent_write_status(a);
	a->next_poll = mono_ms();
	while (!stop_sig) {
		int64_t now = mono_ms(), next;

		if (now >= a->next_poll) {
			poll_once(a);
			a->next_poll += agent_poll_ms(a);
			if (a->next_poll <= now)
				a->next_poll = now + agent_poll_ms(a);
		}
		if (reload_sig) {
			reload_sig = 0;
			reload_conf(a, 1);
		}
		if (flush_sig) {
			flush_sig = 0;
			log_info("flush asked for: uploading everything recorded until now");
			tracker_cut(&a->tr, wall_ms());
			uploads_flush(a);
		}
		now = mono_ms();
		for (struct task *t = a->tasks; t; t = t->next)
			if (t->due <= now)
				t->run(a, t);
		net_pump(&a->net);
		next = a->next_poll;
		for (struct task *t = a->tasks; t; t = t->next)
			if (t->due < next)
				next = t->due;
		if (!stop_sig && !flush_sig)
			net_wait(&a->net, (int)(next - mono_ms() > 60000 ? 60000 : next - mono_ms()));
	}
	log_info("stopping (signal %d)", (int)stop_sig);
	tracker_close(&a->tr, wall_ms());
	shots_free(a);
	uploads_free(a);
	net_free(&a->net);
	if (a->bs)
		a->be->close(a->bs);
	snprintf(a->be_why, sizeof(a->be_why), "stopped");
	a->bs = NULL;
	agent_write_status(a);
out_spool:
	tracker_free(&a->tr);
	spool_close(&a->spool);
	policy_free(&a->pol);
out_lock:
	close(lock);
out_free:
	conf_free(&a->conf);
	free(a);
	return rc;
}
