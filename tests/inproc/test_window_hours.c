/* The categories pages' time per window, kept by the hour (sql/024):
 * window_active_ms() answers every range exactly as the plain sum over
 * activity does, whatever the edges (mid-hour instants, local midnights
 * at :30 offsets, a DST day), with spans crossing midnight UTC, AFK and
 * zero-length spans, and after a catch-up insert, a delete, updates, a
 * rule change and a dropped partition; the builder page shows those sums
 * in the viewer's zone.  Whole UTC days are kept as days too (sql/026);
 * a change forgets markers only, readers skip the rows of what is not
 * kept (sql/029).
 * Spans that ingest stores as they happen (all
 * within the last hour) leave the kept hours alone.  The fixed data is in
 * March 1999, a month no other test uses, in its own partition.  Rules
 * apply to every window and the kept hours are everyone's, so it runs
 * alone. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "admin_flows.h"
#include "check.h"

static struct admin ADM;
static const char *dev, *wins;

/* This run's windows where the kept answer for [lo, hi) ("" hi: no end)
 * differs from the plain sum, as "id:kept/plain"; "" when none does. */
static const char *
diff(const char *lo, const char *hi)
{
	return ip_q("WITH k AS (SELECT window_id, ms FROM window_active_ms($1::timestamptz,"
	    "  NULLIF($2, '')::timestamptz) WHERE window_id = ANY ($3::int[])),"
	    " d AS (SELECT window_id, sum(duration_ms)::bigint AS ms FROM activity"
	    "  WHERE started_at >= $1::timestamptz"
	    "  AND (NULLIF($2, '') IS NULL OR started_at < NULLIF($2, '')::timestamptz)"
	    "  AND NOT afk AND window_id = ANY ($3::int[]) GROUP BY 1)"
	    " SELECT coalesce(string_agg(coalesce(k.window_id, d.window_id) || ':'"
	    "  || coalesce(k.ms::text, '-') || '/' || coalesce(d.ms::text, '-'), ' '), '')"
	    " FROM k FULL JOIN d ON d.window_id = k.window_id WHERE k.ms IS DISTINCT FROM d.ms",
	    lo, hi, wins, NULL);
}

/* The kept answer for [lo, hi) over this run's windows: "windows ms". */
static const char *
kept(const char *lo, const char *hi)
{
	return ip_q("SELECT count(*) || ' ' || coalesce(sum(ms), 0) FROM window_active_ms("
	    "$1::timestamptz, NULLIF($2, '')::timestamptz) WHERE window_id = ANY ($3::int[])",
	    lo, hi, wins, NULL);
}

static const char *
is_kept(const char *hour)
{
	return ip_q("SELECT count(*)::text FROM window_hours_kept WHERE hour = $1::timestamptz",
	    hour, NULL);
}

static const char *
day_kept(const char *day)
{
	return ip_q("SELECT count(*)::text FROM window_days_kept WHERE day = $1::date", day, NULL);
}

static void
span(const char *at, const char *ms, const char *win, const char *afk)
{
	ip_exec("INSERT INTO activity (started_at, device_id, duration_ms, window_id, afk)"
	    " VALUES ($1::timestamptz, $2::int, $3::int, $4::int, $5::boolean)", at, dev, ms, win,
	    afk, NULL);
}

/* The builder's uncategorised time for one local day, in the admin's zone. */
static const char *
builder_day(const char *tz, const char *day)
{
	struct ip_resp *a;

	ip_exec("UPDATE users SET timezone = $2 WHERE id = $1::bigint", ADM.id, tz, NULL);
	a = IP(ADMIN, .path = ip_strf("/admin/categories/builder?from=%s&to=%s", day, day),
	    .bearer = ADM.token, .accept = "application/json");
	return a->status == 200 ? ip_jstr(a, "uncategorised_ms") : ip_strf("status %d", a->status);
}

