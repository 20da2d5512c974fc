#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tracker.h"
#include "util.h"

static void
close_at(struct tracker *t, int64_t at)
{
	if (!t->open)
		return;
	t->cur.end_ms = at < t->cur.start_ms ? t->cur.start_ms : at;
	if (t->cur.end_ms > t->cur.start_ms)
		t->emit(t->ctx, &t->cur);
	free(t->cur.app);
	free(t->cur.title);
	memset(&t->cur, 0, sizeof(t->cur));
	t->open = 0;
}

static void
open_at(struct tracker *t, int64_t at, const char *app, const char *title, int afk)
{
	t->cur.start_ms = t->cur.end_ms = at;
	t->cur.app = xstrdup(app);
	t->cur.title = xstrdup(title);
	t->cur.afk = afk;
	t->open = 1;
}

void
tracker_poll(struct tracker *t, int64_t wall, int64_t mono, const struct sample *s)
{
	int64_t boundary;
	int afk;

	if (t->have_last) {
		int64_t drift = (wall - t->last_wall) - (mono - t->last_mono);

		if (drift > TRACKER_JUMP_MS || drift < -TRACKER_JUMP_MS) {
			log_info("the wall clock moved %+lld ms against the monotonic clock "
			    "(suspend or a clock change): the span in front ends at the last poll",
			    (long long)drift);
			close_at(t, t->last_wall);
		}
	}
	t->have_last = 1;
	t->last_wall = wall;
	t->last_mono = mono;
	if (s == NULL) {
		close_at(t, t->open ? t->cur.end_ms : wall);
		return;
	}
	afk = s->idle_ms >= t->idle_timeout_ms;
	if (t->open && t->cur.afk == afk && strcmp(t->cur.app, s->app) == 0 &&
	    strcmp(t->cur.title, s->title) == 0) {
		t->cur.end_ms = wall;
		if (wall - t->cur.start_ms >= TRACKER_MAX_SPAN_MS) {
			char *app = xstrdup(s->app), *title = xstrdup(s->title);

			close_at(t, wall);
			open_at(t, wall, app, title, afk);
			free(app);
			free(title);
		}
		return;
	}
	boundary = wall;
	/* Away began at the last input, and so did the return: both are
	 * back-dated, within the span being closed. */
	if (t->open && afk != t->cur.afk) {
		boundary = wall - s->idle_ms;
		if (boundary < t->cur.start_ms)
			boundary = t->cur.start_ms;
		if (boundary > wall)
			boundary = wall;
	}
	close_at(t, boundary);
	open_at(t, boundary, s->app, s->title, afk);
	t->cur.end_ms = wall;
}

void
tracker_cut(struct tracker *t, int64_t wall)
{
	char *app, *title;
	int afk;

	if (!t->open || wall <= t->cur.start_ms)
		return;
	app = xstrdup(t->cur.app);
	title = xstrdup(t->cur.title);
	afk = t->cur.afk;
	close_at(t, wall);
	open_at(t, wall, app, title, afk);
	free(app);
	free(title);
}

void
tracker_close(struct tracker *t, int64_t wall)
{
	close_at(t, wall);
}

void
tracker_free(struct tracker *t)
{
	if (t->open) {
		free(t->cur.app);
		free(t->cur.title);
	}
	memset(t, 0, sizeof(*t));
}
