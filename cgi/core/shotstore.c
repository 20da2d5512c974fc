#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "conf.h"
#include "crypto.h"
#include "log.h"
#include "shotstore.h"

/* Images are private: readable by the service user (the programs and
 * nginx's workers) and its group, nobody else. */
#define DIR_MODE	0750
#define FILE_MODE	0640

static const struct wt_stmt shots_stmts[] = {
	/* The key space 7242011 is the store's (7242010: ingest's devices). */
	STMT(ST_SHOTS_LOCK) = { "shots_lock",
	  "SELECT pg_advisory_xact_lock(7242011, hashtext($1))", 1, 0 },
	STMT(ST_SHOTS_FILE_ADD) = { "shots_file_add",
	  "INSERT INTO screenshot_files (sha256, mime, bytes, width, height)"
	  " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (sha256) DO NOTHING", 5, 0 },
	STMT(ST_SHOTS_TRASH) = { "shots_trash",
	  "SELECT sha256 FROM screenshot_file_trash ORDER BY queued_at, sha256 LIMIT $1", 1, 1 },
	/* The queue entry goes either way; the file's row (and then the
	 * file) only when nothing names it any more. */
	STMT(ST_SHOTS_DROP) = { "shots_drop",
	  "WITH t AS (DELETE FROM screenshot_file_trash WHERE sha256 = $1),"
	  " f AS (DELETE FROM screenshot_files WHERE sha256 = $1 AND NOT EXISTS"
	  "  (SELECT 1 FROM screenshots WHERE image_sha256 = $1 OR thumb_sha256 = $1)"
	  "  RETURNING mime)"
	  " SELECT mime FROM f", 1, 0 },
	STMT(ST_SHOTS_EXPIRE) = { "shots_expire", "SELECT screenshots_expire()", 0, 0 },
	/* The screenshot policy, and whether this person has yet to read
	 * about it (shotnotice.c). */
	STMT(ST_SHOTS_NOTICE) = { "shots_notice",
	  "SELECT s.screenshot_mode, s.screenshot_interval_min, s.screenshot_from_hour,"
	  " s.screenshot_to_hour, s.screenshot_blur, s.screenshot_visibility,"
	  " n.seen_at IS NULL OR n.seen_at < p.changed_at"
	  " FROM settings s CROSS JOIN screenshot_policy p"
	  " LEFT JOIN screenshot_notice_seen n ON n.user_id = $1", 1, 1 },
	STMT(ST_SHOTS_NOTICE_SEEN) = { "shots_notice_seen",
	  "INSERT INTO screenshot_notice_seen (user_id, seen_at) VALUES ($1, clock_timestamp())"
	  " ON CONFLICT (user_id) DO UPDATE SET seen_at = excluded.seen_at", 1, 0 },
};

int
shots_register(void)
{
	return db_register(WT_SLOT_SHOTS, (struct wt_stmt_table)WT_STMT_TABLE(shots_stmts));
}

const char *
shots_ext(const char *mime)
{
	return strcmp(mime, "image/png") == 0 ? "png" : "jpg";
}

char *
shots_path(const char *sha, const char *ext)
{
	struct wt_buf b;

	buf_init(&b);
	buf_printf(&b, "%s/%.2s/%.2s/%s.%s", wt_cfg.screenshots_dir, sha, sha + 2, sha, ext);
	return buf_take(&b);
}

char *
shots_accel_uri(const char *sha, const char *ext)
{
	struct wt_buf b;

	buf_init(&b);
	buf_printf(&b, SHOTS_ACCEL_PREFIX "%.2s/%.2s/%s.%s", sha, sha + 2, sha, ext);
	return buf_take(&b);
}

struct wt_err *
shots_lock(const char *sha)
{
	PGresult *res = db_exec(ST_SHOTS_LOCK, 1, &sha);

	if (res == NULL)
		return db_err();
	PQclear(res);
	return NULL;
}

/* mkdir -p of the file's directory (the store, ab/, ab/cd/). */
static int
make_dirs(const char *path)
{
	char *p = xstrdup(path), *slash;
	size_t base = strlen(wt_cfg.screenshots_dir);
	int rc = 0;

	for (slash = p + 1; rc == 0 && (slash = strchr(slash, '/')) != NULL; slash++) {
		/* The store's parents are the administrator's business. */
		if ((size_t)(slash - p) < base)
			continue;
		*slash = '\0';
		if (mkdir(p, DIR_MODE) != 0 && errno != EEXIST)
			rc = -1;
		*slash = '/';
	}
	free(p);
	return rc;
}

