#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "json.h"
#include "spool.h"

#define MAGIC		"WTSPOOL1"
#define HEADER_LEN	20	/* magic, base (u64 LE), CRC-32 of both (u32 LE) */
#define REC_HEAD	8	/* length (u32 LE), CRC-32 of the payload (u32 LE) */

static void
put32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t
get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint32_t
crc(const void *p, size_t n)
{
	return (uint32_t)crc32(0L, p, (uInt)n);
}

static void
make_header(unsigned char h[HEADER_LEN], uint64_t base)
{
	memcpy(h, MAGIC, 8);
	for (int i = 0; i < 8; i++)
		h[8 + i] = (unsigned char)(base >> (8 * i));
	put32(h + 16, crc(h, 16));
}

static int
write_full(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int
read_full(int fd, void *data, size_t len, off_t off)
{
	char *p = data;

	while (len > 0) {
		ssize_t n = pread(fd, p, len, off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
		off += n;
	}
	return 0;
}

static void
fsync_dir(const char *file)
{
	char *dir = xstrdup(file), *slash = strrchr(dir, '/');
	int fd;

	if (slash)
		*slash = '\0';
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		fsync(fd);
		close(fd);
	}
	free(dir);
}

static int
save_state(struct spool *s)
{
	struct buf b = { 0 };
	int rc;

	if (s->readonly)
		return 0;
	buf_addf(&b, "acked %" PRIu64 "\nnext_batch %" PRId64 "\ndropped %" PRIu64
	    "\nset_aside %" PRIu64 "\n", s->acked, s->next_seq, s->dropped, s->set_aside);
	if (s->inflight)
		buf_addf(&b, "inflight %" PRId64 " %" PRIu64 "\n", s->inflight_seq, s->inflight_to);
	rc = write_atomic(s->state_path, b.p, b.len, 0600);
	buf_free(&b);
	if (rc != 0)
		log_error("spool: cannot write %s: %s", s->state_path, strerror(errno));
	return rc;
}

static void
load_state(struct spool *s)
{
	char *text = read_file(s->state_path, NULL), *line, *save = NULL;

	/* A spool without a state starts its batch numbers at the clock in
	 * microseconds: a device whose state was lost never reuses a number
	 * the server has already seen (and would answer "stored" for). */
	s->next_seq = wall_ms() * 1000;
	if (text == NULL)
		return;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		unsigned long long a = 0, b = 0;
		long long q = 0;

		if (sscanf(line, "acked %llu", &a) == 1)
			s->acked = a;
		else if (sscanf(line, "next_batch %lld", &q) == 1 && q >= 0)
			s->next_seq = q;
		else if (sscanf(line, "dropped %llu", &a) == 1)
			s->dropped = a;
		else if (sscanf(line, "set_aside %llu", &a) == 1)
			s->set_aside = a;
		else if (sscanf(line, "inflight %lld %llu", &q, &b) == 2 && q >= 0) {
			s->inflight = 1;
			s->inflight_seq = q;
			s->inflight_to = b;
		}
	}
	free(text);
}

/* Writes a new spool file holding the records from number new_base on
 * (which start at byte from_off of the current one) and puts it in place. */
static int
rewrite(struct spool *s, uint64_t new_base, off_t from_off)
{
	unsigned char h[HEADER_LEN];
	char *tmp = NULL, chunk[65536];
	off_t off = from_off;
	int fd;

	tmp = xmalloc(strlen(s->path) + 5);
	sprintf(tmp, "%s.tmp", s->path);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) < 0)
		goto fail;
	make_header(h, new_base);
	if (write_full(fd, h, sizeof(h)) != 0)
		goto fail_fd;
	while (off < s->end_off) {
		size_t n = (size_t)(s->end_off - off) < sizeof(chunk) ?
		    (size_t)(s->end_off - off) : sizeof(chunk);

		if (read_full(s->fd, chunk, n, off) != 0 || write_full(fd, chunk, n) != 0)
			goto fail_fd;
		off += (off_t)n;
	}
	if (fsync(fd) != 0 || close(fd) != 0)
		goto fail;
	if (rename(tmp, s->path) != 0)
		goto fail;
	fsync_dir(s->path);
	close(s->fd);
	if ((s->fd = open(s->path, O_RDWR | O_APPEND | O_CLOEXEC)) < 0) {
		log_error("spool: cannot open %s again: %s", s->path, strerror(errno));
		free(tmp);
		return -1;
	}
	if (s->acked >= new_base)
		s->acked_off = s->acked_off - from_off + HEADER_LEN;
	if (s->inflight && s->inflight_to_off >= from_off)
		s->inflight_to_off = s->inflight_to_off - from_off + HEADER_LEN;
	s->end_off = s->end_off - from_off + HEADER_LEN;
	s->base = new_base;
	free(tmp);
	return 0;
