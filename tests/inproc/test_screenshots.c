/* Screenshots in process, from upload to page to deletion: the policy
 * (off: 403; blur asked: an unblurred one 403), fake images (wrong
 * magic, truncated, huge dimensions, a PNG bomb), idempotent uploads and
 * the content-addressed store (the same image is one file), thumbnails,
 * the window in front, days in the viewer's zone (DST days in New York
 * and Berlin), the image URL as nginx's X-Accel-Redirect, the audit of
 * looks and "who looked at my screenshots", deleting one's own, a
 * person's and a device's files going with them, retention, and the
 * notice on every page.  Who may see whose is walked in test_access.
 * It changes the organisation's settings: it runs alone. */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"
#include "crypto.h"
#include "dash.h"
#include "ingest.h"
#include "shotstore.h"
#include "admin_flows.h"
#include "check.h"
#include "imgmake.h"

extern const struct wt_app dash_app;
#define DASH	(&dash_app)
static const struct wt_app *ingest = &ingest_app;

#define PW	"Granite-Meadow-Falcon-71"

static const char *tag;
static const char *MEM, *MEM_TOKEN, *MGR, *MGR_TOKEN, *DEV_ID, *DEV_TOKEN;
static unsigned char *JPG, *JPG2, *THUMB;
static size_t JPG_N, JPG2_N, THUMB_N;

/* --- helpers --------------------------------------------------------------- */

static const char *
sha256_of_bytes(const unsigned char *p, size_t n)
{
	char hex[65];

	sha256_hex(p, n, hex);
	return ip_strf("%s", hex);
}

static const char *
new_device(const char *uid, const char *name, const char **id)
{
	char token[65], hash[65];

	if (random_token_hex(32, token) != 0)
		return NULL;
	sha256_hex(token, 64, hash);
	*id = ip_q("INSERT INTO devices (user_id, name, token_hash) VALUES ($1, $2, $3)"
	    " RETURNING id", uid, name, hash, NULL);
	return ip_strf("%s", token);
}

/* An RFC 3339 UTC time secs from now. */
static const char *
ago(long long secs)
{
	time_t t = time(NULL) - secs;
	struct tm tm;
	char buf[32];

	gmtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return ip_strf("%s", buf);
}

static struct ip_resp *
upload_ct(const char *token, const char *seq, const char *taken, const char *blurred,
    const char *ct, const unsigned char *data, size_t len)
{
	return IP(ingest, .method = "POST", .bearer = token, .content_type = ct,
	    .path = ip_strf("/api/v1/screenshots?seq=%s&taken_at=%s&blurred=%s", seq,
	    ip_urlenc(taken), blurred), .body = (const char *)data, .body_len = len);
}

static struct ip_resp *
upload(const char *seq, const char *taken, const unsigned char *data, size_t len)
{
	return upload_ct(DEV_TOKEN, seq, taken, "true", "image/jpeg", data, len);
}

static struct ip_resp *
thumb(const char *token, const char *seq, const unsigned char *data, size_t len,
    const char *ct)
{
	return IP(ingest, .method = "POST", .bearer = token, .content_type = ct,
	    .path = ip_strf("/api/v1/screenshots/%s/thumbnail", seq),
	    .body = (const char *)data, .body_len = len);
}

static struct ip_resp *
dash_get(const char *token, const char *path)
{
	return IP(DASH, .path = path, .bearer = token, .accept = "application/json");
}

static void
policy(const char *mode, const char *blur, const char *visibility)
{
	ip_exec("UPDATE settings SET screenshot_mode = $1, screenshot_blur = $2,"
	    " screenshot_visibility = $3", mode, blur, visibility, NULL);
}

/* Files under dir, recursively. */
static long long
count_files(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	long long n = 0;

	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		const char *p;
		struct stat st;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		p = ip_strf("%s/%s", dir, e->d_name);
		if (lstat(p, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode))
			n += count_files(p);
		else if (S_ISREG(st.st_mode))
			n++;
	}
	closedir(d);
	return n;
}

/* Files in the tests' store. */
static long long
store_files(void)
{
	return count_files(wt_cfg.screenshots_dir);
}

static int
stored(const char *sha, const char *ext)
{
	char *p = shots_path(sha, ext);
	struct stat st;
	int rc = stat(p, &st) == 0 && S_ISREG(st.st_mode);

	free(p);
	return rc;
}

