/* Screenshots, on the organisation's policy (the "screenshots" member of
 * the policy: mode, interval_min, from_hour, to_hour, blur).
 *
 * After every poll the hook below looks whether the policy changed (a new
 * ETag: it applies from that poll) and whether the moment shotsched.h
 * chose has come.  Then, unless the person is away from the keyboard, the
 * screen saver is on (blanked or locked) or there is no display, the
 * screen is read, shrunk, blurred when the policy says so, and encoded,
 * all in memory (shotimg.h): only the finished JPEGs are written, so with
 * blur on no unblurred pixel reaches the disk or the network.  A window
 * whose moment finds the person away is skipped, not made up later.
 *
 * The spool is the directory "shots" in the state directory: per
 * screenshot its thumbnail and then its image, each written to a
 * temporary name, fsync'd and renamed, the directory fsync'd after; the
 * names carry what the upload needs: <taken-at ms>-<b|u>.jpg and
 * <taken-at ms>-<b|u>.thumb.jpg.  The time it was taken is also its
 * number (seq) for the server, which stores a (device, seq) once: a
 * retry after a lost answer is harmless.  The spool keeps at most
 * screenshot_spool_max screenshots and screenshot_spool_mb megabytes;
 * beyond that the oldest go, counted in shots/state.
 *
 * Uploads follow the batches' rules (upload.c): the image, then its
 * thumbnail; a 2xx removes the file; no answer, 404/405/408/429 and 5xx
 * wait (the same doubling backoff), 401 stops uploads (revoked), and any
 * other 4xx (403: the policy no longer takes them, or wants them blurred;
 * 409, 410) removes the screenshot with a log line: it cannot ever be
 * stored. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent.h"
#include "json.h"
#include "shotimg.h"
#include "shotsched.h"

#define SPOOL_MAX_DEFAULT	100
#define SPOOL_MB_DEFAULT	50

static struct {
	struct shotsched sched;
	int		 blur;
	char		*etag;		/* the policy last read */
	int		 have_policy;
	int64_t		 moment;	/* wall ms of the next screenshot; -1: none */
	int64_t		 win_start, win_end;	/* the moment's window */
	uint64_t	 rng;
	char		*dir;
	int		 fails;
	uint64_t	 dropped, rejected, taken, skipped;
	struct buf	 body;
	int64_t		 sending;	/* the seq in flight */
	char		 sending_flag;
	int		 sending_thumb;
} S;

static struct task send_task;
static struct poll_hook hook;

/* --- the policy ------------------------------------------------------------------ */

void
shots_policy(const struct jv *doc, int interval_s, struct shotsched *p, int *blur)
{
	struct jv *s = doc ? json_get(doc, "screenshots") : NULL;
	const char *mode = s && s->type == J_OBJ ? json_str(s, "mode", "off") : "off";
	struct jv *b = s && s->type == J_OBJ ? json_get(s, "blur") : NULL;

	memset(p, 0, sizeof(*p));
	/* Blur unless the policy says plainly not to. */
	*blur = !(b && b->type == J_BOOL && !b->b);
	if (strcmp(mode, "interval") == 0) {
		int64_t min = json_int(s, "interval_min", 30);

		p->mode = SHOT_INTERVAL;
		p->interval_ms = (min >= 1 && min <= 1440 ? min : 30) * 60000LL;
		if (interval_s)
			p->interval_ms = interval_s * 1000LL;
	} else if (strcmp(mode, "twice_daily") == 0) {
		p->mode = SHOT_TWICE_DAILY;
		p->from_hour = (int)json_int(s, "from_hour", 9);
		p->to_hour = (int)json_int(s, "to_hour", 17);
		if (p->from_hour < 0 || p->to_hour > 24 || p->from_hour >= p->to_hour) {
			p->from_hour = 9;
			p->to_hour = 17;
		}
	}
}

