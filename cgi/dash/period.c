/* Week and month (/week, /week/YYYY-MM-DD, /month, /month/YYYY-MM-DD):
 * a stacked bar per day by category, the period's totals, and insights:
 * the period against the one before and against the person's own median
 * of the four weeks before it, with the biggest changes named in words.
 *
 * One report_days() call (sql/009) covers the period and everything it is
 * compared with; finished days come from its cache, so a month costs
 * about as much as a day.  A period still running is compared day for
 * day: this week's first three days against last week's first three. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dash.h"
#include "report.h"
#include "view.h"

const struct wt_field dash_period_fields[] = {
	{ .name = "date", .src = WT_SRC_PATH, .type = WT_T_DATE, .label = "Date" },
	{ .name = "user", .src = WT_SRC_QUERY, .type = WT_T_INT, .min = 1,
	  .max = 1LL << 53, .label = "Person" },
	{ .name = NULL }
};

#define MAX_GROUPS	32
#define CHART_W		1000	/* the SVG is as wide as its panel */
#define BAR_H		200

static const char *const MONTHS[] = { "January", "February", "March", "April", "May",
    "June", "July", "August", "September", "October", "November", "December" };

/* A top-level category ("Work" for "Work > Programming"): reports stack
 * and compare by these. */
struct group {
	char		 name[208];
	char		 colour[8];
	long long	 ms, prev_ms;
};

struct sums {
	long long	 tracked, active, productive, worked, days_worked;
};

static void
add(struct sums *s, const struct rp_day *d)
{
	s->tracked += d->tracked;
	s->active += d->active;
	s->productive += d->productive;
	s->worked += d->worked;
	s->days_worked += d->active > 0;
}

static int
group_of(struct group *g, int *ng, json_t *cats, const char *id)
{
	json_t *c = json_object_get(cats, id);
	const char *name = c ? json_string_value(json_object_get(c, "name")) : NULL;
	const char *colour = c ? json_string_value(json_object_get(c, "colour")) : "#bdbdbd";
	char top[208];
	const char *cut;
	json_t *tc;
	const char *k;

	if (name == NULL)
		name = "Uncategorised";
	cut = strstr(name, " > ");
	if (bsnprintf(top, sizeof(top), "%.*s", cut ? (int)(cut - name) : (int)strlen(name),
	    name) != 0)
		return -1;
	for (int i = 0; i < *ng; i++)
		if (strcmp(g[i].name, top) == 0)
			return i;
	if (*ng == MAX_GROUPS)
		return -1;
	/* The top level's own colour when it is a rule of its own. */
	json_object_foreach(cats, k, tc)
		if (strcmp(json_string_value(json_object_get(tc, "name")), top) == 0)
			colour = json_string_value(json_object_get(tc, "colour"));
	memset(&g[*ng], 0, sizeof(g[*ng]));
	snprintf(g[*ng].name, sizeof(g[*ng].name), "%s", top);
	snprintf(g[*ng].colour, sizeof(g[*ng].colour), "%s", colour ? colour : "#bdbdbd");
	return (*ng)++;
}

static int
cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

static long long
median4(long long v[4])
{
	qsort(v, 4, sizeof(v[0]), cmp_ll);
	return (v[1] + v[2]) / 2;
}

/* "up 1 h 40 min" / "down 25 min" / "the same". */
static void
change_words(long long delta, char *out, size_t n)
{
	char d[32];

	rp_duration(delta < 0 ? -delta : delta, d, sizeof(d));
	if (delta / 60000 == 0)
		snprintf(out, n, "about the same");
	else
		snprintf(out, n, "%s %s", delta > 0 ? "up" : "down", d);
}

static int
by_change(const void *a, const void *b)
{
	const struct group *x = a, *y = b;
	long long dx = llabs(x->ms - x->prev_ms), dy = llabs(y->ms - y->prev_ms);

	return dx < dy ? 1 : dx > dy ? -1 : strcmp(x->name, y->name);
}