static const char *
rows_of(const char *seq)
{
	return ip_q("SELECT count(*) FROM screenshots WHERE device_id = $1 AND seq = $2", DEV_ID,
	    seq, NULL);
}

/* --- the cases ------------------------------------------------------------- */

static void
policy_off(void)
{
	struct ip_resp *a;
	long long before = store_files();

	policy("off", "true", "managers");
	a = upload("1", ago(60), JPG, JPG_N);
	is_error(a, 403, "", "policy off: an upload is refused with 403");
	like(ip_jstr(a, "message"), "takes no screenshots", "... saying why");
	is_str(rows_of("1"), "0", "... nothing recorded");
	is_int(store_files(), before, "... nothing written to the store");

	policy("interval", "true", "managers");
	a = upload_ct(DEV_TOKEN, "1", ago(60), "false", "image/jpeg", JPG, JPG_N);
	is_error(a, 403, "blurred", "policy asks for blur: an unblurred upload is refused (403)");
	is_str(rows_of("1"), "0", "... nothing recorded");
	is_int(store_files(), before, "... nothing written");
}

static void
stored_once(void)
{
	struct ip_resp *a, *b;
	const char *sha, *body;
	char *path;
	struct stat st;

	a = upload("1", ago(120), JPG, JPG_N);
	is_status(a, 201, "a blurred JPEG is stored: 201");
	sha = ip_jstr(a, "image.sha256");
	is_str(sha, sha256_of_bytes(JPG, JPG_N), "... named by its SHA-256");
	is_str(ip_jstr(a, "image.width"), "640", "... 640");
	is_str(ip_jstr(a, "image.height"), "360", "... x 360");
	is_str(ip_jstr(a, "image.mime"), "image/jpeg", "... image/jpeg");
	is_str(ip_jstr(a, "blurred"), "true", "... blurred");
	is_str(ip_jstr(a, "thumbnail"), "null", "... no thumbnail yet");
	ok(stored(sha, "jpg"), "the file is in the store");
	path = shots_path(sha, "jpg");
	ok(stat(path, &st) == 0 && (st.st_mode & 0777) == 0640 && st.st_size == (off_t)JPG_N,
	    "... readable by the service user and group only, whole (mode %o, %lld bytes)",
	    (unsigned)(st.st_mode & 0777), (long long)st.st_size);
	free(path);
	body = json_sans_id(a);

	b = upload("1", ago(120), JPG, JPG_N);
	is_status(b, 200, "the same upload again: 200");
	is_str(json_sans_id(b), body, "... the same answer");
	is_str(rows_of("1"), "1", "... one row");

	{
		/* An image no run has sent before. */
		size_t n;
		unsigned char *other = png_make(48, 27, 2, (int)(getpid() & 0xffffff), &n);

		b = upload_ct(DEV_TOKEN, "1", ago(120), "true", "image/png", other, n);
		is_error(b, 409, "seq", "the same seq with another image: 409");
		is_str(ip_q("SELECT image_sha256 FROM screenshots WHERE device_id = $1 AND seq = 1",
		    DEV_ID, NULL), sha, "... the stored one is unchanged");
		ok(!stored(sha256_of_bytes(other, n), "png"), "... and the other never written");
		free(other);
	}

	b = upload("2", ago(100), JPG, JPG_N);
	is_status(b, 201, "the same image as another screenshot: 201");
	is_str(ip_q("SELECT count(*) FROM screenshots WHERE image_sha256 = $1", sha, NULL), "2",
	    "... two screenshots");
	is_str(ip_q("SELECT count(*) FROM screenshot_files WHERE sha256 = $1", sha, NULL), "1",
	    "... one file row");
	ok(stored(sha, "jpg"), "... one file");
}