/* The ranges every check compares. */
static const char *const RANGES[][2] = {
	{ "1999-03-28 00:00+01", "1999-03-29 00:00+02" },	/* Berlin's day, 23 h */
	{ "1999-03-28 00:00+05:30", "1999-03-29 00:00+05:30" },	/* Kolkata */
	{ "1999-03-28 00:00-03:30", "1999-03-29 00:00-03:30" },	/* St John's */
	{ "1999-03-27 00:00Z", "1999-03-29 00:00Z" },		/* whole UTC days */
	{ "1999-03-27 23:55Z", "1999-03-28 00:41Z" },		/* inside no whole hour */
	{ "1999-03-27 23:30:00.5Z", "1999-03-28 05:59:59.999Z" },
	{ "1999-03-28 00:10Z", "1999-03-28 00:10Z" },		/* empty */
	{ "1999-03-27 23:50Z", "1999-03-31 00:00Z" },
};

static void
all_equal(const char *when)
{
	size_t i;
	int bad = 0;

	for (i = 0; i < sizeof(RANGES) / sizeof(RANGES[0]); i++) {
		const char *d = diff(RANGES[i][0], RANGES[i][1]);

		if (d == NULL || *d != '\0') {
			diag("[%s, %s): %s", RANGES[i][0], RANGES[i][1], d ? d : "(error)");
			bad++;
		}
	}
	ok(bad == 0, "%s: kept sums = plain sums over all %zu ranges", when,
	    sizeof(RANGES) / sizeof(RANGES[0]));
}

