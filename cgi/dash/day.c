/* My day (/ when signed in, /day/YYYY-MM-DD): the timeline, the totals,
 * working hours, top applications and titles, categories and activity
 * per hour, with its JSON twin.  Managers and admins open the day of
 * someone in their scope with ?user=ID (the look is audited).
 *
 * Every figure comes from report_days() and report_segments() (sql/009;
 * the segments of a finished day as sql/016 keeps them, segarr.h); this
 * file only groups the segments for display. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dash.h"
#include "report.h"
#include "segarr.h"
#include "view.h"

const struct wt_field dash_day_fields[] = {
	{ .name = "date", .src = WT_SRC_PATH, .type = WT_T_DATE, .label = "Date" },
	{ .name = "user", .src = WT_SRC_QUERY, .type = WT_T_INT, .min = 1,
	  .max = 1LL << 53, .label = "Person" },
	{ .name = NULL }
};

#define TOP_APPS	10
#define TOP_TITLES	15
#define MAX_HOURS	25

struct seg {
	long long	 s, ms, gap, cat;
	int		 away;
	const char	*app, *title, *url, *cat_name, *colour, *prod;
};

/* A group of segments (an application, a title, a category). */
struct group {
	const struct seg	*first;
	long long		 ms;
};

static int
by_app(const void *a, const void *b)
{
	const struct seg *x = *(const struct seg *const *)a, *y = *(const struct seg *const *)b;

	return strcmp(x->app, y->app);
}

static int
by_title(const void *a, const void *b)
{
	const struct seg *x = *(const struct seg *const *)a, *y = *(const struct seg *const *)b;
	int c = strcmp(x->app, y->app);

	return c != 0 ? c : strcmp(x->title, y->title);
}

static int
by_cat(const void *a, const void *b)
{
	const struct seg *x = *(const struct seg *const *)a, *y = *(const struct seg *const *)b;

	return x->cat < y->cat ? -1 : x->cat > y->cat;
}

static int
by_ms_desc(const void *a, const void *b)
{
	const struct group *x = a, *y = b;

	if (x->ms != y->ms)
		return x->ms < y->ms ? 1 : -1;
	return strcmp(x->first->title, y->first->title);
}

/* Groups the active segments by cmp; *n groups, largest first. */
static struct group *
group_by(struct seg *segs, int nseg, int (*cmp)(const void *, const void *), int *n)
{
	const struct seg **p = xcalloc((size_t)nseg + 1, sizeof(*p));
	struct group *g = xcalloc((size_t)nseg + 1, sizeof(*g));
	int k = 0, ng = 0;

	for (int i = 0; i < nseg; i++)
		if (!segs[i].away)
			p[k++] = &segs[i];
	qsort(p, (size_t)k, sizeof(*p), cmp);
	for (int i = 0; i < k; i++) {
		if (ng == 0 || cmp(&p[i], &g[ng - 1].first) != 0)
			g[ng++].first = p[i];
		g[ng - 1].ms += p[i]->ms;
	}
	free(p);
	qsort(g, (size_t)ng, sizeof(*g), by_ms_desc);
	*n = ng;
	return g;
}

/* Local HH:MM of instant t, from the local hour each real hour of the
 * day begins at (exact for zones whose offsets are whole hours apart). */
static void
local_time(long long t, long long lo, char (*hours)[3], int nhours, char out[6])
{
	long long off = t - lo, h = off / 3600000, m = (off % 3600000) / 60000;

	if (h >= nhours) {
		h = nhours - 1;
		m = 60;
	}
	if (h < 0 || m < 0)
		h = m = 0;
	/* The end of the last hour is midnight. */
	if (m == 60)
		memcpy(out, "24:00", 6);
	else if (bsnprintf(out, 6, "%.2s:%02d", hours[h], (int)m) != 0)
		memcpy(out, "--:--", 6);
}

static void
fmt_min(char *out, size_t n, double v)
{
	snprintf(out, n, "%.3f", v);
}

/* One bar of the timeline: minutes [from, to) of the day in one state,
 * drawn as the segment s is (away, or its category). */
struct bar {
	int			 from, to;
	const struct seg	*s;
};