static void
fakes(void)
{
	static const unsigned char text[] = "this is not an image at all";
	long long before = store_files();
	const char *rows = ip_q("SELECT count(*) FROM screenshots WHERE device_id = $1", DEV_ID, NULL);
	unsigned char *p, *big;
	size_t n;
	struct ip_resp *a;

	a = upload("10", ago(60), text, sizeof(text) - 1);
	is_status(a, 400, "text sent as image/jpeg: 400");
	like(ip_jstr(a, "message"), "not a JPEG", "... not a JPEG");
	p = png_make(32, 32, 6, 1, &n);
	a = upload("10", ago(60), p, n);
	is_status(a, 400, "a PNG sent as image/jpeg (wrong magic): 400");
	a = upload_ct(DEV_TOKEN, "10", ago(60), "true", "image/png", p, n - 20);
	is_status(a, 400, "a truncated PNG: 400");
	like(ip_jstr(a, "message"), "truncated", "... truncated");
	a = upload("10", ago(60), JPG, JPG_N - 100);
	is_status(a, 400, "a truncated JPEG: 400");
	free(p);

	/* 20000 x 20000 claimed by a 4 KB file: refused before any decoding. */
	p = png_make_raw(20000, 20000, 6, 1u << 20, -1, &n);
	a = upload_ct(DEV_TOKEN, "10", ago(60), "true", "image/png", p, n);
	is_status(a, 400, "a PNG bomb (20000 x 20000 in a few KB): 400");
	like(ip_jstr(a, "message"), "pixels", "... over the pixel limit");
	free(p);
	p = png_make_raw(64, 64, 6, 32u << 20, -1, &n);
	a = upload_ct(DEV_TOKEN, "10", ago(60), "true", "image/png", p, n);
	is_status(a, 400, "a 64 x 64 PNG inflating to 32 MiB: 400");
	free(p);
	a = upload_ct(DEV_TOKEN, "10", ago(60), "true", "image/gif", JPG, JPG_N);
	is_status(a, 415, "image/gif: 415");
	a = upload_ct(DEV_TOKEN, "10", ago(-3600), "true", "image/jpeg", JPG, JPG_N);
	is_error(a, 400, "taken_at", "taken an hour from now: 400 naming taken_at");
	a = upload_ct(DEV_TOKEN, "10", "yesterday", "true", "image/jpeg", JPG, JPG_N);
	is_error(a, 400, "taken_at", "taken_at that is no time: 400");
	a = upload_ct(DEV_TOKEN, "10", ago(400 * 86400LL), "true", "image/jpeg", JPG, JPG_N);
	is_error(a, 400, "taken_at", "taken before the retention period: 400");
	a = IP(ingest, .method = "POST", .bearer = DEV_TOKEN, .content_type = "image/jpeg",
	    .path = ip_strf("/api/v1/screenshots?taken_at=%s&blurred=true", ip_urlenc(ago(5))),
	    .body = (const char *)JPG, .body_len = JPG_N);
	is_error(a, 400, "seq", "no seq: 400 naming seq");
	a = upload_ct(DEV_TOKEN, "10", ago(60), "perhaps", "image/jpeg", JPG, JPG_N);
	is_error(a, 400, "blurred", "blurred=perhaps: 400");
	a = upload_ct("", "10", ago(60), "true", "image/jpeg", JPG, JPG_N);
	is_status(a, 401, "no device token: 401");

	/* The cap is screenshots.max_bytes, not http.max_body. */
	big = calloc(1, (size_t)wt_cfg.http_max_body + 4096);
	memcpy(big, JPG, JPG_N);
	a = upload("10", ago(60), big, (size_t)wt_cfg.http_max_body + 4096);
	is_status(a, 400, "a body over http.max_body but under screenshots.max_bytes is read "
	    "(and refused for what it is: 400)");
	free(big);
	config_set("screenshots.max_bytes", "4096");
	{
		char *err = NULL;

		ok(config_apply(&err) == 0, "screenshots.max_bytes = 4096");
		free(err);
	}
	a = upload("10", ago(60), JPG, JPG_N);
	is_status(a, 413, "a body over screenshots.max_bytes: 413");
	config_set("screenshots.max_bytes", "8388608");
	{
		char *err = NULL;

		config_apply(&err);
		free(err);
	}
	is_str(ip_q("SELECT count(*) FROM screenshots WHERE device_id = $1", DEV_ID, NULL), rows,
	    "no fake was recorded");
	is_int(store_files(), before, "no fake reached the store");
}

