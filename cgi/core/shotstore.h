/* The screenshot store: image files named by their SHA-256 under
 * screenshots.dir (ab/cd/<sha256>.png|.jpg), described by the
 * screenshot_files table (sql/011_screenshots.sql), served by nginx from
 * an internal location after dash has checked who may see them.
 *
 * One rule keeps files and rows in step: whatever touches a hash's file
 * holds that hash's advisory lock in its transaction (shots_lock).  An
 * upload, under the lock, makes sure the file is there (writing it
 * atomically when it is not) and its row; the sweep, under the lock,
 * removes a hash no screenshot references any more, row and file.  So
 * the same image is stored once, and a file never disappears under a
 * screenshot that names it.
 *
 * Deleting screenshots rows (a person deleting theirs, a person, device
 * or their data being deleted, retention) queues their hashes by trigger;
 * whoever deleted calls shots_sweep() after committing, and any later
 * sweep catches what a crash left behind. */
#ifndef WT_SHOTSTORE_H
#define WT_SHOTSTORE_H

#include <stddef.h>

#include "db.h"
#include "err.h"

enum shots_stmt {
	ST_SHOTS_LOCK = WT_STMT_BASE(WT_SLOT_SHOTS),
	ST_SHOTS_FILE_ADD,
	ST_SHOTS_TRASH,
	ST_SHOTS_DROP,
	ST_SHOTS_EXPIRE,
	ST_SHOTS_NOTICE,
	ST_SHOTS_NOTICE_SEEN,
	ST_SHOTS_END
};

/* Columns of ST_SHOTS_NOTICE. */
enum { C_NOTE_MODE, C_NOTE_INTERVAL, C_NOTE_FROM, C_NOTE_TO, C_NOTE_BLUR,
	C_NOTE_VISIBILITY, C_NOTE_DUE };

/* The internal location nginx serves the store from (nginx/). */
#define SHOTS_ACCEL_PREFIX	"/_screenshots/"

int		 shots_register(void);
struct wt_req;
/* Shots.* in the page's view for a signed-in person while screenshots
 * are on (shotnotice.c); nothing otherwise, or if the database fails. */
void		 shots_notice_view(struct wt_req *);
/* The file's path in the store, and the URI of the internal location
 * that serves it (malloc'd).  sha is 64 lower-case hex digits. */
char		*shots_path(const char *sha, const char *ext);
char		*shots_accel_uri(const char *sha, const char *ext);
const char	*shots_ext(const char *mime);
/* Takes the hash's lock for the rest of the transaction. */
struct wt_err	*shots_lock(const char *sha);
/* Under the lock: data is in the store as sha's file when this returns
 * NULL (*existed: it already was).  Written to a temporary file, synced,
 * renamed into place, the directory synced. */
struct wt_err	*shots_put(const char *sha, const char *ext, const void *data, size_t len,
		    int *existed);
/* Removes up to max queued hashes no screenshot references, rows and
 * files, each in its own transaction (call with none open).  How many
 * files went, or -1 if the database failed (logged). */
long long	 shots_sweep(long long max);
/* How many files a request removes at most after a deletion (a person
 * with years of screenshots); the rest wait for the next sweep. */
#define SHOTS_SWEEP_REQUEST	1000
/* Retention: deletes the screenshots older than the organisation's
 * retention period and sweeps their files.  0, or -1 (logged). */
int		 shots_expire(long long *deleted, long long *files);

#endif