/* What one minute holds of one state (-1 away, else a category id). */
struct acc {
	long long		 key, ms;
	const struct seg	*s;
};

/* The timeline to the minute: each minute of the day takes the state
 * that holds most of it (away, a category, or nothing tracked), and runs
 * of minutes in one state are one bar.  A minute is about a pixel of
 * the timeline at 1,280 px, so this is what exact bars would look like,
 * in at most a few hundred rectangles instead of one per segment (1,600
 * on a busy day); the figures and exports keep every millisecond.
 * segs are in order and do not overlap (report_segments). */
static struct bar *
raster(const struct seg *segs, int nseg, long long lo, int minutes, int *nbars)
{
	struct bar *bars = xcalloc((size_t)nseg + 1, sizeof(*bars));
	struct acc *acc = xcalloc((size_t)nseg + 1, sizeof(*acc));
	int n = 0, j = 0;

	for (long long m = 0; j < nseg && m < minutes; m++) {
		long long a, b, sum = 0;
		int na = 0, best = -1;

		/* Straight to the minute of the next segment. */
		if (segs[j].s >= lo && (segs[j].s - lo) / 60000 > m)
			m = (segs[j].s - lo) / 60000;
		if (m >= minutes)
			break;
		a = lo + m * 60000;
		b = a + 60000;
		for (int k = j; k < nseg && segs[k].s < b; k++) {
			long long s0 = segs[k].s > a ? segs[k].s : a;
			long long e = segs[k].s + segs[k].ms, e0 = e < b ? e : b;
			long long key = segs[k].away ? -1 : segs[k].cat;
			int i;

			if (e0 <= s0)
				continue;
			for (i = 0; i < na && acc[i].key != key; i++)
				;
			if (i == na) {
				acc[na].key = key;
				acc[na].ms = 0;
				acc[na++].s = &segs[k];
			}
			acc[i].ms += e0 - s0;
			sum += e0 - s0;
		}
		for (int i = 0; i < na; i++)
			if (best < 0 || acc[i].ms > acc[best].ms)
				best = i;
		/* Tracked wins a tie with nothing. */
		if (best >= 0 && acc[best].ms >= 60000 - sum) {
			const struct seg *s = acc[best].s;

			if (n > 0 && bars[n - 1].to == m && bars[n - 1].s->away == s->away &&
			    (s->away || bars[n - 1].s->cat == s->cat))
				bars[n - 1].to = (int)m + 1;
			else {
				/* More bars than segments cannot happen: each bar
				 * starts in a segment of its own state. */
				if (n == nseg)
					break;
				bars[n].from = (int)m;
				bars[n].to = (int)m + 1;
				bars[n++].s = s;
			}
		}
		while (j < nseg && segs[j].s + segs[j].ms <= b)
			j++;
	}
	free(acc);
	*nbars = n;
	return bars;
}