static void
thumbnails(void)
{
	struct ip_resp *a;
	unsigned char *wide;
	size_t n;

	a = thumb(DEV_TOKEN, "1", THUMB, THUMB_N, "image/jpeg");
	is_status(a, 201, "the thumbnail of screenshot 1: 201");
	is_str(ip_jstr(a, "thumbnail.width"), "320", "... 320 wide");
	ok(stored(ip_jstr(a, "thumbnail.sha256"), "jpg"), "... in the store");
	is_status(thumb(DEV_TOKEN, "1", THUMB, THUMB_N, "image/jpeg"), 200, "... again: 200");
	wide = png_make(330, 100, 2, 4, &n);
	is_status(thumb(DEV_TOKEN, "2", wide, n, "image/png"), 400,
	    "a 330 px wide thumbnail: 400");
	is_error(thumb(DEV_TOKEN, "1", JPG2, JPG2_N, "image/jpeg"), 400, "",
	    "a 640 px wide one: 400");
	free(wide);
	wide = png_make(300, 100, 2, 4, &n);
	is_error(thumb(DEV_TOKEN, "1", wide, n, "image/png"), 409, "seq",
	    "another thumbnail for screenshot 1: 409");
	is_error(thumb(DEV_TOKEN, "999", wide, n, "image/png"), 404, "seq",
	    "a thumbnail for a screenshot never sent: 404");
	free(wide);
}

/* A span of activity covering the moment, then a screenshot in it. */
static void
window(void)
{
	const char *start = ago(600);
	struct ip_resp *a;
	const char *cat;

	cat = ip_q("INSERT INTO categories (name, app_re, productivity) VALUES ($1, $2,"
	    " 'productive') RETURNING id", ip_strf("Shots %s", tag), ip_strf("^editor-%s$", tag),
	    NULL);
	a = IP(ingest, .method = "POST", .path = "/api/v1/activity", .bearer = DEV_TOKEN,
	    .json = ip_json("{sI s[{ss sI ss ss}]}", "batch", (json_int_t)1, "spans",
	    "start", start, "duration_ms", (json_int_t)300000, "app", ip_strf("editor-%s", tag),
	    "title", "Ünïcode 漢字 <b>report</b> 🎉 \xe2\x84\xaa"));
	is_status(a, 200, "activity covering the next screenshot");
	a = upload("3", ago(450), JPG2, JPG2_N);
	is_status(a, 201, "a screenshot inside that span");
	ok(strcmp(ip_jstr(a, "window_id"), "null") != 0, "... knows its window (%s)",
	    ip_jstr(a, "window_id"));
	a = dash_get(MEM_TOKEN, "/screenshots");
	is_status(a, 200, "the person's own screenshots (JSON)");
	{
		json_t *list = ip_jget(a, "screenshots"), *s;
		size_t i;
		const char *found = NULL, *catname = NULL;

		json_array_foreach(list, i, s)
			if (ip_jval(s, "app") != NULL && strcmp(ip_jval(s, "app"),
			    ip_strf("editor-%s", tag)) == 0) {
				found = ip_jval(s, "title");
				catname = ip_jval(s, "category");
			}
		is_str(found, "Ünïcode 漢字 <b>report</b> 🎉 \xe2\x84\xaa", "... with the window's title");
		is_str(catname, ip_strf("Shots %s", tag), "... and its category");
	}
	a = IP(DASH, .path = "/screenshots", .bearer = MEM_TOKEN);
	is_status(a, 200, "the page");
	like(a->body, "&lt;b&gt;report&lt;/b&gt;", "... the title escaped");
	unlike(a->body, "<b>report</b>", "... never raw");
	like(a->body, "<img src=\"/screenshots/[0-9]+/thumb\"", "... thumbnails from dash's URLs");
	like(a->body, "href=\"/screenshots/[0-9]+/image\"", "... each opening the full image");
	like(a->body, "Who looked at my screenshots", "... and who looked at them");
	unlike(a->body, "style=|<script>", "... no inline style or script");
	(void)cat;
}

/* Days are the viewer's: a 25-hour day in New York, a 23-hour one in
 * Berlin. */
