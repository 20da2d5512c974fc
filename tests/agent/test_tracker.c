/* Spans from samples (agent/tracker.c), with made-up clocks: one span per
 * run of equal polls; a change closes it at the poll that saw it; away
 * from the keyboard back-dated to the last input, both ways; a jump of the
 * wall clock against the monotonic one closes the span at the last poll;
 * no window system closes it too; long spans are split. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "tracker.h"
#include "util.h"

static struct span got[64];
static int ngot;

static void
emit(void *ctx, const struct span *s)
{
	(void)ctx;
	got[ngot] = *s;
	got[ngot].app = strdup(s->app);
	got[ngot].title = strdup(s->title);
	ngot++;
}

/* Forgets the spans seen so far. */
static void
reset(void)
{
	for (int i = 0; i < ngot; i++) {
		free(got[i].app);
		free(got[i].title);
	}
	ngot = 0;
}

static void
poll_at(struct tracker *t, long long wall, long long mono, const char *app, const char *title,
    long long idle)
{
	struct sample s = { app, title, idle, 0 };

	tracker_poll(t, wall, mono, app ? &s : NULL);
}

#define T0 1800000000000LL

int
main(void)
{
	struct tracker t = { 0 };

	log_level = LOG_ERROR + 1;
	t.emit = emit;
	t.idle_timeout_ms = 180000;
	for (int i = 0; i <= 5; i++)
		poll_at(&t, T0 + i * 1000, i * 1000, "Firefox", "é 漢字", 0);
	is_int(ngot, 0, "six equal polls: one span, still open");
	poll_at(&t, T0 + 6000, 6000, "XTerm", "bash", 0);
	ok(ngot == 1 && got[0].start_ms == T0 && got[0].end_ms == T0 + 6000,
	    "a change closes it at the poll that saw the change");
	is_str(got[0].title, "é 漢字", "... with its title");
	poll_at(&t, T0 + 7000, 7000, "XTerm", "vim", 0);
	ok(ngot == 2 && got[1].end_ms - got[1].start_ms == 1000, "a title change is a new span");

	/* Away: the last input was 180 s before the poll that sees it. */
	reset();
	poll_at(&t, T0 + 190000, 190000, "XTerm", "vim", 180500);
	ok(ngot == 1 && got[0].end_ms == T0 + 9500 && !got[0].afk,
	    "away: the active span ends at the last input (back-dated)");
	poll_at(&t, T0 + 200000, 200000, "XTerm", "vim", 200);
	ok(ngot == 2 && got[1].afk && got[1].start_ms == T0 + 9500 && got[1].end_ms == T0 + 199800,
	    "back: the away span runs from the last input to the new input");

	/* Suspend: the wall clock moves an hour, the monotonic one a second. */
	reset();
	poll_at(&t, T0 + 201000, 201000, "XTerm", "vim", 0);
	poll_at(&t, T0 + 201000 + 3600000, 202000, "XTerm", "vim", 0);
	ok(ngot == 1 && got[0].end_ms == T0 + 201000, "a clock jump closes the span at the last poll");
	poll_at(&t, T0 + 3803000, 203000, "Other", "x", 0);
	ok(ngot == 2 && got[1].start_ms == T0 + 3801000 && got[1].end_ms == T0 + 3803000,
	    "... and the same window starts again after it");
	/* A clock set back by a minute. */
	poll_at(&t, T0 + 3804000, 204000, "Other", "x", 0);
	poll_at(&t, T0 + 3805000 - 60000, 205000, "Other", "x", 0);
	ok(ngot == 3 && got[2].start_ms == T0 + 3803000 && got[2].end_ms == T0 + 3804000,
	    "a clock set back also closes the span at the last poll");

	/* The display goes away. */
	reset();
	poll_at(&t, T0 + 3746000, 206000, "Other", "x", 0);
	poll_at(&t, T0 + 3747000, 207000, NULL, NULL, 0);
	ok(ngot == 1 && got[0].end_ms == T0 + 3746000, "no display: the span ends at the last poll that saw it");

	/* Two hours of the same window: split at an hour. */
	reset();
	for (long long i = 0; i <= 7200; i += 10)
		poll_at(&t, T0 + 4000000 + i * 1000, 300000 + i * 1000, "Long", "one", 0);
	ok(ngot == 2 && got[0].end_ms - got[0].start_ms == 3600000 && got[1].start_ms == got[0].end_ms,
	    "a span is closed after an hour and the next one begins there");
	tracker_cut(&t, T0 + 4000000 + 7205000);
	ok(ngot == 3 && got[2].end_ms == T0 + 4000000 + 7205000, "a cut (flush) closes the open span now");
	tracker_close(&t, T0 + 4000000 + 7206000);
	ok(ngot == 4 && got[3].start_ms == got[2].end_ms, "... and the same window goes on from there");
	tracker_free(&t);
	reset();
	return done_testing();
}