struct wt_err *
dash_day(struct wt_req *r)
{
	const char *date = wt_str(r, "date");
	struct rp_person p;
	struct rp_day *days = NULL;
	struct wt_err *e;
	struct wt_view *v;
	struct seg *segs = NULL;
	struct group *apps = NULL, *titles = NULL, *cats = NULL;
	struct bar *bars = NULL;
	struct sa_windows win = { 0 };
	int json = req_wants_json(r);
	int ndays = 0, nseg = 0, napps = 0, ntitles = 0, ncats = 0, nhours = 0, nbars = 0;
	PGresult *sres = NULL, *hres = NULL, *lres;
	long long lag = 0;
	int on_replica = 0;
	char id[24], prev[11], next[11], uq[40], buf[64], hours[MAX_HOURS][3];
	long long per_hour[MAX_HOURS] = { 0 }, lo, hi, day_min;
	json_t *out = NULL, *jbars, *japps, *jtitles, *jcats, *jhours;
	const char *params[4];

	if ((e = rp_person_load(r, wt_str(r, "user"), &p)) != NULL)
		return e;
	if (date == NULL)
		date = p.today;
	if ((e = rp_look(r, &p, "day", date)) != NULL)
		goto done;
	snprintf(id, sizeof(id), "%lld", p.id);
	params[0] = id;
	params[1] = date;
	params[2] = date;
	params[3] = p.view_tz;
	/* The figures and the segments in one statement: a day that is not
	 * kept (today) is computed once (sql/022). */
	if ((sres = db_exec(ST_DASH_DAY_ONE, 4, params)) == NULL ||
	    sa_windows_load(&win, sres) != 0) {
		e = db_err();
		goto done;
	}
	rp_days_read(sres, C_Y_END, &days, &ndays);
	if (ndays != 1) {
		e = wt_fail(500, NULL, "the day's figures could not be computed");
		goto done;
	}
	if ((hres = db_exec(ST_DASH_HOURS, 2, (const char *[]){ date, p.view_tz })) == NULL) {
		e = db_err();
		goto done;
	}
	/* What a person sees while a replica lags: the figures as of its
	 * last replayed change, and a note saying how old they may be. */
	if ((lres = db_exec(ST_DASH_LAG, 0, NULL)) != NULL) {
		lag = atoll(PQgetvalue(lres, 0, 0));
		on_replica = db_on_replica();
		PQclear(lres);
	}
	nhours = PQntuples(hres) < MAX_HOURS ? PQntuples(hres) : MAX_HOURS;
	for (int i = 0; i < nhours; i++)
		snprintf(hours[i], sizeof(hours[i]), "%.2s", PQgetvalue(hres, i, 0));

	lo = days[0].lo_ms;
	hi = days[0].hi_ms;
	day_min = (hi - lo) / 60000;
	for (int i = 0; i < PQntuples(sres); i++) {
		struct sa_iter it;
		struct sa_seg g;
		int rc;

		sa_begin(&it, sres, i);
		while ((rc = sa_next(&it, &g)) > 0) {
			struct seg *s;
			int w = g.window != 0 ? sa_window(&win, g.window) : -1;

			if (g.window != 0 && w < 0) {
				rc = -1;
				break;
			}
			if (nseg % 1024 == 0)
				segs = xrealloc(segs, (size_t)(nseg + 1024) * sizeof(*segs));
			s = &segs[nseg++];
			memset(s, 0, sizeof(*s));
			s->s = g.start;
			s->ms = g.ms;
			s->gap = g.gap;
			s->away = g.window == 0;
			s->app = s->title = s->url = s->cat_name = s->prod = "";
			s->colour = "#bdbdbd";
			if (!s->away) {
				s->app = PQgetvalue(win.res, w, C_W_APP);
				s->title = PQgetvalue(win.res, w, C_W_TITLE);
				s->url = PQgetvalue(win.res, w, C_W_URL);
				if (!PQgetisnull(win.res, w, C_W_CAT_ID)) {
					s->cat = atoll(PQgetvalue(win.res, w, C_W_CAT_ID));
					s->cat_name = PQgetvalue(win.res, w, C_W_CATEGORY);
					s->colour = PQgetvalue(win.res, w, C_W_COLOUR);
					s->prod = PQgetvalue(win.res, w, C_W_PRODUCTIVITY);
				}
			}
			/* Activity per real hour of the day, split at hour
			 * edges. */
			if (!s->away)
				for (long long t = s->s, end = s->s + s->ms; t < end; ) {
					long long h = (t - lo) / 3600000;
					long long edge = lo + (h + 1) * 3600000;
					long long upto = end < edge ? end : edge;

					if (h >= 0 && h < nhours)
						per_hour[h] += upto - t;
					t = upto;
				}
		}
		if (rc < 0) {
			e = wt_fail(500, NULL, "the day's segments could not be read");
			goto done;
		}
	}
	apps = group_by(segs, nseg, by_app, &napps);
	titles = group_by(segs, nseg, by_title, &ntitles);
	cats = group_by(segs, nseg, by_cat, &ncats);

	v = req_view(r);
	out = json_object();
	view_set(v, "Page.Title", p.self ? "My day" : p.name);
	view_set(v, "Page.Nav", p.self ? "home" : "");
	rp_person_view(v, &p);
	rp_day_view(v, "Day", &days[0]);
	json_object_set_new(out, "person", json_pack("{sI ss ss}", "id", (json_int_t)p.id,
	    "name", p.name, "timezone", p.timezone));
	json_object_set_new(out, "timezone", json_string(p.view_tz));
	json_object_set_new(out, "totals", rp_day_json(&days[0]));
	rp_date_add(date, -1, prev);
	rp_date_add(date, 1, next);

	view_set(v, "Day.Prev", prev);
	view_set(v, "Day.Next", next);
	view_set(v, "Day.UserQuery", rp_user_query(&p, uq, sizeof(uq)));
	view_set_int(v, "Day.IsToday", strcmp(date, p.today) == 0);
	view_set_int(v, "Day.HasNext", strcmp(date, p.today) < 0);
	view_set_int(v, "Day.Hours", nhours);
	view_set_int(v, "Day.Minutes", day_min);
	view_set_int(v, "Day.HoursWidth", nhours * 10);
	view_set_int(v, "Day.GapMin", p.gap_min);
	json_object_set_new(out, "date", json_string(date));
	json_object_set_new(out, "prev", json_string(prev));
	json_object_set_new(out, "next", strcmp(date, p.today) < 0 ? json_string(next) : json_null());
	json_object_set_new(out, "today", json_string(p.today));
	json_object_set_new(out, "read_from", json_string(on_replica ? "replica" : "primary"));
	json_object_set_new(out, "lag_s", json_integer(lag));
	if (lag >= 60)
		view_set_int(v, "Day.LagS", lag);

	/* Why a day is empty, and what to do. */
	if (days[0].tracked == 0) {
		const char *why;

		if (strcmp(date, p.today) > 0)
			why = "future";
		else if (strcmp(date, p.oldest) < 0)
			why = "retention";
		else if (p.devices == 0)
			why = "no_device";
		else if (p.last_seen[0] == '\0')
			why = "never_reported";
		else if (strncmp(p.last_seen, date, 10) < 0)
			why = "not_running";
		else
			why = "nothing";
		view_set(v, "Day.Empty", why);
		view_set(v, "Day.LastSeen", p.last_seen);
		view_set_int(v, "Day.Retention", p.retention_days);
		json_object_set_new(out, "empty", json_pack("{ss ss* sI}", "why", why,
		    "last_seen", p.last_seen[0] ? p.last_seen : NULL,
		    "retention_days", (json_int_t)p.retention_days));
	}

	/* The timeline, to the minute (raster above). */
	bars = raster(segs, nseg, lo, (int)day_min, &nbars);
	jbars = json ? json_array() : NULL;
	for (int i = 0; i < nbars; i++) {
		const struct seg *s = bars[i].s;
		long long start = lo + bars[i].from * 60000LL, end = lo + bars[i].to * 60000LL;
		const char *label = s->away ? "Away" : s->cat_name[0] ? s->cat_name : "Uncategorised";
		char a[6], b[6];

		local_time(start, lo, hours, nhours, a);
		local_time(end, lo, hours, nhours, b);
		if (json) {
			json_array_append_new(jbars, json_pack("{ss ss ss sI sI ss*}", "kind",
			    s->away ? "away" : "active", "from", a, "to", b,
			    "start_ms", (json_int_t)start, "ms", (json_int_t)(end - start),
			    "category", s->away ? NULL : s->cat_name));
			continue;
		}
		snprintf(buf, sizeof(buf), "%d", bars[i].from);
		view_setf(v, buf, "Bars.%d.x", i);
		snprintf(buf, sizeof(buf), "%d", bars[i].to - bars[i].from);
		view_setf(v, buf, "Bars.%d.w", i);
		view_setf(v, s->away ? "away" : "active", "Bars.%d.kind", i);
		view_setf(v, s->away ? "#e0e0e0" : s->colour, "Bars.%d.colour", i);
		view_setf(v, label, "Bars.%d.label", i);
		view_setf(v, a, "Bars.%d.from", i);
		view_setf(v, b, "Bars.%d.to", i);
	}
	if (json)
		json_object_set_new(out, "timeline", jbars);
	for (int h = 0; h < nhours; h++) {
		view_setf(v, hours[h], "Ticks.%d.label", h);
		snprintf(buf, sizeof(buf), "%d", h * 60);
		view_setf(v, buf, "Ticks.%d.x", h);
	}

	/* Activity per hour: bars 0..60 minutes high. */
	jhours = json_array();
	for (int h = 0; h < nhours; h++) {
		char words[32];

		fmt_min(buf, sizeof(buf), (double)per_hour[h] / 60000.0);
		view_setf(v, buf, "PerHour.%d.min", h);
		fmt_min(buf, sizeof(buf), 61.0 - (double)per_hour[h] / 60000.0);
		view_setf(v, buf, "PerHour.%d.y", h);
		snprintf(buf, sizeof(buf), "%d", h * 10 + 1);
		view_setf(v, buf, "PerHour.%d.x", h);
		view_setf(v, hours[h], "PerHour.%d.label", h);
		rp_duration(per_hour[h], words, sizeof(words));
		view_setf(v, words, "PerHour.%d.text", h);
		json_array_append_new(jhours, json_pack("{ss sI}", "hour", hours[h],
		    "ms", (json_int_t)per_hour[h]));
	}
	json_object_set_new(out, "per_hour", jhours);

	japps = json_array();
	for (int i = 0; i < napps && i < TOP_APPS; i++) {
		rp_duration(apps[i].ms, buf, sizeof(buf));
		view_setf(v, apps[i].first->app, "Apps.%d.name", i);
		view_setf(v, buf, "Apps.%d.time", i);
		snprintf(buf, sizeof(buf), "%d", rp_percent(apps[i].ms, days[0].active));
		view_setf(v, buf, "Apps.%d.share", i);
		json_array_append_new(japps, json_pack("{ss sI}", "app", apps[i].first->app,
		    "ms", (json_int_t)apps[i].ms));
	}
	json_object_set_new(out, "apps", japps);
	jtitles = json_array();
	for (int i = 0; i < ntitles && i < TOP_TITLES; i++) {
		rp_duration(titles[i].ms, buf, sizeof(buf));
		view_setf(v, titles[i].first->title, "Titles.%d.title", i);
		view_setf(v, titles[i].first->app, "Titles.%d.app", i);
		view_setf(v, buf, "Titles.%d.time", i);
		json_array_append_new(jtitles, json_pack("{ss ss sI}", "app",
		    titles[i].first->app, "title", titles[i].first->title,
		    "ms", (json_int_t)titles[i].ms));
	}
	json_object_set_new(out, "titles", jtitles);
	jcats = json_array();
	for (int i = 0; i < ncats; i++) {
		const struct seg *s = cats[i].first;
		int pct = rp_percent(cats[i].ms, days[0].active);

		rp_duration(cats[i].ms, buf, sizeof(buf));
		view_setf(v, s->cat_name[0] ? s->cat_name : "Uncategorised", "Cats.%d.name", i);
		view_setf(v, s->colour, "Cats.%d.colour", i);
		view_setf(v, s->prod[0] ? s->prod : "none", "Cats.%d.productivity", i);
		view_setf(v, buf, "Cats.%d.time", i);
		snprintf(buf, sizeof(buf), "%d", pct);
		view_setf(v, buf, "Cats.%d.share", i);
		json_array_append_new(jcats, json_pack("{sI ss? ss ss sI}", "id", (json_int_t)s->cat,
		    "name", s->cat ? s->cat_name : NULL, "colour", s->colour,
		    "productivity", s->prod[0] ? s->prod : "none", "ms", (json_int_t)cats[i].ms));
	}
	json_object_set_new(out, "categories", jcats);

	if (req_wants_json(r)) {
		e = wt_json(r, 200, out);
		out = NULL;
	} else
		e = wt_html(r, 200, "day.cs");
done:
	json_decref(out);
	free(bars);
	free(apps);
	free(titles);
	free(cats);
	free(segs);
	if (sres != NULL)
		PQclear(sres);
	sa_windows_free(&win);
	if (hres != NULL)
		PQclear(hres);
	rp_days_free(days, ndays);
	rp_person_free(&p);
	return e;
}