static void
zones(void)
{
	static const char *const ny[] = { "2025-11-02T04:30:00Z", "2025-11-02T05:30:00Z",
	    "2025-11-02T06:30:00Z", "2025-11-03T04:30:00Z", "2025-11-03T05:30:00Z" };
	struct ip_resp *a;
	unsigned char *p;
	size_t n;

	ip_exec("UPDATE settings SET retention_days = 3650", NULL);
	for (int i = 0; i < 5; i++) {
		p = png_make(16, 16, 2, 100 + i, &n);
		a = upload_ct(DEV_TOKEN, ip_strf("%d", 20 + i), ny[i], "true", "image/png", p, n);
		is_status(a, 201, ip_strf("screenshot at %s", ny[i]));
		free(p);
	}
	ip_exec("UPDATE users SET timezone = 'America/New_York' WHERE id = $1", MEM, NULL);
	a = dash_get(MEM_TOKEN, "/screenshots?date=2025-11-02");
	is_status(a, 200, "New York, 2 November 2025 (25 hours)");
	is_int(json_array_size(ip_jget(a, "screenshots")), 4, "... holds four of them");
	is_str(ip_jstr(a, "screenshots.0.time"), "00:30", "... 00:30 EDT");
	is_str(ip_jstr(a, "screenshots.1.time"), "01:30", "... 01:30 EDT");
	is_str(ip_jstr(a, "screenshots.2.time"), "01:30", "... 01:30 EST, the hour again");
	is_str(ip_jstr(a, "screenshots.3.time"), "23:30", "... 23:30 EST");
	is_str(ip_jstr(a, "next"), "2025-11-03", "... the next day with screenshots");
	is_str(ip_jstr(a, "timezone"), "America/New_York", "... in the viewer's zone");
	ip_exec("UPDATE users SET timezone = 'Europe/Berlin' WHERE id = $1", MEM, NULL);
	a = dash_get(MEM_TOKEN, "/screenshots?date=2025-11-02");
	is_int(json_array_size(ip_jget(a, "screenshots")), 3, "Berlin, 2 November: three");
	is_str(ip_jstr(a, "screenshots.0.time"), "05:30", "... from 05:30 CET");
	a = dash_get(MEM_TOKEN, "/screenshots?date=2025-11-03");
	is_int(json_array_size(ip_jget(a, "screenshots")), 2, "Berlin, 3 November: two");
	is_str(ip_jstr(a, "prev"), "2025-11-02", "... the day before");
	ip_exec("UPDATE users SET timezone = 'UTC' WHERE id = $1", MEM, NULL);
	is_error(dash_get(MEM_TOKEN, "/screenshots?date=2025-02-30"), 400, "date",
	    "a date that does not exist: 400");
}

static void
serving_and_audit(void)
{
	const char *id = ip_q("SELECT id FROM screenshots WHERE device_id = $1 AND seq = 1", DEV_ID,
	    NULL);
	const char *sha = ip_q("SELECT image_sha256 FROM screenshots WHERE id = $1", id, NULL);
	const char *tsha = ip_q("SELECT thumb_sha256 FROM screenshots WHERE id = $1", id, NULL);
	long long mark = audit_max();
	struct ip_resp *a;

	a = dash_get(MEM_TOKEN, ip_strf("/screenshots/%s/image", id));
	is_status(a, 200, "the person opens their screenshot");
	is_str(ip_header(a, "X-Accel-Redirect"), ip_strf("/_screenshots/%.2s/%.2s/%s.jpg", sha,
	    sha + 2, sha), "... served by nginx from the store's internal location");
	is_str(ip_header(a, "Content-Type"), "image/jpeg", "... as image/jpeg");
	is_int((int)a->body_len, 0, "... dash sends no bytes of it");
	a = dash_get(MEM_TOKEN, ip_strf("/screenshots/%s/thumb", id));
	is_str(ip_header(a, "X-Accel-Redirect"), ip_strf("/_screenshots/%.2s/%.2s/%s.jpg", tsha,
	    tsha + 2, tsha), "the thumbnail URL serves the thumbnail");
	is_int(audit_since(mark), 0, "the person's own looks are not audited");

	a = dash_get(MGR_TOKEN, ip_strf("/screenshots/%s/image", id));
	is_status(a, 200, "their manager opens it (visibility: managers)");
	is_int(audit_since(mark), 1, "... one audit row");
	like(audit_last("screenshot.view", MEM), "\"size\": \"image\"", "... screenshot.view, the image");
	a = dash_get(MGR_TOKEN, ip_strf("/screenshots/%s/thumb", id));
	is_int(audit_since(mark), 2, "... the thumbnail too");
	a = dash_get(MEM_TOKEN, "/screenshots");
	is_str(ip_jstr(a, "viewed_by.0.email"), ip_q("SELECT email FROM users WHERE id = $1", MGR,
	    NULL), "the person sees who looked");
	is_str(ip_jstr(a, "viewed_by.0.screenshots"), "1", "... at one screenshot");
	a = dash_get(MGR_TOKEN, ip_strf("/screenshots?user=%s", MEM));
	is_status(a, 200, "the manager's view of the person's page");
	is_str(ip_jstr(a, "viewed_by"), NULL, "... without who looked (that is the person's)");
	is_str(ip_jstr(a, "screenshots.0.deletable"), "false", "... nothing deletable");
	/* The list shows the windows in front: a look at it is audited as a
	 * look at the day page is, images opened or not. */
	is_int(audit_since(mark), 3, "... the look at the list is audited");
	like(audit_last("report.view", MEM), "\"page\": \"screenshots\"",
	    "... as report.view of the screenshots page");
	a = dash_get(MEM_TOKEN, ip_strf("/screenshots?user=%s", MEM));
	is_int(audit_since(mark), 3, "... the person's own list is not");

	policy("interval", "true", "admins");
	a = dash_get(MGR_TOKEN, ip_strf("/screenshots/%s/image", id));
	is_status(a, 404, "visibility admins: the manager gets 404");
	is_str(ip_header(a, "X-Accel-Redirect"), NULL, "... and no file");
	is_int(audit_since(mark), 3, "... and nothing audited");
	a = dash_get(MGR_TOKEN, ip_strf("/screenshots?user=%s", MEM));
	is_status(a, 404, "... nor the person's list");
	is_int(audit_since(mark), 3, "... which is not audited either");
	policy("interval", "true", "managers");
}

