/* The report pages' shared reading of whose report it is and of the
 * figures report_days() computes (see report.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dash.h"
#include "report.h"
#include "view.h"

static long long
num(PGresult *res, int row, int col)
{
	return atoll(PQgetvalue(res, row, col));
}

static void
copy_day(char out[11], const char *s)
{
	if (bsnprintf(out, 11, "%s", s) != 0)
		out[0] = '\0';
}

struct wt_err *
rp_person_load(struct wt_req *r, const char *user_param, struct rp_person *p)
{
	char viewer[24], target[24];
	const char *params[3];
	PGresult *res;

	memset(p, 0, sizeof(*p));
	snprintf(viewer, sizeof(viewer), "%lld", r->user->id);
	snprintf(target, sizeof(target), "%s", user_param != NULL ? user_param : viewer);
	params[0] = viewer;
	params[1] = target;
	params[2] = r->user->timezone;
	if ((res = db_exec(ST_DASH_PERSON, 3, params)) == NULL)
		return db_err();
	/* Someone the caller may not see is answered as nobody at all. */
	if (PQntuples(res) != 1 || strcmp(PQgetvalue(res, 0, C_P_MAY_SEE), "t") != 0) {
		PQclear(res);
		return wt_fail(404, "user", "there is no such person");
	}
	p->id = num(res, 0, C_P_ID);
	p->name = xstrdup(PQgetvalue(res, 0, C_P_NAME));
	p->email = xstrdup(PQgetvalue(res, 0, C_P_EMAIL));
	p->timezone = xstrdup(PQgetvalue(res, 0, C_P_TZ));
	p->view_tz = r->user->timezone;
	copy_day(p->today, PQgetvalue(res, 0, C_P_TODAY));
	copy_day(p->oldest, PQgetvalue(res, 0, C_P_OLDEST));
	p->gap_min = num(res, 0, C_P_GAP_MIN);
	p->retention_days = num(res, 0, C_P_RETENTION);
	p->devices = num(res, 0, C_P_DEVICES);
	p->last_seen = xstrdup(PQgetvalue(res, 0, C_P_LAST_SEEN));
	p->self = p->id == r->user->id;
	PQclear(res);
	return NULL;
}

void
rp_person_free(struct rp_person *p)
{
	free(p->name);
	free(p->email);
	free(p->timezone);
	free(p->last_seen);
	memset(p, 0, sizeof(*p));
}

struct wt_err *
rp_look(struct wt_req *r, const struct rp_person *p, const char *page, const char *what)
{
	char viewer[24], target[24];
	const char *params[5] = { viewer, target, page, what,
	    r->remote_addr ? r->remote_addr : "" };
	PGresult *res;

	if (p->self)
		return NULL;
	snprintf(viewer, sizeof(viewer), "%lld", r->user->id);
	snprintf(target, sizeof(target), "%lld", p->id);
	if ((res = db_exec(ST_DASH_LOOK, 5, params)) == NULL)
		return db_err();
	PQclear(res);
	return NULL;
}

void
rp_days_read(PGresult *res, int base, struct rp_day **out, int *n)
{
	struct rp_day *d = xcalloc((size_t)PQntuples(res) + 1, sizeof(*d));

	for (int i = 0; i < PQntuples(res); i++) {
		copy_day(d[i].day, PQgetvalue(res, i, base + C_D_DAY));
		d[i].lo_ms = num(res, i, base + C_D_LO);
		d[i].hi_ms = num(res, i, base + C_D_HI);
		d[i].tracked = num(res, i, base + C_D_TRACKED);
		d[i].active = num(res, i, base + C_D_ACTIVE);
		d[i].away = num(res, i, base + C_D_AWAY);
		d[i].productive = num(res, i, base + C_D_PRODUCTIVE);
		d[i].neutral = num(res, i, base + C_D_NEUTRAL);
		d[i].distracting = num(res, i, base + C_D_DISTRACTING);
		d[i].none = num(res, i, base + C_D_NONE);
		d[i].worked = num(res, i, base + C_D_WORKED);
		d[i].breaks = num(res, i, base + C_D_BREAKS);
		d[i].break_ms = num(res, i, base + C_D_BREAK_MS);
		snprintf(d[i].first, sizeof(d[i].first), "%.5s",
		    PQgetvalue(res, i, base + C_D_FIRST));
		snprintf(d[i].last, sizeof(d[i].last), "%.5s", PQgetvalue(res, i, base + C_D_LAST));
		d[i].categories = json_loads(PQgetvalue(res, i, base + C_D_CATEGORIES), 0, NULL);
		if (d[i].categories == NULL)
			d[i].categories = json_object();
	}
	*n = PQntuples(res);
	*out = d;
}

struct wt_err *
rp_days(const struct rp_person *p, const char *from, const char *to, struct rp_day **out,
    int *n)
{
	char id[24];
	const char *params[4] = { id, from, to, p->view_tz };
	PGresult *res;

	snprintf(id, sizeof(id), "%lld", p->id);
	*out = NULL;
	*n = 0;
	if ((res = db_exec(ST_DASH_DAYS, 4, params)) == NULL)
		return db_err();
	rp_days_read(res, 0, out, n);
	PQclear(res);
	return NULL;
}