void
shots_describe(const struct shotsched *p, int blur, char *out, size_t outsz)
{
	if (p->mode == SHOT_INTERVAL)
		snprintf(out, outsz, "on: one screenshot every %lld %s at a random moment, %s",
		    (long long)(p->interval_ms % 60000 ? p->interval_ms / 1000 : p->interval_ms / 60000),
		    p->interval_ms % 60000 ? "s" : "min", blur ? "blurred on this computer before "
		    "it is stored or sent" : "NOT blurred");
	else if (p->mode == SHOT_TWICE_DAILY)
		snprintf(out, outsz, "on: two screenshots a day at random times between %02d:00 and "
		    "%02d:00, %s", p->from_hour, p->to_hour, blur ? "blurred on this computer "
		    "before they are stored or sent" : "NOT blurred");
	else
		snprintf(out, outsz, "off");
}

static void
reschedule(int64_t from)
{
	S.moment = shotsched_next(&S.sched, from, &S.rng, &S.win_end);
	if (S.moment >= 0)
		shotsched_window(&S.sched, S.moment, &S.win_start, &S.win_end);
}

static void
apply_policy(struct agent *a)
{
	struct shotsched p;
	int blur;
	char what[200], when[64];

	free(S.etag);
	S.etag = a->pol.etag ? xstrdup(a->pol.etag) : NULL;
	shots_policy(a->pol.doc, a->conf.screenshot_interval_s, &p, &blur);
	if (S.have_policy && memcmp(&p, &S.sched, sizeof(p)) == 0 && blur == S.blur)
		return;
	S.have_policy = 1;
	S.sched = p;
	S.blur = blur;
	shots_describe(&p, blur, what, sizeof(what));
	snprintf(a->shots, sizeof(a->shots), "%s", what);
	/* Status says so before the first screenshot is taken. */
	agent_write_status(a);
	reschedule(wall_ms());
	if (S.moment >= 0) {
		fmt_local(S.moment, when, sizeof(when));
		log_info("screenshots %s; the first at %s", what, when);
	} else
		log_info("screenshots off");
}

/* --- the spool ----------------------------------------------------------------------- */

struct entry {
	int64_t	 seq;
	char	 flag;		/* 'b' blurred, 'u' not */
	int	 image, thumb;	/* which files are there */
	off_t	 bytes;
};