static struct wt_err *
period(struct wt_req *r, int month)
{
	const char *date = wt_str(r, "date");
	struct rp_person p;
	struct rp_day *d = NULL;
	struct wt_err *e;
	struct wt_view *v;
	json_t *cats = NULL, *out = NULL, *jdays, *jins, *jgroups;
	struct group g[MAX_GROUPS], sorted[MAX_GROUPS];
	struct sums cur = { 0 }, prev = { 0 };
	long long week_active[4] = { 0 }, week_worked[4] = { 0 }, week_prod[4] = { 0 };
	long long max_day = 0, med_active, med_worked, med_prod;
	char start[11], end[11], pstart[11], from[11], uq[40], buf[512], words[64], w2[32];
	char prev_link[11], next_link[11];
	int ndays = 0, ng = 0, len, plen, elapsed, y = 0, m = 0, dd = 0, ncur = 0, nins = 0;
	int off_cur, off_prev, off_weeks;
	double slot;

	if ((e = rp_person_load(r, wt_str(r, "user"), &p)) != NULL)
		return e;
	if (date == NULL)
		date = p.today;
	sscanf(date, "%4d-%2d-%2d", &y, &m, &dd);
	if (month) {
		static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
		int py = m == 1 ? y - 1 : y, pm = m == 1 ? 12 : m - 1;
		int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
		int pleap = (py % 4 == 0 && py % 100 != 0) || py % 400 == 0;

		if (bsnprintf(start, sizeof(start), "%04d-%02d-01", y, m) != 0 ||
		    bsnprintf(pstart, sizeof(pstart), "%04d-%02d-01", py, pm) != 0) {
			rp_person_free(&p);
			return wt_fail(400, "date", "no such month");
		}
		len = mdays[m - 1] + (m == 2 && leap);
		plen = mdays[pm - 1] + (pm == 2 && pleap);
	} else {
		rp_date_add(date, -rp_weekday(date), start);
		rp_date_add(start, -7, pstart);
		len = plen = 7;
	}
	rp_date_add(start, len - 1, end);
	/* Everything compared: the previous period and the four weeks
	 * before this one, whichever reaches further back. */
	rp_date_add(start, -28, from);
	if (strcmp(pstart, from) < 0)
		snprintf(from, sizeof(from), "%s", pstart);
	if ((e = rp_look(r, &p, month ? "month" : "week", start)) != NULL ||
	    (e = rp_days(&p, from, end, &d, &ndays)) != NULL ||
	    (e = rp_categories(&cats)) != NULL)
		goto done;
	for (off_cur = 0; off_cur < ndays && strcmp(d[off_cur].day, start) < 0; off_cur++)
		;
	for (off_prev = 0; off_prev < ndays && strcmp(d[off_prev].day, pstart) < 0; off_prev++)
		;
	off_weeks = off_cur - 28;
	if (off_cur + len != ndays || off_weeks < 0) {
		e = wt_fail(500, NULL, "the period's figures could not be computed");
		goto done;
	}
	/* Days of the period that have begun; a running period is compared
	 * with as many days of the others. */
	for (elapsed = 0; elapsed < len && strcmp(d[off_cur + elapsed].day, p.today) <= 0; elapsed++)
		;

	v = req_view(r);
	out = json_object();
	jdays = json_array();
	for (int i = 0; i < len; i++) {
		const struct rp_day *x = &d[off_cur + i];
		const char *k;
		json_t *ms;

		if (i < elapsed)
			add(&cur, x);
		if (x->active > max_day)
			max_day = x->active;
		json_object_foreach(x->categories, k, ms) {
			int gi = group_of(g, &ng, cats, k);

			if (gi >= 0 && i < elapsed)
				g[gi].ms += json_integer_value(ms);
		}
		json_array_append_new(jdays, rp_day_json(x));
	}
	/* A running period is compared with as many days of the last. */
	for (int i = 0; i < (elapsed < len ? elapsed : plen) && i < plen; i++) {
		const struct rp_day *x = &d[off_prev + i];
		const char *k;
		json_t *ms;

		add(&prev, x);
		json_object_foreach(x->categories, k, ms) {
			int gi = group_of(g, &ng, cats, k);

			if (gi >= 0)
				g[gi].prev_ms += json_integer_value(ms);
		}
	}
	/* The four weeks before: each summed over the same weekdays as this
	 * week has had (a month: whole weeks, scaled to its length below). */
	for (int w = 0; w < 4; w++)
		for (int i = 0; i < 7; i++) {
			const struct rp_day *x = &d[off_weeks + w * 7 + i];

			if (!month && i >= elapsed)
				break;
			week_active[w] += x->active;
			week_worked[w] += x->worked;
			week_prod[w] += x->productive;
		}
	med_active = median4(week_active);
	med_worked = median4(week_worked);
	med_prod = median4(week_prod);
	if (month) {
		/* Your usual for as many days as this month has had. */
		med_active = med_active * elapsed / 7;
		med_worked = med_worked * elapsed / 7;
		med_prod = med_prod * elapsed / 7;
	}

	/* The bars: one column per day, stacked by top-level category in a
	 * fixed order (the order of the legend). */
	if (max_day < 3600000)
		max_day = 3600000;
	slot = (double)CHART_W / len;
	for (int i = 0; i < len; i++) {
		const struct rp_day *x = &d[off_cur + i];
		double ybase = BAR_H;
		int nseg = 0;

		view_setf(v, x->day, "Days.%d.date", i);
		snprintf(buf, sizeof(buf), "%.2f", slot * i + slot * 0.15);
		view_setf(v, buf, "Days.%d.x", i);
		snprintf(buf, sizeof(buf), "%.2f", slot * 0.7);
		view_setf(v, buf, "Days.%d.w", i);
		snprintf(buf, sizeof(buf), "%.2f", slot * i + slot / 2);
		view_setf(v, buf, "Days.%d.cx", i);
		snprintf(buf, sizeof(buf), "%.2s", x->day + 8);
		view_setf(v, buf, "Days.%d.dom", i);
		rp_duration(x->active, words, sizeof(words));
		view_setf(v, words, "Days.%d.active", i);
		rp_duration(x->worked, words, sizeof(words));
		view_setf(v, words, "Days.%d.worked", i);
		view_setf(v, x->first, "Days.%d.first", i);
		view_setf(v, x->last, "Days.%d.last", i);
		for (int k = 0; k < ng; k++) {
			char id[16];
			long long ms = 0;
			const char *key;
			json_t *val;
			double h;

			json_object_foreach(x->categories, key, val) {
				snprintf(id, sizeof(id), "%s", key);
				if (group_of(g, &ng, cats, id) == k)
					ms += json_integer_value(val);
			}
			if (ms <= 0)
				continue;
			h = (double)ms * BAR_H / (double)max_day;
			ybase -= h;
			snprintf(buf, sizeof(buf), "%.3f", ybase);
			view_setf(v, buf, "Days.%d.segs.%d.y", i, nseg);
			snprintf(buf, sizeof(buf), "%.3f", h);
			view_setf(v, buf, "Days.%d.segs.%d.h", i, nseg);
			view_setf(v, g[k].colour, "Days.%d.segs.%d.colour", i, nseg);
			view_setf(v, g[k].name, "Days.%d.segs.%d.name", i, nseg);
			rp_duration(ms, words, sizeof(words));
			view_setf(v, words, "Days.%d.segs.%d.time", i, nseg);
			nseg++;
		}
	}
	for (int h = 1; h * 3600000LL <= max_day; h++) {
		if (max_day > 8 * 3600000LL && h % 2)
			continue;
		snprintf(buf, sizeof(buf), "%.3f", BAR_H - (double)h * 3600000 * BAR_H / (double)max_day);
		view_setf(v, buf, "Grid.%d.y", h);
		snprintf(buf, sizeof(buf), "%d h", h);
		view_setf(v, buf, "Grid.%d.label", h);
	}

	/* Legend and the period's categories, largest first. */
	memcpy(sorted, g, sizeof(g[0]) * (size_t)ng);
	jgroups = json_array();
	for (int k = 0; k < ng; k++) {
		rp_duration(g[k].ms, words, sizeof(words));
		view_setf(v, g[k].name, "Groups.%d.name", k);
		view_setf(v, g[k].colour, "Groups.%d.colour", k);
		view_setf(v, words, "Groups.%d.time", k);
		json_array_append_new(jgroups, json_pack("{ss ss sI sI}", "name", g[k].name,
		    "colour", g[k].colour, "ms", (json_int_t)g[k].ms,
		    "previous_ms", (json_int_t)g[k].prev_ms));
	}

	/* Insights, in words. */
	jins = json_array();
#define INSIGHT(...) do { \
	(void)bsnprintf(buf, sizeof(buf), __VA_ARGS__); \
	view_setf(v, buf, "Insights.%d", nins++); \
	json_array_append_new(jins, json_string(buf)); \
} while (0)
	if (cur.active == 0 && prev.active == 0)
		INSIGHT("Nothing was recorded in this %s or the one before.", month ? "month" : "week");
	else {
		const char *last = month ? "last month" : "last week";

		change_words(cur.worked - prev.worked, words, sizeof(words));
		rp_duration(cur.worked, w2, sizeof(w2));
		INSIGHT("Worked %s, %s on %s%s.", w2, words, last,
		    elapsed < len ? " at this point" : "");
		change_words(cur.active - med_active, words, sizeof(words));
		INSIGHT("Active time %s on your usual (the median of the 4 weeks before%s).",
		    words, month ? ", for as many days" : "");
		if (cur.active > 0)
			INSIGHT("Productive share %d %%, last %s %d %%, usually %d %%.",
			    rp_percent(cur.productive, cur.active), month ? "month" : "week",
			    rp_percent(prev.productive, prev.active), rp_percent(med_prod, med_active));
		qsort(sorted, (size_t)ng, sizeof(sorted[0]), by_change);
		for (int k = 0; k < ng && k < 3; k++) {
			if (llabs(sorted[k].ms - sorted[k].prev_ms) < 10 * 60000)
				break;
			change_words(sorted[k].ms - sorted[k].prev_ms, words, sizeof(words));
			INSIGHT("%s %s on %s.", sorted[k].name, words, last);
		}
	}