void
rp_days_free(struct rp_day *d, int n)
{
	for (int i = 0; i < n; i++)
		json_decref(d[i].categories);
	free(d);
}

void
rp_duration(long long ms, char *out, size_t n)
{
	long long s = (ms + 500) / 1000, min = (ms + 30000) / 60000;

	if (ms <= 0)
		snprintf(out, n, "0 min");
	else if (s < 60)
		snprintf(out, n, "%lld s", s);
	else if (min < 60)
		snprintf(out, n, "%lld min", min);
	else
		snprintf(out, n, "%lld h %02lld min", min / 60, min % 60);
}

int
rp_percent(long long part, long long whole)
{
	if (whole <= 0)
		return 0;
	return (int)((part * 100 + whole / 2) / whole);
}

json_t *
rp_day_json(const struct rp_day *d)
{
	json_t *o = json_object(), *text = json_object();
	static const char *const keys[] = { "tracked", "active", "away", "productive",
	    "neutral", "distracting", "uncategorised", "worked", "breaks" };
	long long vals[] = { d->tracked, d->active, d->away, d->productive, d->neutral,
	    d->distracting, d->none, d->worked, d->break_ms };
	char words[32];

	json_object_set_new(o, "date", json_string(d->day));
	json_object_set_new(o, "hours", json_integer((d->hi_ms - d->lo_ms) / 3600000));
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		json_object_set_new(o, i == 8 ? "break_ms" : keys[i], json_integer(vals[i]));
		rp_duration(vals[i], words, sizeof(words));
		json_object_set_new(text, keys[i], json_string(words));
	}
	json_object_set_new(o, "break_count", json_integer(d->breaks));
	json_object_set_new(o, "first", d->first[0] ? json_string(d->first) : json_null());
	json_object_set_new(o, "last", d->last[0] ? json_string(d->last) : json_null());
	json_object_set_new(o, "active_share", json_integer(rp_percent(d->active, d->tracked)));
	json_object_set_new(o, "productive_share",
	    json_integer(rp_percent(d->productive, d->active)));
	json_object_set_new(o, "text", text);
	return o;
}

void
rp_day_view(struct wt_view *v, const char *base, const struct rp_day *d)
{
	json_t *o = rp_day_json(d), *text = json_object_get(o, "text"), *val;
	const char *k;

	json_object_foreach(text, k, val)
		view_setf(v, json_string_value(val), "%s.%s", base, k);
	view_setf(v, d->day, "%s.date", base);
	view_setf(v, d->first, "%s.first", base);
	view_setf(v, d->last, "%s.last", base);
	json_object_foreach(o, k, val)
		if (json_is_integer(val)) {
			char s[32];

			snprintf(s, sizeof(s), "%lld", (long long)json_integer_value(val));
			view_setf(v, s, "%s.n.%s", base, k);
		}
	json_decref(o);
}

struct wt_err *
rp_categories(json_t **out)
{
	PGresult *res = db_exec(ST_DASH_CATEGORIES, 0, NULL);
	json_t *o;

	*out = NULL;
	if (res == NULL)
		return db_err();
	o = json_object();
	for (int i = 0; i < PQntuples(res); i++)
		json_object_set_new(o, PQgetvalue(res, i, C_C_ID), json_pack("{ss ss ss}",
		    "name", PQgetvalue(res, i, C_C_NAME),
		    "colour", PQgetvalue(res, i, C_C_COLOUR),
		    "productivity", PQgetvalue(res, i, C_C_PRODUCTIVITY)));
	PQclear(res);
	*out = o;
	return NULL;
}

/* Days since 1970-01-01 of a civil date, and back (Howard Hinnant's
 * algorithms): calendar arithmetic without the process's time zone. */
static long
days_from_civil(long y, unsigned m, unsigned d)
{
	long era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long)doe - 719468;
}

void
rp_civil_from_days(long z, int *y, int *m, int *d)
{
	long era, yy;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	yy = (long)yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yy + (*m <= 2));
}

static long
parse_day(const char *day)
{
	int y = 1970, m = 1, d = 1;

	if (sscanf(day, "%4d-%2d-%2d", &y, &m, &d) != 3)
		return 0;
	return days_from_civil(y, (unsigned)m, (unsigned)d);
}

void
rp_date_add(const char *day, int days, char out[11])
{
	int y, m, d;

	rp_civil_from_days(parse_day(day) + days, &y, &m, &d);
	if (bsnprintf(out, 11, "%04d-%02d-%02d", y, m, d) != 0)
		out[0] = '\0';
}

int
rp_weekday(const char *day)
{
	/* 1970-01-01 was a Thursday (3, counting Monday as 0). */
	long z = parse_day(day);

	return (int)(((z % 7) + 7 + 3) % 7);
}

void
rp_person_view(struct wt_view *v, const struct rp_person *p)
{
	view_set_int(v, "Person.Id", p->id);
	view_set(v, "Person.Name", p->name);
	view_set(v, "Person.Timezone", p->timezone);
	view_set(v, "Person.ViewTz", p->view_tz);
	view_set_int(v, "Person.Self", p->self);
	view_set(v, "Person.Today", p->today);
}

const char *
rp_user_query(const struct rp_person *p, char *buf, size_t n)
{
	if (p->self || bsnprintf(buf, n, "?user=%lld", p->id) != 0)
		return "";
	return buf;
}
