/* The team page (/team/ID, and /team for the list of teams the caller
 * may open): each member's live status from their devices' heartbeats,
 * hours worked today and this week, active and productive shares, first
 * and last activity, each against the team's median, and a link to the
 * person's day.  For admins and the team's managers; the JSON twin is
 * what /static/js/live.js refreshes the figures from.
 *
 * The figures are report_days()'s (sql/009), one statement for every
 * member (ST_DASH_TEAM_MEMBERS); this file only ranks them.  Days are in
 * the viewer's zone, as on every report. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dash.h"
#include "log.h"
#include "report.h"
#include "team.h"
#include "view.h"

const struct wt_field dash_team_fields[] = {
	{ .name = "id", .src = WT_SRC_PATH, .type = WT_T_INT, .flags = WT_REQUIRED,
	  .min = 1, .max = 1LL << 53, .label = "Team" },
	{ .name = NULL }
};

struct member {
	const char	*id, *name, *tz, *role, *state, *seen, *local_now;
	long long	 t_tracked, t_active, t_prod, t_worked;
	long long	 w_tracked, w_active, w_prod, w_worked, w_days;
	char		 first[6], last[6];
	int		 first_min, last_min;	/* minutes after midnight; -1: none */
};

/* The medians, each over the members the figure means something for
 * (someone who did not work today is not half the team's usual day). */
struct medians {
	long long	 t_worked, w_worked, a_share, p_share, first, last;
	int		 n_today, n_week, n_tracked, n_first;
};

static long long
num(PGresult *res, int row, int col)
{
	return atoll(PQgetvalue(res, row, col));
}

static int
hhmm_min(const char *s)
{
	int h, m;

	if (s[0] == '\0' || sscanf(s, "%2d:%2d", &h, &m) != 2)
		return -1;
	return h * 60 + m;
}

static int
cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