static void
deleting(void)
{
	const char *id1 = ip_q("SELECT id FROM screenshots WHERE device_id = $1 AND seq = 1", DEV_ID, NULL);
	const char *id2 = ip_q("SELECT id FROM screenshots WHERE device_id = $1 AND seq = 2", DEV_ID, NULL);
	const char *sha = ip_q("SELECT image_sha256 FROM screenshots WHERE id = $1", id1, NULL);
	const char *tsha = ip_q("SELECT thumb_sha256 FROM screenshots WHERE id = $1", id1, NULL);
	struct ip_resp *a;

	a = IP(DASH, .method = "POST", .path = ip_strf("/screenshots/%s/delete", id1),
	    .bearer = MGR_TOKEN, .accept = "application/json");
	is_status(a, 404, "a manager cannot delete the person's screenshot");
	is_str(ip_q("SELECT count(*) FROM screenshots WHERE id = $1", id1, NULL), "1", "... it stays");

	a = IP(DASH, .method = "POST", .path = ip_strf("/screenshots/%s/delete", id2),
	    .bearer = MEM_TOKEN, .accept = "application/json");
	is_status(a, 200, "the person deletes screenshot 2");
	ok(stored(sha, "jpg"), "... its file stays: screenshot 1 is the same image");
	a = IP(DASH, .method = "POST", .path = ip_strf("/screenshots/%s/delete", id1),
	    .bearer = MEM_TOKEN, .accept = "application/json");
	is_status(a, 200, "the person deletes screenshot 1");
	ok(!stored(sha, "jpg"), "... its file is gone from the store");
	ok(!stored(tsha, "jpg"), "... and its thumbnail's");
	is_str(ip_q("SELECT count(*) FROM screenshot_files WHERE sha256 IN ($1, $2)", sha, tsha,
	    NULL), "0", "... and their rows");
	is_status(dash_get(MEM_TOKEN, ip_strf("/screenshots/%s/image", id1)), 404,
	    "... its URL is a 404");
	a = IP(DASH, .method = "POST", .path = ip_strf("/screenshots/%s/delete", id1),
	    .bearer = MEM_TOKEN, .accept = "application/json");
	is_status(a, 404, "deleting it again: 404");
	a = upload("1", ago(120), JPG, JPG_N);
	is_error(a, 410, "seq", "the agent sending it again (a retry) is told it was deleted: 410");
	ok(!stored(sha, "jpg"), "... and nothing is written back");
	is_str(rows_of("1"), "0", "... nor recorded");
	is_error(thumb(DEV_TOKEN, "1", THUMB, THUMB_N, "image/jpeg"), 410, "seq",
	    "... its thumbnail too: 410");
}