static int
write_all(int fd, const unsigned char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int
sync_dir_of(const char *path)
{
	char *d = xstrdup(path), *slash = strrchr(d, '/');
	int fd, rc;

	if (slash != NULL)
		*slash = '\0';
	fd = open(d, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(d);
	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

static struct wt_err *
store_failed(const char *what, const char *path)
{
	log_write(WT_ERROR, "screenshot_store", json_pack("{ss}", "path", path),
	    "%s: %s", what, strerror(errno));
	return wt_fail(503, NULL, "the screenshot could not be stored; send it again later");
}

struct wt_err *
shots_put(const char *sha, const char *ext, const void *data, size_t len, int *existed)
{
	char *path = shots_path(sha, ext), *tmp = NULL, rnd[17];
	struct stat st;
	struct wt_err *e = NULL;
	int fd = -1;

	*existed = 0;
	/* Named by its content and written only by rename: a file of the
	 * right size is this image. */
	if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size == len) {
		*existed = 1;
		goto out;
	}
	if (make_dirs(path) != 0) {
		e = store_failed("could not make the store's directories", path);
		goto out;
	}
	if (random_token_hex(8, rnd) != 0) {
		e = wt_fail(500, NULL, "no randomness available");
		goto out;
	}
	tmp = xmalloc(strlen(path) + 32);
	snprintf(tmp, strlen(path) + 32, "%s.tmp-%s", path, rnd);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, FILE_MODE)) < 0) {
		e = store_failed("could not create a file in the store", tmp);
		goto out;
	}
	if (fchmod(fd, FILE_MODE) != 0 || write_all(fd, data, len) != 0 || fsync(fd) != 0) {
		e = store_failed("could not write a file in the store", tmp);
		goto out;
	}
	if (close(fd) != 0) {
		fd = -1;
		e = store_failed("could not write a file in the store", tmp);
		goto out;
	}
	fd = -1;
	if (rename(tmp, path) != 0) {
		e = store_failed("could not move a file into place in the store", path);
		goto out;
	}
	free(tmp);
	tmp = NULL;
	if (sync_dir_of(path) != 0)
		e = store_failed("could not sync the store's directory", path);
out:
	if (fd >= 0)
		close(fd);
	if (tmp != NULL) {
		unlink(tmp);
		free(tmp);
	}
	free(path);
	return e;
}

/* One queued hash, in its own transaction: 1 if its file went, 0 if it
 * is still named (or was gone already), -1 on a database failure. */
static int
sweep_one(const char *sha)
{
	PGresult *res;
	struct wt_err *e;
	int removed = 0;

	if (db_begin() != 0)
		return -1;
	if ((e = shots_lock(sha)) != NULL) {
		err_free(e);
		return -1;
	}
	if ((res = db_exec(ST_SHOTS_DROP, 1, &sha)) == NULL) {
		db_rollback();
		return -1;
	}
	if (PQntuples(res) == 1) {
		char *path = shots_path(sha, shots_ext(PQgetvalue(res, 0, 0)));

		/* Before the commit, under the lock: if the commit fails the
		 * row stays queued and an upload of the same image writes
		 * the file again (it checks the file, not the row). */
		if (unlink(path) == 0)
			removed = 1;
		else if (errno != ENOENT)
			log_write(WT_WARN, "screenshot_store", json_pack("{ss}", "path", path),
			    "could not remove a file from the store: %s", strerror(errno));
		free(path);
	}
	PQclear(res);
	if (db_commit() != 0)
		return -1;
	return removed;
}

long long
shots_sweep(long long max)
{
	long long removed = 0;

	while (max > 0) {
		char lim[24];
		const char *p = lim;
		PGresult *res;
		int n;

		snprintf(lim, sizeof(lim), "%lld", max < 100 ? max : 100);
		if ((res = db_exec(ST_SHOTS_TRASH, 1, &p)) == NULL)
			return -1;
		if ((n = PQntuples(res)) == 0) {
			PQclear(res);
			break;
		}
		for (int i = 0; i < n; i++) {
			int rc = sweep_one(PQgetvalue(res, i, 0));

			if (rc < 0) {
				PQclear(res);
				return -1;
			}
			removed += rc;
		}
		PQclear(res);
		max -= n;
	}
	if (removed > 0)
		log_info("screenshot_sweep", "removed %lld file(s) from the screenshot store", removed);
	return removed;
}

int
shots_expire(long long *deleted, long long *files)
{
	PGresult *res = db_exec(ST_SHOTS_EXPIRE, 0, NULL);

	*deleted = *files = 0;
	if (res == NULL)
		return -1;
	*deleted = atoll(PQgetvalue(res, 0, 0));
	PQclear(res);
	*files = shots_sweep(1LL << 40);
	return *files < 0 ? -1 : 0;
}