fail_fd:
	close(fd);
fail:
	log_error("spool: cannot rewrite %s: %s", s->path, strerror(errno));
	unlink(tmp);
	free(tmp);
	return -1;
}

/* Reads the file's records, cutting a damaged tail (unless readonly). */
static int
scan(struct spool *s)
{
	struct stat st;
	unsigned char *map;
	off_t off = HEADER_LEN, bad = -1;
	uint64_t n = 0;

	if (fstat(s->fd, &st) != 0)
		return -1;
	if (st.st_size < HEADER_LEN)
		return -2;
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, s->fd, 0);
	if (map == MAP_FAILED)
		return -1;
	if (memcmp(map, MAGIC, 8) != 0 || get32(map + 16) != crc(map, 16)) {
		munmap(map, (size_t)st.st_size);
		return -2;
	}
	s->base = 0;
	for (int i = 7; i >= 0; i--)
		s->base = s->base << 8 | map[8 + i];
	s->acked_off = -1;
	while (off < st.st_size) {
		uint32_t len;

		if (s->base + n == s->acked)
			s->acked_off = off;
		if (st.st_size - off < REC_HEAD) {
			bad = off;
			break;
		}
		len = get32(map + off);
		if (len == 0 || len > SPOOL_RECORD_MAX || (off_t)len > st.st_size - off - REC_HEAD ||
		    get32(map + off + 4) != crc(map + off + REC_HEAD, len)) {
			bad = off;
			break;
		}
		off += REC_HEAD + (off_t)len;
		n++;
	}
	munmap(map, (size_t)st.st_size);
	if (s->base + n == s->acked && s->acked_off < 0)
		s->acked_off = off;
	s->end = s->base + n;
	s->end_off = off;
	if (bad >= 0) {
		s->torn_bytes = (uint64_t)(st.st_size - bad);
		if (!s->readonly) {
			log_warn("spool: dropped %" PRIu64 " damaged bytes at the end of %s (byte %lld "
			    "on): a record cut short by a crash or damaged on disk; the %" PRIu64
			    " records before it are kept", s->torn_bytes, s->path, (long long)bad, n);
			if (ftruncate(s->fd, bad) != 0 || fsync(s->fd) != 0) {
				log_error("spool: cannot cut %s: %s", s->path, strerror(errno));
				return -1;
			}
		}
	}
	return 0;
}