/* A person deleted by an admin, a device deleted: their files go. */
static void
cascades(void)
{
	struct admin adm;
	const char *pid, *ptok, *pdev, *sha, *ddev, *dtok, *dsha;
	unsigned char *p;
	size_t n;
	struct ip_resp *a;

	make_admin(&adm);
	pid = ip_strf("%lld", ip_user(ip_strf("gone.%s@example.com", tag), "Gone é", "member", NULL));
	ptok = new_device(pid, "gone-laptop", &pdev);
	p = png_make(24, 24, 6, 77, &n);
	a = upload_ct(ptok, "1", ago(30), "true", "image/png", p, n);
	is_status(a, 201, "a screenshot of a person about to be deleted");
	sha = ip_jstr(a, "image.sha256");
	ok(stored(sha, "png"), "... in the store");
	free(p);
	a = api("POST", ip_strf("/admin/users/%s/delete", pid), adm.token,
	    ip_json("{ss}", "confirm", ip_strf("gone.%s@example.com", tag)));
	is_status(a, 200, "the admin deletes the person");
	ok(!stored(sha, "png"), "... their screenshot's file is gone");
	is_str(ip_q("SELECT count(*) FROM screenshot_files WHERE sha256 = $1", sha, NULL), "0",
	    "... and its row");

	dtok = new_device(MEM, "old-desktop", &ddev);
	p = png_make(24, 24, 6, 78, &n);
	a = upload_ct(dtok, "1", ago(30), "true", "image/png", p, n);
	dsha = ip_jstr(a, "image.sha256");
	free(p);
	ok(stored(dsha, "png"), "a screenshot of a device about to be deleted");
	ip_exec("DELETE FROM devices WHERE id = $1", ddev, NULL);
	ok(stored(dsha, "png"), "... the device is deleted (its rows with it)");
	ok(shots_sweep(1000) >= 1, "the sweep after it removes files");
	ok(!stored(dsha, "png"), "... the device's screenshot's among them");
	(void)pdev;
}

static void
retention(void)
{
	unsigned char *p;
	size_t n;
	struct ip_resp *a;
	const char *sha, *keep;
	long long deleted = -1, files = -1;

	p = png_make(20, 20, 6, 90, &n);
	a = upload_ct(DEV_TOKEN, "40", ago(3600), "true", "image/png", p, n);
	sha = ip_jstr(a, "image.sha256");
	free(p);
	p = png_make(20, 20, 6, 91, &n);
	a = upload_ct(DEV_TOKEN, "41", ago(3600), "true", "image/png", p, n);
	keep = ip_jstr(a, "image.sha256");
	free(p);
	ip_exec("UPDATE settings SET retention_days = 45", NULL);
	ip_exec("UPDATE screenshots SET taken_at = now() - interval '46 days' WHERE device_id = $1"
	    " AND seq = 40", DEV_ID, NULL);
	ok(shots_expire(&deleted, &files) == 0, "the retention function runs");
	ok(deleted >= 1, "... it deleted the screenshot older than 45 days (and %lld in all: the "
	    "New York ones too)", deleted);
	ok(files >= 1, "... and removed files (%lld)", files);
	ok(!stored(sha, "png"), "... the old one's file is gone");
	ok(stored(keep, "png"), "... an hour-old one's stays");
	is_str(ip_q("SELECT count(*) FROM screenshots WHERE device_id = $1 AND seq = 41", DEV_ID,
	    NULL), "1", "... with its row");
}