#undef INSIGHT

	if (month) {
		snprintf(buf, sizeof(buf), "%s %d", MONTHS[m - 1], y);
		rp_date_add(start, -1, prev_link);
		rp_date_add(end, 1, next_link);
	} else {
		snprintf(buf, sizeof(buf), "Week of %s", start);
		rp_date_add(start, -7, prev_link);
		rp_date_add(start, 7, next_link);
	}
	view_set(v, "Page.Title", buf);
	view_set(v, "Page.Nav", p.self ? (month ? "month" : "week") : "");
	view_set(v, "Period.Title", buf);
	view_set(v, "Period.Kind", month ? "month" : "week");
	view_set(v, "Period.Start", start);
	view_set(v, "Period.End", end);
	view_set(v, "Period.Prev", prev_link);
	view_set(v, "Period.Next", next_link);
	view_set_int(v, "Period.HasNext", strcmp(next_link, p.today) <= 0);
	view_set_int(v, "Period.IsCurrent", elapsed < len && elapsed > 0);
	view_set_int(v, "Period.Days", len);
	view_set_int(v, "Period.Width", CHART_W);
	view_set(v, "Period.UserQuery", rp_user_query(&p, uq, sizeof(uq)));
	rp_person_view(v, &p);
	rp_duration(cur.worked, words, sizeof(words));
	view_set(v, "Totals.worked", words);
	rp_duration(cur.active, words, sizeof(words));
	view_set(v, "Totals.active", words);
	rp_duration(cur.tracked, words, sizeof(words));
	view_set(v, "Totals.tracked", words);
	rp_duration(cur.productive, words, sizeof(words));
	view_set(v, "Totals.productive", words);
	view_set_int(v, "Totals.productive_share", rp_percent(cur.productive, cur.active));
	view_set_int(v, "Totals.days_worked", cur.days_worked);
	ncur = elapsed;

	json_object_set_new(out, "person", json_pack("{sI ss ss}", "id", (json_int_t)p.id,
	    "name", p.name, "timezone", p.timezone));
	json_object_set_new(out, "timezone", json_string(p.view_tz));
	json_object_set_new(out, "period", json_pack("{ss ss ss si ss ss*}", "kind",
	    month ? "month" : "week", "from", start, "to", end, "elapsed_days", ncur,
	    "prev", prev_link, "next", strcmp(next_link, p.today) <= 0 ? next_link : NULL));
	json_object_set_new(out, "days", jdays);
	json_object_set_new(out, "totals", json_pack("{sI sI sI sI sI}", "tracked",
	    (json_int_t)cur.tracked, "active", (json_int_t)cur.active, "productive",
	    (json_int_t)cur.productive, "worked", (json_int_t)cur.worked, "days_worked",
	    (json_int_t)cur.days_worked));
	json_object_set_new(out, "previous", json_pack("{sI sI sI sI}", "tracked",
	    (json_int_t)prev.tracked, "active", (json_int_t)prev.active, "productive",
	    (json_int_t)prev.productive, "worked", (json_int_t)prev.worked));
	json_object_set_new(out, "usual", json_pack("{sI sI sI}", "active", (json_int_t)med_active,
	    "productive", (json_int_t)med_prod, "worked", (json_int_t)med_worked));
	json_object_set_new(out, "categories", jgroups);
	json_object_set_new(out, "insights", jins);
	if (req_wants_json(r)) {
		e = wt_json(r, 200, out);
		out = NULL;
	} else
		e = wt_html(r, 200, "period.cs");
done:
	json_decref(out);
	json_decref(cats);
	rp_days_free(d, ndays);
	rp_person_free(&p);
	return e;
}

struct wt_err *
dash_week(struct wt_req *r)
{
	return period(r, 0);
}

struct wt_err *
dash_month(struct wt_req *r)
{
	return period(r, 1);
}