int
spool_open(struct spool *s, const char *dir, int64_t max_bytes, int readonly)
{
	int rc;

	memset(s, 0, sizeof(*s));
	s->fd = -1;
	s->readonly = readonly;
	s->max_bytes = max_bytes;
	s->path = path_join(dir, "spool");
	s->state_path = path_join(dir, "spool.state");
	s->rejected_path = path_join(dir, "rejected");
	if (!readonly && mkdir_p(dir, 0700) != 0) {
		log_error("spool: cannot make %s: %s", dir, strerror(errno));
		return -1;
	}
	load_state(s);
	s->fd = open(s->path, (readonly ? O_RDONLY : O_RDWR | O_CREAT | O_APPEND) | O_CLOEXEC, 0600);
	if (s->fd < 0) {
		if (readonly && errno == ENOENT) {
			s->base = s->end = s->acked;
			return 0;
		}
		log_error("spool: cannot open %s: %s", s->path, strerror(errno));
		return -1;
	}
	rc = scan(s);
	if (rc == -2 && !readonly) {
		struct stat st;

		if (fstat(s->fd, &st) == 0 && st.st_size > 0) {
			char *aside = xmalloc(strlen(s->path) + 32);

			sprintf(aside, "%s.damaged-%lld", s->path, (long long)(wall_ms() / 1000));
			log_error("spool: %s has no valid header; moved it to %s and started a new one",
			    s->path, aside);
			rename(s->path, aside);
			free(aside);
		}
		/* A new file numbered on from what the server has. */
		close(s->fd);
		s->fd = open(s->path, O_RDWR | O_CREAT | O_APPEND | O_TRUNC | O_CLOEXEC, 0600);
		s->end_off = 0;
		if (s->fd < 0 || rewrite(s, s->acked, 0) != 0)
			return -1;
		s->end = s->base;
		s->acked_off = HEADER_LEN;
		rc = 0;
	} else if (rc == -2) {
		s->base = s->end = s->acked;
		return 0;
	}
	if (rc != 0) {
		log_error("spool: cannot read %s: %s", s->path, strerror(errno));
		return -1;
	}
	if (s->acked < s->base) {
		/* The file was rewritten to drop old records for space and a
		 * crash came before the state said so. */
		s->dropped += s->base - s->acked;
		s->acked = s->base;
		s->acked_off = HEADER_LEN;
		s->inflight = 0;
	}
	if (s->acked > s->end) {
		/* The server has records this file no longer holds (it was
		 * deleted or damaged): new ones must be numbered past them. */
		log_warn("spool: %s ends at record %" PRIu64 " but the server has everything up "
		    "to %" PRIu64 "; starting the file again from there", s->path, s->end, s->acked);
		if (!readonly && rewrite(s, s->acked, s->end_off) != 0)
			return -1;
		s->base = s->end = s->acked;
		s->acked_off = s->end_off;
		s->inflight = 0;
	}
	if (s->inflight && (s->inflight_to <= s->acked || s->inflight_to > s->end))
		s->inflight = 0;
	return readonly ? 0 : save_state(s);
}

void
spool_close(struct spool *s)
{
	if (s->fd >= 0)
		close(s->fd);
	free(s->path);
	free(s->state_path);
	free(s->rejected_path);
	memset(s, 0, sizeof(*s));
	s->fd = -1;
}

/* The spool is over its size: the oldest records the server does not
 * have go, until it is at 90 % of its size. */
static int
make_room(struct spool *s)
{
	off_t off = s->acked_off, goal = s->max_bytes / 10 * 9;
	uint64_t n = s->acked;
	unsigned char h[REC_HEAD];

	while (n < s->end && s->end_off - off + HEADER_LEN > goal) {
		if (read_full(s->fd, h, REC_HEAD, off) != 0)
			return -1;
		off += REC_HEAD + (off_t)get32(h);
		n++;
	}
	if (rewrite(s, n, off) != 0)
		return -1;
	log_warn("spool: over its size (%lld bytes): dropped the oldest %" PRIu64 " spans the "
	    "server does not have yet", (long long)s->max_bytes, n - s->acked);
	s->dropped += n - s->acked;
	s->acked = n;
	s->acked_off = HEADER_LEN;
	if (s->inflight)
		s->inflight = 0;
	return save_state(s);
}

int
spool_append(struct spool *s, const char *payload, size_t len)
{
	unsigned char *rec;

	if (len == 0 || len > SPOOL_RECORD_MAX)
		return -1;
	rec = xmalloc(REC_HEAD + len);
	put32(rec, (uint32_t)len);
	put32(rec + 4, crc(payload, len));
	memcpy(rec + REC_HEAD, payload, len);
	if (write_full(s->fd, rec, REC_HEAD + len) != 0 || fdatasync(s->fd) != 0) {
		log_error("spool: cannot write to %s: %s", s->path, strerror(errno));
		/* Whatever part reached the file is cut off again. */
		if (ftruncate(s->fd, s->end_off) != 0)
			log_error("spool: cannot cut %s: %s", s->path, strerror(errno));
		free(rec);
		return -1;
	}
	free(rec);
	s->end++;
	s->end_off += (off_t)(REC_HEAD + len);
	if (s->end_off > s->max_bytes)
		return make_room(s);
	return 0;
}