/* The median of v[0..n) (sorts v); 0 when n is 0. */
static long long
median(long long *v, int n)
{
	if (n == 0)
		return 0;
	qsort(v, (size_t)n, sizeof(v[0]), cmp_ll);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void
medians_of(const struct member *m, int n, struct medians *md)
{
	long long *v[6];
	int k[6] = { 0 };

	for (int i = 0; i < 6; i++)
		v[i] = xcalloc((size_t)n + 1, sizeof(long long));
	for (int i = 0; i < n; i++) {
		if (m[i].t_active > 0) {
			v[0][k[0]++] = m[i].t_worked;
			v[3][k[3]++] = rp_percent(m[i].t_prod, m[i].t_active);
		}
		if (m[i].w_active > 0)
			v[1][k[1]++] = m[i].w_worked;
		if (m[i].t_tracked > 0)
			v[2][k[2]++] = rp_percent(m[i].t_active, m[i].t_tracked);
		if (m[i].first_min >= 0) {
			v[4][k[4]++] = m[i].first_min;
			v[5][k[5]++] = m[i].last_min;
		}
	}
	md->t_worked = median(v[0], k[0]);
	md->w_worked = median(v[1], k[1]);
	md->a_share = median(v[2], k[2]);
	md->p_share = median(v[3], k[3]);
	md->first = median(v[4], k[4]);
	md->last = median(v[5], k[5]);
	md->n_today = k[0];
	md->n_week = k[1];
	md->n_tracked = k[2];
	md->n_first = k[4];
	for (int i = 0; i < 6; i++)
		free(v[i]);
}

/* "+1 h 05 min", "−20 min", "as the median". */
static json_t *
ms_words(long long delta)
{
	char d[32], out[48];

	if (delta / 60000 == 0)
		return json_string("as the median");
	rp_duration(delta < 0 ? -delta : delta, d, sizeof(d));
	snprintf(out, sizeof(out), "%s%s", delta > 0 ? "+" : "\xe2\x88\x92", d);
	return json_string(out);
}

static json_t *
pts_words(long long delta)
{
	char out[32];

	if (delta == 0)
		return json_string("as the median");
	snprintf(out, sizeof(out), "%s%lld pts", delta > 0 ? "+" : "\xe2\x88\x92", llabs(delta));
	return json_string(out);
}

static json_t *
min_words(long long delta)
{
	char d[32], out[48];

	if (delta == 0)
		return json_string("as the median");
	rp_duration(llabs(delta) * 60000, d, sizeof(d));
	snprintf(out, sizeof(out), "%s %s", d, delta < 0 ? "earlier" : "later");
	return json_string(out);
}

static json_t *
hhmm(long long min)
{
	char s[8];

	snprintf(s, sizeof(s), "%02d:%02d", (int)(min / 60) % 100, (int)(min % 60));
	return json_string(s);
}

static json_t *
duration_json(long long ms)
{
	char s[32];

	rp_duration(ms, s, sizeof(s));
	return json_string(s);
}

/* A share, or null when there is nothing to share out. */
static json_t *
share(long long part, long long whole)
{
	return whole > 0 ? json_integer(rp_percent(part, whole)) : json_null();
}

static json_t *
member_json(const struct member *m, const struct medians *md, const char *today)
{
	json_t *o, *t, *w, *vs, *vt;
	char day[96];

	snprintf(day, sizeof(day), "/day/%s?user=%s", today, m->id);
	t = json_pack("{sI sI sI sI so so s{so so}}", "tracked", (json_int_t)m->t_tracked,
	    "active", (json_int_t)m->t_active, "productive", (json_int_t)m->t_prod,
	    "worked", (json_int_t)m->t_worked,
	    "active_share", share(m->t_active, m->t_tracked),
	    "productive_share", share(m->t_prod, m->t_active),
	    "text", "worked", duration_json(m->t_worked), "active", duration_json(m->t_active));
	json_object_set_new(t, "first", m->first[0] ? json_string(m->first) : json_null());
	json_object_set_new(t, "last", m->last[0] ? json_string(m->last) : json_null());
	w = json_pack("{sI sI sI sI sI so so s{so so}}", "tracked", (json_int_t)m->w_tracked,
	    "active", (json_int_t)m->w_active, "productive", (json_int_t)m->w_prod,
	    "worked", (json_int_t)m->w_worked, "days", (json_int_t)m->w_days,
	    "active_share", share(m->w_active, m->w_tracked),
	    "productive_share", share(m->w_prod, m->w_active),
	    "text", "worked", duration_json(m->w_worked), "active", duration_json(m->w_active));

	/* Against the median: only figures the person has. */
	vs = json_object();
	vt = json_object();
	if (m->t_active > 0) {
		long long ps = rp_percent(m->t_prod, m->t_active) - md->p_share;

		json_object_set_new(vs, "today_worked", json_integer(m->t_worked - md->t_worked));
		json_object_set_new(vt, "today_worked", ms_words(m->t_worked - md->t_worked));
		json_object_set_new(vs, "productive_share", json_integer(ps));
		json_object_set_new(vt, "productive_share", pts_words(ps));
	}
	if (m->t_tracked > 0) {
		long long as = rp_percent(m->t_active, m->t_tracked) - md->a_share;

		json_object_set_new(vs, "active_share", json_integer(as));
		json_object_set_new(vt, "active_share", pts_words(as));
	}
	if (m->w_active > 0) {
		json_object_set_new(vs, "week_worked", json_integer(m->w_worked - md->w_worked));
		json_object_set_new(vt, "week_worked", ms_words(m->w_worked - md->w_worked));
	}
	if (m->first_min >= 0) {
		json_object_set_new(vs, "first_min", json_integer(m->first_min - md->first));
		json_object_set_new(vt, "first", min_words(m->first_min - md->first));
		json_object_set_new(vs, "last_min", json_integer(m->last_min - md->last));
		json_object_set_new(vt, "last", min_words(m->last_min - md->last));
	}
	json_object_set_new(vs, "text", vt);

	o = json_pack("{sI ss ss ss ss ss ss* ss so so so}", "id", (json_int_t)atoll(m->id),
	    "name", m->name,
	    "timezone", m->tz, "local_time", m->local_now, "role", m->role, "status", m->state,
	    "last_seen", m->seen[0] ? m->seen : NULL, "day", day, "today", t, "week", w,
	    "vs_median", vs);
	return o;
}

/* "57%", or null (live.js shows a dash) without a share. */
static json_t *
percent_text(json_t *share)
{
	char s[16];

	if (!json_is_integer(share))
		return json_null();
	snprintf(s, sizeof(s), "%lld%%", (long long)json_integer_value(share));
	return json_string(s);
}

/* What live.js refreshes, by person: the texts the page shows. */
static json_t *
live_json(json_t *mj)
{
	json_t *t = json_object_get(mj, "today"), *w = json_object_get(mj, "week");
	json_t *vt = json_object_get(json_object_get(mj, "vs_median"), "text");
	json_t *o = json_object(), *val;

	json_object_set(o, "status", json_object_get(mj, "status"));
	json_object_set(o, "last_seen", json_object_get(mj, "last_seen"));
	json_object_set(o, "today", json_object_get(json_object_get(t, "text"), "worked"));
	json_object_set(o, "week", json_object_get(json_object_get(w, "text"), "worked"));
	json_object_set_new(o, "active_share", percent_text(json_object_get(t, "active_share")));
	json_object_set_new(o, "productive_share",
	    percent_text(json_object_get(t, "productive_share")));
	json_object_set(o, "first", json_object_get(t, "first"));
	json_object_set(o, "last", json_object_get(t, "last"));
	/* A figure without a comparison shows none. */
	static const char *const vs[] = { "today_worked", "week_worked", "active_share",
	    "productive_share", "first", "last" };
	for (size_t i = 0; i < sizeof(vs) / sizeof(vs[0]); i++) {
		char key[40];

		snprintf(key, sizeof(key), "vs_%s", vs[i]);
		val = json_object_get(vt, vs[i]);
		json_object_set_new(o, key, val ? json_incref(val) : json_string(""));
	}
	return o;
}

struct refresh {
	char	 team[24];
	char	 tz[128];
};

/* After the answer: the members whose kept figures are out of date. */
static void
refresh(void *arg)
{
	struct refresh *rf = arg;
	PGresult *res = db_exec(ST_DASH_TEAM_REFRESH, 2, (const char *[]){ rf->team, rf->tz });

	if (res == NULL)
		log_error("team_refresh", "team %s: %s", rf->team, db_sqlstate());
	else
		PQclear(res);
}

void
dash_team_refresh_later(const struct team *t)
{
	struct refresh *rf = xcalloc(1, sizeof(*rf));

	snprintf(rf->team, sizeof(rf->team), "%s", t->id);
	snprintf(rf->tz, sizeof(rf->tz), "%s", t->tz);
	app_defer(refresh, rf, free);
}

struct wt_err *
dash_team_load(struct wt_req *r, struct team *t)
{
	char viewer[24];
	const char *params[3] = { viewer, wt_str(r, "id"), r->user->timezone };
	PGresult *res;

	memset(t, 0, sizeof(*t));
	snprintf(viewer, sizeof(viewer), "%lld", r->user->id);
	if ((res = db_exec(ST_DASH_TEAM, 3, params)) == NULL)
		return db_err();
	/* A team the caller may not open is answered as no team at all. */
	if (PQntuples(res) != 1 || strcmp(PQgetvalue(res, 0, C_T_MAY_SEE), "t") != 0) {
		PQclear(res);
		return wt_fail(404, "id", "there is no such team");
	}
	snprintf(t->id, sizeof(t->id), "%s", PQgetvalue(res, 0, C_T_ID));
	t->name = xstrdup(PQgetvalue(res, 0, C_T_NAME));
	snprintf(t->today, sizeof(t->today), "%s", PQgetvalue(res, 0, C_T_TODAY));
	t->tz = r->user->timezone;
	PQclear(res);
	return NULL;
}

void
dash_team_free(struct team *t)
{
	free(t->name);
	memset(t, 0, sizeof(*t));
}

struct wt_err *
dash_team_page(struct wt_req *r)
{
	struct team t;
	struct wt_err *e;
	struct member *m = NULL;
	struct medians md;
	PGresult *res = NULL, *lres;
	char monday[11], viewer[24];
	const char *params[3];
	json_t *out = NULL, *jm, *live, *counts, *med;
	int n = 0, online = 0, idle = 0, offline = 0, never = 0, stale = 0;
	const char *as_of = NULL;

	if ((e = dash_team_load(r, &t)) != NULL)
		return e;
	rp_date_add(t.today, -rp_weekday(t.today), monday);
	params[0] = t.id;
	params[1] = t.tz;
	params[2] = DASH_TEAM_SYNC_ROWS;
	if ((res = db_exec(ST_DASH_TEAM_MEMBERS, 3, params)) == NULL) {
		e = db_err();
		goto done;
	}
	/* Each member's figures were seen: audited as a look at their day. */
	snprintf(viewer, sizeof(viewer), "%lld", r->user->id);
	if ((lres = db_exec(ST_DASH_TEAM_LOOK, 5, (const char *[]){ viewer, t.id, "team", t.today,
	    r->remote_addr ? r->remote_addr : "" })) == NULL) {
		e = db_err();
		goto done;
	}
	PQclear(lres);

	n = PQntuples(res);
	m = xcalloc((size_t)n + 1, sizeof(*m));
	for (int i = 0; i < n; i++) {
		struct member *x = &m[i];

		x->id = PQgetvalue(res, i, C_TM_ID);
		x->name = PQgetvalue(res, i, C_TM_NAME);
		x->tz = PQgetvalue(res, i, C_TM_TZ);
		x->role = PQgetvalue(res, i, C_TM_ROLE);
		x->state = PQgetvalue(res, i, C_TM_STATE);
		x->seen = PQgetvalue(res, i, C_TM_SEEN);
		x->local_now = PQgetvalue(res, i, C_TM_LOCAL_NOW);
		x->t_tracked = num(res, i, C_TM_T_TRACKED);
		x->t_active = num(res, i, C_TM_T_ACTIVE);
		x->t_prod = num(res, i, C_TM_T_PRODUCTIVE);
		x->t_worked = num(res, i, C_TM_T_WORKED);
		snprintf(x->first, sizeof(x->first), "%.5s", PQgetvalue(res, i, C_TM_T_FIRST));
		snprintf(x->last, sizeof(x->last), "%.5s", PQgetvalue(res, i, C_TM_T_LAST));
		x->first_min = hhmm_min(x->first);
		x->last_min = x->first_min >= 0 ? hhmm_min(x->last) : -1;
		if (x->last_min < 0)
			x->first_min = -1;
		x->w_tracked = num(res, i, C_TM_W_TRACKED);
		x->w_active = num(res, i, C_TM_W_ACTIVE);
		x->w_prod = num(res, i, C_TM_W_PRODUCTIVE);
		x->w_worked = num(res, i, C_TM_W_WORKED);
		x->w_days = num(res, i, C_TM_W_DAYS);
		if (strcmp(PQgetvalue(res, i, C_TM_EXACT), "t") != 0) {
			stale++;
			if (as_of == NULL || strcmp(PQgetvalue(res, i, C_TM_AS_OF), as_of) < 0)
				as_of = PQgetvalue(res, i, C_TM_AS_OF);
		}
		if (strcmp(x->state, "online") == 0)
			online++;
		else if (strcmp(x->state, "idle") == 0)
			idle++;
		else if (strcmp(x->state, "offline") == 0)
			offline++;
		else
			never++;
	}
	medians_of(m, n, &md);

	jm = json_array();
	live = json_object();
	for (int i = 0; i < n; i++) {
		json_t *o = member_json(&m[i], &md, t.today);

		json_object_set_new(live, m[i].id, live_json(o));
		json_array_append_new(jm, o);
	}
	counts = json_pack("{si si si si si}", "members", n, "online", online, "idle", idle,
	    "offline", offline, "never", never);
	med = json_pack("{sI sI so so so so si si si si s{so so}}",
	    "today_worked", (json_int_t)md.t_worked, "week_worked", (json_int_t)md.w_worked,
	    "active_share", md.n_tracked ? json_integer(md.a_share) : json_null(),
	    "productive_share", md.n_today ? json_integer(md.p_share) : json_null(),
	    "first", md.n_first ? hhmm(md.first) : json_null(),
	    "last", md.n_first ? hhmm(md.last) : json_null(),
	    "people_today", md.n_today, "people_week", md.n_week,
	    "people_tracked", md.n_tracked, "people_first", md.n_first,
	    "text", "today_worked", duration_json(md.t_worked),
	    "week_worked", duration_json(md.w_worked));
	/* Figures kept from before a change: the page says how old, and
	 * they are brought up to date once this answer has gone. */
	if (stale > 0)
		dash_team_refresh_later(&t);
	out = json_pack("{s{sI ss} ss ss s{ss ss} so so so so s{si ss*}}", "team", "id",
	    (json_int_t)atoll(t.id),
	    "name", t.name, "timezone", t.tz, "today", t.today, "week", "from", monday,
	    "to", t.today, "counts", counts, "median", med, "members", jm, "live", live,
	    "kept", "out_of_date", stale, "as_of", as_of);

	if (req_wants_json(r)) {
		e = wt_json(r, 200, out);
		out = NULL;
	} else {
		struct wt_view *v = req_view(r);

		view_set(v, "Page.Title", t.name);
		view_set(v, "Page.Nav", "team");
		view_set_json(v, "Team", out);
		e = wt_html(r, 200, "team.cs");
	}
done:
	json_decref(out);
	free(m);
	if (res != NULL)
		PQclear(res);
	dash_team_free(&t);
	return e;
}

/* /team: the teams the caller may open.  A page with one team is that
 * team's page. */
struct wt_err *
dash_team_list(struct wt_req *r)
{
	char viewer[24];
	const char *params[1] = { viewer };
	PGresult *res;
	json_t *teams;
	struct wt_err *e;

	snprintf(viewer, sizeof(viewer), "%lld", r->user->id);
	if ((res = db_exec(ST_DASH_TEAMS, 1, params)) == NULL)
		return db_err();
	if (!req_wants_json(r) && PQntuples(res) == 1) {
		char loc[48];

		snprintf(loc, sizeof(loc), "/team/%s", PQgetvalue(res, 0, C_TS_ID));
		PQclear(res);
		return wt_redirect(r, 303, loc);
	}
	teams = json_array();
	for (int i = 0; i < PQntuples(res); i++)
		json_array_append_new(teams, json_pack("{sI ss sI}",
		    "id", (json_int_t)num(res, i, C_TS_ID), "name", PQgetvalue(res, i, C_TS_NAME),
		    "members", (json_int_t)num(res, i, C_TS_MEMBERS)));
	PQclear(res);
	if (req_wants_json(r))
		return wt_json(r, 200, json_pack("{so}", "teams", teams));
	view_set(req_view(r), "Page.Title", "Teams");
	view_set(req_view(r), "Page.Nav", "team");
	view_set_json(req_view(r), "Teams", teams);
	json_decref(teams);
	e = wt_html(r, 200, "teams.cs");
	return e;
}