int
main(void)
{
	const char *tag, *uid, *w1, *w2, *w3, *rule, *lo, *n_kept, *n_rows, *settled;

	if (ip_init("window_hours") != 0)
		return 0;
	ip_lock_global();
	tag = ip_tag();
	make_admin(&ADM);
	uid = ADM.id;
	dev = make_device(uid, ip_strf("wh-%s", tag), "now()", NULL);
	ok(dev != NULL, "a device");
	w1 = ip_q("SELECT (windows_intern(ARRAY[$1], ARRAY[$2], ARRAY['']))[1]",
	    ip_strf("wh-%s", tag), ip_strf("Café é 漢字 😀 %s", tag), NULL);
	w2 = ip_q("SELECT (windows_intern(ARRAY[$1], ARRAY[$2], ARRAY['']))[1]",
	    ip_strf("wh-%s", tag), ip_strf("\xe2\x84\xaa elvin %s", tag), NULL);
	w3 = ip_q("SELECT (windows_intern(ARRAY[$1], ARRAY[$2], ARRAY['']))[1]",
	    ip_strf("wh-other-%s", tag), ip_strf("Notes %s", tag), NULL);
	wins = ip_strf("{%s,%s,%s}", w1, w2, w3);
	ok(w1 && w2 && w3, "three windows no rule names");

	/* March 1999 in a partition of its own (dropped at the end). */
	is_str(ip_q("SELECT coalesce(activity_create_partition('1999-03-01'), 'there')", NULL),
	    "activity_1999_03", "a partition for March 1999");
	/* Berlin's 28 March 1999 (DST began at 01:00 UTC) is [27th 23:00Z,
	 * 28th 22:00Z); Kolkata's [27th 18:30Z, 28th 18:30Z). */
	span("1999-03-27 18:20Z", "900000", w2, "false");	/* before Kolkata's day */
	span("1999-03-27 18:40Z", "1500000", w2, "false");
	span("1999-03-27 23:50Z", "1200000", w1, "false");	/* crosses midnight UTC */
	span("1999-03-28 00:10Z", "300000", w2, "false");
	span("1999-03-28 00:20Z", "600000", w1, "true");	/* away: not active */
	span("1999-03-28 00:40Z", "0", w3, "false");		/* counts, 0 ms */
	span("1999-03-28 03:29Z", "180000", w3, "false");	/* St John's midnight */
	span("1999-03-28 03:30Z", "240000", w3, "false");
	span("1999-03-28 21:59:59.999Z", "60000", w3, "false");	/* Berlin's last ms */
	span("1999-03-28 22:00Z", "420000", w1, "false");	/* Berlin's next day */

	is_str(kept("1999-03-28 00:00+01", "1999-03-29 00:00+02"), "3 1980000",
	    "Berlin's DST day: 3 windows, 33 min (the span across midnight UTC whole, "
	    "not the away one, the 0 ms window counted)");
	is_str(is_kept("1999-03-28 05:00Z"), "1", "... its hours are kept now");
	is_str(ip_q("SELECT count(*)::text FROM window_hours WHERE window_id = ANY ($1::int[])"
	    " AND hour = '1999-03-27 23:00Z'", wins, NULL), "1",
	    "... one row for the hour the crossing span starts in");
	is_str(kept("1999-03-28 00:00+05:30", "1999-03-29 00:00+05:30"), "3 3420000",
	    "Kolkata's day (+05:30): from half past the hour, 57 min");
	all_equal("the fixed data");
	is_str(ip_strf("%s %s", day_kept("1999-03-27"), day_kept("1999-03-28")), "1 1",
	    "the whole UTC days of a range read are kept as days too");
	is_str(ip_q("SELECT count(*)::text FROM (SELECT window_id, sum(ms) FROM window_hours"
	    " WHERE hour >= '1999-03-28Z' AND hour < '1999-03-29Z' GROUP BY 1"
	    " EXCEPT SELECT window_id, ms FROM window_days WHERE day = '1999-03-28') x", NULL), "0",
	    "... each the sum of its hours");
	all_equal("read again from the kept hours");

	/* The builder page, in the viewer's zone. */
	is_str(builder_day("Europe/Berlin", "1999-03-28"), "1980000",
	    "the builder, viewer in Berlin: 33 min on 28 March 1999");
	is_str(builder_day("Asia/Kolkata", "1999-03-28"), "3420000",
	    "... in Kolkata: 57 min");
	is_str(builder_day("America/St_Johns", "1999-03-28"), "720000",
	    "... in St John's (-03:30): 12 min");

	/* A catch-up insert into a kept hour forgets it. */
	span("1999-03-28 05:10Z", "540000", w2, "false");
	is_str(is_kept("1999-03-28 05:00Z"), "0", "a catch-up insert forgets the hour it lands in");
	is_str(is_kept("1999-03-28 04:00Z"), "1", "... and no other");
	is_str(ip_strf("%s %s", day_kept("1999-03-27"), day_kept("1999-03-28")), "1 0",
	    "... and its UTC day, not the day before");
	is_str(ip_q("SELECT count(*)::text FROM window_days WHERE day = '1999-03-28'"
	    " AND window_id = ANY ($1::int[])", wins, NULL), "3",
	    "... forgetting their markers only: the day's old rows wait for the next keeping");
	ip_exec("BEGIN READ ONLY", NULL);
	is_str(diff("1999-03-27 00:00Z", "1999-03-29 00:00Z"), "",
	    "... and readers leave them out (read-only: nothing kept, the plain sum all the same)");
	ip_exec("COMMIT", NULL);
	is_str(builder_day("Europe/Berlin", "1999-03-28"), "2520000",
	    "... the builder counts it: 42 min");
	all_equal("after the catch-up insert");

	/* A delete. */
	ip_exec("DELETE FROM activity WHERE device_id = $1::int AND started_at = '1999-03-28 00:10Z'",
	    dev, NULL);
	is_str(is_kept("1999-03-28 00:00Z"), "0", "a delete forgets the hour of the span");
	is_str(builder_day("Europe/Berlin", "1999-03-28"), "2220000",
	    "... the builder no longer counts it: 37 min");
	all_equal("after the delete");

	/* Updates: a span shortened (as activity_delete_range does) and one
	 * moved to another hour forget the hours before and after. */
	ip_exec("UPDATE activity SET duration_ms = 600000 WHERE device_id = $1::int"
	    " AND started_at = '1999-03-28 03:30Z'", dev, NULL);
	is_str(is_kept("1999-03-28 03:00Z"), "0", "an update forgets the span's hour");
	all_equal("after a span grew");
	ip_exec("UPDATE activity SET started_at = '1999-03-28 07:15Z' WHERE device_id = $1::int"
	    " AND started_at = '1999-03-28 03:29Z'", dev, NULL);
	is_str(ip_strf("%s %s", is_kept("1999-03-28 03:00Z"), is_kept("1999-03-28 07:00Z")), "0 0",
	    "a span moved forgets its old hour and its new one");
	all_equal("after a span moved");
	ip_exec("SELECT activity_delete_range($1::bigint, '1999-03-27 23:55Z', '1999-03-28 00:30Z')",
	    uid, NULL);
	all_equal("after activity_delete_range cut the span across midnight");

	/* A rule change re-categorises windows; nothing kept is forgotten. */
	all_equal("before the rule");
	n_kept = ip_q("SELECT count(*)::text FROM window_hours_kept", NULL);
	n_rows = ip_q("SELECT count(*)::text FROM window_hours", NULL);
	rule = ip_q("INSERT INTO categories (name, title_re) VALUES ($1, $2) RETURNING id",
	    ip_strf("WH %s", tag), ip_strf("^Notes %s$", tag), NULL);
	is_str(ip_q("SELECT category_id::text FROM windows WHERE id = $1", w3, NULL), rule,
	    "a rule takes the third window");
	is_str(ip_strf("%s %s", ip_q("SELECT count(*)::text FROM window_hours_kept", NULL),
	    ip_q("SELECT count(*)::text FROM window_hours", NULL)), ip_strf("%s %s", n_kept, n_rows),
	    "... the kept hours stay as they were");
	is_str(builder_day("Europe/Berlin", "1999-03-28"), ip_q("SELECT sum(duration_ms)::text"
	    " FROM activity WHERE device_id = $1::int AND NOT afk AND window_id <> $2::int"
	    " AND started_at >= '1999-03-28 00:00+01' AND started_at < '1999-03-29 00:00+02'",
	    dev, w3, NULL), "... and the builder's uncategorised time leaves its time out");
	ip_exec("DELETE FROM categories WHERE id = $1::int", rule, NULL);

	/* Now: spans stored as they happen do not touch the kept hours. */
	lo = ip_q("SELECT (now() - interval '7 days')::text", NULL);
	ip_exec("INSERT INTO activity (started_at, device_id, duration_ms, window_id, afk) VALUES"
	    " (now() - interval '7 days' + interval '10 min', $1::int, 60000, $2::int, false),"
	    " (now() - interval '7 days' - interval '10 min', $1::int, 60000, $2::int, false),"
	    " (now() - interval '3 days', $1::int, 120000, $3::int, false),"
	    " (now() - interval '5 hours', $1::int, 180000, $2::int, false)", dev, w1, w2, NULL);
	is_str(diff(lo, ""), "", "the last 7 days from a mid-hour instant, kept and recent hours: "
	    "as the plain sum");
	n_kept = ip_q("SELECT count(*)::text FROM window_hours_kept", NULL);
	n_rows = ip_q("SELECT count(*)::text FROM window_hours", NULL);
	ip_exec("INSERT INTO activity (started_at, device_id, duration_ms, window_id, afk) VALUES"
	    " (now() - interval '50 min', $1::int, 240000, $2::int, false),"
	    " (now() - interval '20 min', $1::int, 300000, $3::int, false)", dev, w1, w3, NULL);
	is_str(ip_strf("%s %s", ip_q("SELECT count(*)::text FROM window_hours_kept", NULL),
	    ip_q("SELECT count(*)::text FROM window_hours", NULL)), ip_strf("%s %s", n_kept, n_rows),
	    "spans of the last hour stored: nothing kept is touched");
	is_str(kept(lo, ""), "3 900000", "... and counted: 3 windows, 15 min");
	is_str(diff(lo, ""), "", "... as the plain sum");
	is_str(ip_q("SELECT count(*)::text FROM window_hours_kept WHERE hour > now() - interval"
	    " '3 hours'", NULL), "0", "no hour that ended less than 2 hours ago is kept");
	settled = ip_q("SELECT window_days_settle()::text", NULL);
	ok(settled != NULL && atoi(settled) >= 0, "window_days_settle() (the nightly job's) "
	    "keeps the hours of the last 8 days that were missing (%s)", settled ? settled : "error");
	is_str(ip_q("SELECT window_days_settle()::text", NULL), "0", "... and then none");

	/* Retention drops the month: its kept hours go with it. */
	is_str(ip_q("SELECT string_agg(x, ',') FROM activity_drop_partitions('1999-04-01Z') x",
	    NULL), "activity_1999_03", "March 1999's partition dropped");
	is_str(ip_q("SELECT (SELECT count(*) FROM window_hours_kept WHERE hour < '1999-04-01Z')"
	    " + (SELECT count(*) FROM window_hours WHERE hour < '1999-04-01Z')", NULL), "0",
	    "... and its kept hours");
	all_equal("after the drop");
	ip_exec("DELETE FROM activity WHERE device_id = $1::int", dev, NULL);
	return ip_done();
}