int
spool_batch(struct spool *s, size_t max_spans, size_t max_body, struct buf *body)
{
	unsigned char h[REC_HEAD];
	off_t off = s->acked_off;
	uint64_t n = s->acked;
	char *p = NULL;
	int first = 1;

	if (spool_pending(s) == 0)
		return 1;
	body->len = 0;
	buf_addf(body, "{\"batch\":%" PRId64 ",\"spool_dropped\":%" PRIu64 ",\"spans\":[",
	    s->inflight ? s->inflight_seq : s->next_seq, s->dropped);
	while (n < s->end) {
		uint32_t len;

		if (s->inflight ? n >= s->inflight_to : (n - s->acked >= max_spans ||
		    (!first && body->len >= max_body)))
			break;
		if (read_full(s->fd, h, REC_HEAD, off) != 0 || (len = get32(h)) == 0 ||
		    len > SPOOL_RECORD_MAX) {
			log_error("spool: cannot read record %" PRIu64 " of %s", n, s->path);
			return -1;
		}
		p = xrealloc(p, len);
		if (read_full(s->fd, p, len, off + REC_HEAD) != 0) {
			free(p);
			log_error("spool: cannot read record %" PRIu64 " of %s", n, s->path);
			return -1;
		}
		off += REC_HEAD + (off_t)len;
		n++;
		if (get32(h + 4) != crc(p, len)) {
			/* Damaged on disk since it was written: it cannot be sent
			 * as it is, and the rest must not wait for it. */
			log_error("spool: record %" PRIu64 " of %s fails its checksum; skipped", n - 1,
			    s->path);
			continue;
		}
		if (!first)
			buf_add(body, ",", 1);
		buf_add(body, p, len);
		first = 0;
	}
	free(p);
	buf_adds(body, "]}");
	s->inflight_to_off = off;
	if (!s->inflight) {
		s->inflight = 1;
		s->inflight_seq = s->next_seq++;
		s->inflight_to = n;
		if (save_state(s) != 0) {
			s->inflight = 0;
			s->next_seq--;
			return -1;
		}
	}
	return 0;
}

static int
advance(struct spool *s)
{
	s->acked = s->inflight_to;
	s->acked_off = s->inflight_to_off;
	s->inflight = 0;
	if (save_state(s) != 0)
		return -1;
	/* What the server has leaves the file: at once when that is all of
	 * it (only a header is written), else when it is over a megabyte. */
	if (s->acked == s->end || s->acked_off > 1024 * 1024)
		return rewrite(s, s->acked, s->acked_off);
	return 0;
}

int
spool_ack(struct spool *s)
{
	if (!s->inflight)
		return 0;
	return advance(s);
}

int
spool_set_aside(struct spool *s, long status, const char *answer, const struct buf *body)
{
	struct buf line = { 0 };
	char when[40];
	int fd;

	if (!s->inflight)
		return 0;
	fmt_time(wall_ms(), when, sizeof(when));
	buf_addf(&line, "{\"at\":\"%s\",\"status\":%ld,\"answer\":", when, status);
	json_add_str(&line, answer, strlen(answer));
	buf_addf(&line, ",\"body\":%s}\n", body->p ? body->p : "null");
	fd = open(s->rejected_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0 || write_full(fd, line.p, line.len) != 0 || fsync(fd) != 0) {
		log_error("spool: cannot write %s: %s", s->rejected_path, strerror(errno));
		if (fd >= 0)
			close(fd);
		buf_free(&line);
		return -1;
	}
	close(fd);
	buf_free(&line);
	s->set_aside++;
	return advance(s);
}