static int
by_seq(const void *x, const void *y)
{
	const struct entry *a = x, *b = y;

	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* The screenshots in the spool, oldest first; *n of them. */
static struct entry *
list_spool(size_t *n)
{
	DIR *d = opendir(S.dir);
	struct dirent *de;
	struct entry *v = NULL;
	size_t cap = 0;

	*n = 0;
	if (d == NULL)
		return NULL;
	while ((de = readdir(d)) != NULL) {
		long long seq;
		char flag, rest[16] = "";
		struct stat st;
		char *path;
		size_t i;
		int thumb;

		if (sscanf(de->d_name, "%lld-%c.%15s", &seq, &flag, rest) != 3 ||
		    (flag != 'b' && flag != 'u'))
			continue;
		if (strcmp(rest, "jpg") == 0)
			thumb = 0;
		else if (strcmp(rest, "thumb.jpg") == 0)
			thumb = 1;
		else
			continue;	/* a .tmp a crash left: removed at start */
		for (i = 0; i < *n; i++)
			if (v[i].seq == seq && v[i].flag == flag)
				break;
		if (i == *n) {
			if (*n == cap) {
				cap = cap ? cap * 2 : 16;
				v = xrealloc(v, cap * sizeof(*v));
			}
			memset(&v[i], 0, sizeof(v[i]));
			v[i].seq = seq;
			v[i].flag = flag;
			(*n)++;
		}
		path = path_join(S.dir, de->d_name);
		if (stat(path, &st) == 0)
			v[i].bytes += st.st_size;
		free(path);
		if (thumb)
			v[i].thumb = 1;
		else
			v[i].image = 1;
	}
	closedir(d);
	if (*n)
		qsort(v, *n, sizeof(*v), by_seq);
	return v;
}

static char *
shot_path(int64_t seq, char flag, int thumb)
{
	char name[64];

	snprintf(name, sizeof(name), "%" PRId64 "-%c.%s", seq, flag, thumb ? "thumb.jpg" : "jpg");
	return path_join(S.dir, name);
}

static void
remove_shot(int64_t seq, char flag)
{
	for (int t = 0; t < 2; t++) {
		char *p = shot_path(seq, flag, t);

		unlink(p);
		free(p);
	}
}

static void
save_counts(void)
{
	char *path = path_join(S.dir, "state"), text[128];

	snprintf(text, sizeof(text), "dropped %" PRIu64 "\nrejected %" PRIu64 "\n", S.dropped,
	    S.rejected);
	if (write_atomic(path, text, strlen(text), 0600) != 0)
		log_warn("cannot write %s: %s", path, strerror(errno));
	free(path);
}

static void
load_counts(void)
{
	char *path = path_join(S.dir, "state"), *text = read_file(path, NULL), *p;
	unsigned long long v;

	if (text) {
		if ((p = strstr(text, "dropped ")) && sscanf(p, "dropped %llu", &v) == 1)
			S.dropped = v;
		if ((p = strstr(text, "rejected ")) && sscanf(p, "rejected %llu", &v) == 1)
			S.rejected = v;
	}
	free(text);
	free(path);
}

/* Over its count or its size: the oldest go first. */
static void
bound_spool(const struct agent *a)
{
	size_t n, max = a->conf.screenshot_spool_max ? (size_t)a->conf.screenshot_spool_max :
	    SPOOL_MAX_DEFAULT;
	int64_t bytes = 0, max_bytes = (a->conf.screenshot_spool_mb ? a->conf.screenshot_spool_mb :
	    SPOOL_MB_DEFAULT) * 1024LL * 1024;
	struct entry *v = list_spool(&n);
	size_t first = 0;

	for (size_t i = 0; i < n; i++)
		bytes += v[i].bytes;
	while (first + 1 < n && (n - first > max || bytes > max_bytes)) {
		remove_shot(v[first].seq, v[first].flag);
		bytes -= v[first].bytes;
		first++;
	}
	if (first) {
		S.dropped += first;
		save_counts();
		log_warn("screenshots: the spool is full (%zu at most, %lld MB): dropped the oldest "
		    "%zu the server does not have yet", max, (long long)(max_bytes >> 20), first);
	}
	free(v);
}

static void
fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

/* --- taking one ------------------------------------------------------------------------- */

static int
feed(void *ctx, struct shrink *s)
{
	struct agent *a = ctx;

	return a->be->capture(a->bs, s);
}

static void
take(struct agent *a, const struct sample *s)
{
	struct shot_out o;
	int sw, sh;
	int64_t seq = wall_ms();
	char *tp, *ip;
	int rc;

	if (s == NULL || a->bs == NULL || a->afk || s->locked) {
		S.skipped++;
		log_info("screenshot skipped: %s", s == NULL || a->bs == NULL ? "no display" :
		    s->locked ? "the screen saver is on (locked or blanked)" : "away from the keyboard");
		return;
	}
	if (a->be->screen_size(a->bs, &sw, &sh) != 0 ||
	    shot_make(sw, sh, S.blur, feed, a, &o) != 0) {
		agent_error(a, "could not take a screenshot of the %dx%d screen", sw, sh);
		return;
	}
	if (mkdir_p(S.dir, 0700) != 0) {
		agent_error(a, "cannot make %s: %s", S.dir, strerror(errno));
		shot_out_free(&o);
		return;
	}
	/* The thumbnail first: an image in the spool always has one. */
	tp = shot_path(seq, S.blur ? 'b' : 'u', 1);
	ip = shot_path(seq, S.blur ? 'b' : 'u', 0);
	rc = write_atomic(tp, o.thumb.p, o.thumb.len, 0600);
	if (rc == 0)
		rc = write_atomic(ip, o.image.p, o.image.len, 0600);
	if (rc != 0) {
		agent_error(a, "cannot write the screenshot to %s: %s", ip, strerror(errno));
		unlink(tp);
	} else {
		fsync_dir(S.dir);
		S.taken++;
		log_info("screenshot %" PRId64 " taken: %dx%d%s, %zu bytes (thumbnail %dx%d, %zu "
		    "bytes)", seq, o.w, o.h, S.blur ? " blurred" : "", o.image.len, o.tw, o.th,
		    o.thumb.len);
		bound_spool(a);
		if (send_task.due == NEVER)
			send_task.due = mono_ms();
	}
	free(tp);
	free(ip);
	shot_out_free(&o);
	/* The few megabytes the pixels took go back to the system now. */
	malloc_trim(0);
}

static void
on_poll(struct agent *a, const struct sample *s, void *ctx)
{
	int64_t now;

	(void)ctx;
	if (!S.have_policy || (a->pol.etag ? S.etag == NULL || strcmp(S.etag, a->pol.etag) != 0 :
	    S.etag != NULL))
		apply_policy(a);
	if (S.moment < 0)
		return;
	now = wall_ms();
	if (now < S.moment) {
		int64_t ws, we;

		/* The clock went back a whole window or more: choose again. */
		if (shotsched_window(&S.sched, now, &ws, &we) == 0 && we < S.win_start)
			reschedule(now);
		return;
	}
	take(a, s);
	/* After a suspend or a clock jump, no catching up on missed windows. */
	reschedule(S.win_end > now ? S.win_end : now);
}

/* --- uploads ------------------------------------------------------------------------------ */

static void
send_done(struct req *r, void *ctx)
{
	struct agent *a = ctx;
	long st = r->status;
	char why[400], *path;

	req_describe(r, why, sizeof(why));
	buf_free(&S.body);
	if (st >= 200 && st < 300) {
		path = shot_path(S.sending, S.sending_flag, S.sending_thumb);
		unlink(path);
		free(path);
		log_info("uploaded %s of screenshot %" PRId64 " (HTTP %ld)", S.sending_thumb ?
		    "the thumbnail" : "the image", S.sending, st);
		S.fails = 0;
		a->last_upload_ms = wall_ms();
		send_task.due = mono_ms();
		agent_write_status(a);
		malloc_trim(0);
		return;
	}
	if (st == 401) {
		agent_revoked(a, r);
		send_task.due = mono_ms() + 60000;
		return;
	}
	/* A thumbnail the server has no screenshot for (it was deleted, or
	 * its image refused) answers 404 in JSON; a proxy's 404 is HTML. */
	if (st != 0 && st >= 400 && st < 500 && st != 405 && st != 408 && st != 429 &&
	    (st != 404 || (S.sending_thumb && r->resp.len > 0 && r->resp.p[0] == '{'))) {
		log_warn("the server refused screenshot %" PRId64 "%s for good (%s): removed from "
		    "this computer", S.sending, S.sending_thumb ? "'s thumbnail" : "", why);
		remove_shot(S.sending, S.sending_flag);
		S.rejected++;
		save_counts();
		snprintf(a->last_error, sizeof(a->last_error), "screenshot %" PRId64 " refused: %s",
		    S.sending, why);
		a->last_error_ms = wall_ms();
		send_task.due = mono_ms();
		agent_write_status(a);
		return;
	}
	S.fails++;
	send_task.due = mono_ms() + agent_backoff_ms(a, S.fails, r->retry_after);
	agent_error(a, "upload of screenshot %" PRId64 " failed (%s); try %d again in %.1f s",
	    S.sending, why, S.fails + 1, (send_task.due - mono_ms()) / 1000.0);
}

static void
send_run(struct agent *a, struct task *t)
{
	size_t n;
	struct entry *v;
	char *path, *data, q[160], when[40];
	size_t len;

	t->due = NEVER;
	if (a->shot_req.busy)
		return;
	if (a->revoked) {
		t->due = mono_ms() + 60000;
		return;
	}
	if ((v = list_spool(&n)) == NULL || n == 0) {
		free(v);
		return;
	}
	S.sending = v[0].seq;
	S.sending_flag = v[0].flag;
	S.sending_thumb = !v[0].image;
	path = shot_path(v[0].seq, v[0].flag, S.sending_thumb);
	data = read_file(path, &len);
	if (data == NULL || len == 0) {
		agent_error(a, "cannot read %s: %s; removed", path, strerror(errno));
		unlink(path);
		free(data);
		free(path);
		free(v);
		t->due = mono_ms();
		return;
	}
	S.body.p = data;
	S.body.len = S.body.cap = len;
	if (S.sending_thumb)
		snprintf(q, sizeof(q), "/api/v1/screenshots/%" PRId64 "/thumbnail", v[0].seq);
	else {
		fmt_time(v[0].seq, when, sizeof(when));
		snprintf(q, sizeof(q), "/api/v1/screenshots?seq=%" PRId64 "&taken_at=%s&blurred=%s",
		    v[0].seq, when, v[0].flag == 'b' ? "true" : "false");
	}
	req_prepare_raw(&a->shot_req, &a->conf, q, &S.body, "image/jpeg", a->conf.token);
	if (req_start(&a->net, &a->shot_req) != 0) {
		agent_error(a, "cannot start a screenshot upload");
		buf_free(&S.body);
		t->due = mono_ms() + agent_backoff_ms(a, ++S.fails, 0);
	}
	free(path);
	free(v);
}

/* --- start and stop ------------------------------------------------------------------------ */

void
shots_init(struct agent *a)
{
	DIR *d;
	struct dirent *de;
	uint64_t seed = 0;

	memset(&S, 0, sizeof(S));
	S.moment = -1;
	S.dir = path_join(a->conf.state_dir, "shots");
	while (seed == 0)
		seed = (uint64_t)(random_unit() * 18446744073709551615.0);
	S.rng = seed;
	load_counts();
	/* What a crash left half-written goes. */
	if ((d = opendir(S.dir)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			size_t l = strlen(de->d_name);

			if (l > 4 && strcmp(de->d_name + l - 4, ".tmp") == 0) {
				char *p = path_join(S.dir, de->d_name);

				unlink(p);
				free(p);
			}
		}
		closedir(d);
	}
	a->shot_req.what = "screenshot";
	a->shot_req.done = send_done;
	a->shot_req.ctx = a;
	send_task = (struct task){ "screenshots", mono_ms() + 1000, send_run, NULL };
	hook = (struct poll_hook){ on_poll, NULL, NULL };
	agent_add_task(a, &send_task);
	agent_on_poll(a, &hook);
}

void
shots_free(struct agent *a)
{
	if (a->shot_req.busy)
		curl_multi_remove_handle(a->net.multi, a->shot_req.easy);
	req_free(&a->shot_req);
	buf_free(&S.body);
	free(S.etag);
	free(S.dir);
	memset(&S, 0, sizeof(S));
}

uint64_t
shots_pending(const char *state_dir, uint64_t *dropped, uint64_t *rejected)
{
	char *saved = S.dir;
	size_t n;
	struct entry *v;

	S.dir = path_join(state_dir, "shots");
	v = list_spool(&n);
	S.dropped = S.rejected = 0;
	load_counts();
	*dropped = S.dropped;
	*rejected = S.rejected;
	free(v);
	free(S.dir);
	S.dir = saved;
	return n;
}