static void
notice(void)
{
	struct ip_jar *b = ip_browser("notice");
	const char *email = ip_q("SELECT email FROM users WHERE id = $1", MEM, NULL);
	struct ip_resp *a;
	const char *csrf;

	ip_exec("DELETE FROM screenshot_notice_seen WHERE user_id = $1", MEM, NULL);
	is_status(login(b, email, PW), 303, "the person signs in");
	a = IP(DASH, .path = "/screenshots", .jar = b);
	like(a->body, "Your organisation takes screenshots", "screenshots on: the notice is on the page");
	like(a->body, "blurred on your computer", "... says they are blurred");
	like(a->body, "the managers of your teams", "... and who sees them");
	a = IP(AUTH, .path = "/account", .jar = b);
	like(a->body, "Your organisation takes screenshots", "... on every program's pages (auth)");
	csrf = ip_csrf(a);
	a = IP(DASH, .method = "POST", .path = "/screenshots/notice", .jar = b,
	    .form = ip_strf("csrf=%s&next=%s", ip_urlenc(csrf), ip_urlenc("/account")));
	is_status(a, 303, "the person has read it");
	is_str(ip_header(a, "Location"), "/account", "... back where they were");
	a = IP(AUTH, .path = "/account", .jar = b);
	unlike(a->body, "Your organisation takes screenshots", "... the banner is gone");
	like(a->body, "Screenshots are on", "... a line stays");
	a = IP(DASH, .method = "POST", .path = "/screenshots/notice", .jar = b,
	    .form = ip_strf("csrf=%s&next=%s", ip_urlenc(csrf), ip_urlenc("//evil.example")));
	is_status(a, 400, "a next that leaves the site: 400");
	like(a->body, "must be a path on this site", "... saying why");
	/* Browsers drop tabs and newlines from a URL and read \ as /: each
	 * of these is "//evil.example" to them. */
	{
		const char *const away[] = { "/\t/evil.example", "/\n/evil.example",
		    "/\\evil.example", "/x/\\..\\..\\\\evil.example", "/\x01/evil.example" };

		for (size_t i = 0; i < sizeof(away) / sizeof(away[0]); i++) {
			a = IP(DASH, .method = "POST", .path = "/screenshots/notice", .jar = b,
			    .form = ip_strf("csrf=%s&next=%s", ip_urlenc(csrf),
			    ip_urlenc(away[i])));
			is_status(a, 400, ip_strf("next %s (a browser goes to another host): 400",
			    ip_urlenc(away[i])));
			is_str(ip_header(a, "Location"), NULL, "... and no redirect");
		}
	}
	a = IP(DASH, .method = "POST", .path = "/screenshots/notice", .jar = b, .form = "next=/");
	is_status(a, 403, "without the CSRF token: 403");

	policy("interval", "false", "managers");
	a = IP(DASH, .path = "/screenshots", .jar = b);
	like(a->body, "Your organisation takes screenshots", "the policy changes (no blur): the "
	    "notice is back");
	like(a->body, "not blurred", "... saying they are not blurred");
	policy("off", "false", "managers");
	a = IP(DASH, .path = "/screenshots", .jar = b);
	unlike(a->body, "takes screenshots|Screenshots are on", "screenshots off: no notice");
	like(a->body, "takes no screenshots", "... the page says so");
	policy("interval", "true", "managers");
}

int
main(void)
{
	const char *orig;
	const char *team;

	if (ip_init("screenshots") != 0)
		return 0;
	ip_lock_global();
	tag = ip_tag();
	orig = ip_q("SELECT json_build_array(screenshot_mode, screenshot_blur::text,"
	    " screenshot_visibility, retention_days::text)::text FROM settings", NULL);
	JPG = img_fixture("shot-640x360.jpg", &JPG_N);
	JPG2 = img_fixture("shot2-640x360.jpg", &JPG2_N);
	THUMB = img_fixture("thumb-320x180.jpg", &THUMB_N);
	if (!ok(JPG && JPG2 && THUMB, "the fixtures (tests/fixtures/*.jpg) are readable"))
		return ip_done();

	MEM = ip_strf("%lld", ip_user(ip_strf("shots.%s@example.com", tag), "Shot Taker ø",
	    "member", PW));
	MGR = ip_strf("%lld", ip_user(ip_strf("shotmgr.%s@example.com", tag), "Shot Manager",
	    "manager", NULL));
	MEM_TOKEN = ip_token(atoll(MEM));
	MGR_TOKEN = ip_token(atoll(MGR));
	team = ip_q("INSERT INTO teams (name) VALUES ($1) RETURNING id", ip_strf("Shots %s", tag), NULL);
	ip_exec("INSERT INTO team_members (team_id, user_id, role) VALUES ($1, $2, 'member'),"
	    " ($1, $3, 'manager')", team, MEM, MGR, NULL);
	DEV_TOKEN = new_device(MEM, ip_strf("laptop-%s", tag), &DEV_ID);
	ip_exec("UPDATE settings SET retention_days = 45", NULL);

	policy_off();
	stored_once();
	fakes();
	thumbnails();
	window();
	zones();
	serving_and_audit();
	deleting();
	cascades();
	retention();
	notice();

	ip_exec("UPDATE settings SET screenshot_mode = $1::json->>0,"
	    " screenshot_blur = ($1::json->>1)::boolean, screenshot_visibility = $1::json->>2,"
	    " retention_days = ($1::json->>3)::integer", orig, NULL);
	ip_exec("DELETE FROM categories WHERE name = $1", ip_strf("Shots %s", tag), NULL);
	free(JPG);
	free(JPG2);
	free(THUMB);
	return ip_done();
}
