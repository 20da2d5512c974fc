/* The agent's spool, without the network: records survive a reopen; a
 * torn or damaged last record is cut off and the rest kept; the batch in
 * flight is rebuilt byte for byte after a restart, under its number; the
 * spool keeps to its size by dropping the oldest records, counts them and
 * tells the server; every crash point of a rewrite leaves a spool that
 * opens to the right state. */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "spool.h"
#include "tap.h"

static char dir[] = "/tmp/wa-spool-XXXXXX";

static void
add(struct spool *s, int i)
{
	char rec[200];

	/* Non-ASCII, as titles are. */
	snprintf(rec, sizeof(rec), "{\"start\":\"2026-03-29T01:%02d:00Z\",\"duration_ms\":1000,"
	    "\"app\":\"App\",\"title\":\"record %d — é 漢字\",\"afk\":false}", i % 60, i);
	if (spool_append(s, rec, strlen(rec)) != 0)
		diag("append %d failed", i);
}

static long
file_size(const char *name)
{
	char path[256];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

static void
append_bytes(const char *name, const void *p, size_t n)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_APPEND);
	if (fd < 0 || write(fd, p, n) != (ssize_t)n)
		diag("cannot append to %s", path);
	close(fd);
}

int
main(void)
{
	struct spool s;
	struct buf b1 = { 0 }, b2 = { 0 };
	long long seq;
	long size;

	if (mkdtemp(dir) == NULL)
		return 1;
	log_level = LOG_ERROR + 1;

	ok(spool_open(&s, dir, 1 << 20, 0) == 0, "a new spool opens");
	for (int i = 0; i < 10; i++)
		add(&s, i);
	is_int(spool_pending(&s), 10, "ten records appended");
	spool_close(&s);
	ok(spool_open(&s, dir, 1 << 20, 0) == 0 && spool_pending(&s) == 10,
	    "... and all ten are there after a reopen");

	/* A batch in flight, then a crash: the same batch again. */
	ok(spool_batch(&s, 4, 1 << 20, &b1) == 0, "a batch of four");
	has_str(b1.p, "\"spans\":[{\"start\"", "... is the JSON the server reads");
	has_str(b1.p, "record 3 — é 漢字", "... with the fourth record");
	ok(strstr(b1.p, "record 4 ") == NULL, "... and not the fifth");
	seq = s.inflight_seq;
	spool_close(&s);
	spool_open(&s, dir, 1 << 20, 0);
	ok(s.inflight && s.inflight_seq == seq, "after a restart the batch is still in flight");
	spool_batch(&s, 100, 1 << 20, &b2);
	is_str(b2.p, b1.p, "... and is built again byte for byte, under its number");
	ok(spool_ack(&s) == 0 && spool_pending(&s) == 6, "acknowledged: six wait");
	spool_batch(&s, 100, 1 << 20, &b1);
	ok(s.inflight_seq == seq + 1, "the next batch has the next number");
	has_str(b1.p, "record 9 ", "... and holds the rest");
	spool_ack(&s);
	is_int(spool_pending(&s), 0, "all acknowledged");
	is_int(file_size("spool"), 20, "... and the file is down to its header");
	spool_close(&s);

	/* Torn tail: a header promising more than is there. */
	spool_open(&s, dir, 1 << 20, 0);
	add(&s, 10);
	add(&s, 11);
	spool_close(&s);
	size = file_size("spool");
	append_bytes("spool", "\x2c\x01\x00\x00\x39\x30\x00\x00{\"start\"", 16);
	spool_open(&s, dir, 1 << 20, 1);
	is_int(spool_pending(&s), 2, "read only (status): the torn record is not counted");
	is_int(file_size("spool"), size + 16, "... and nothing is cut");
	spool_close(&s);
	spool_open(&s, dir, 1 << 20, 0);
	is_int(s.torn_bytes, 16, "opened: the 16 torn bytes are found");
	is_int(file_size("spool"), size, "... and cut off");
	is_int(spool_pending(&s), 2, "... the two records before them kept");
	/* A whole last record whose bytes changed on disk. */
	add(&s, 12);
	spool_close(&s);
	{
		char path[256];
		int fd;

		snprintf(path, sizeof(path), "%s/spool", dir);
		fd = open(path, O_WRONLY);
		pwrite(fd, "X", 1, file_size("spool") - 3);
		close(fd);
	}
	spool_open(&s, dir, 1 << 20, 0);
	is_int(spool_pending(&s), 2, "a last record failing its CRC is dropped, not misread");
	spool_batch(&s, 100, 1 << 20, &b1);
	has_str(b1.p, "record 11 ", "... and the records before it go in the next batch");
	spool_ack(&s);
	spool_close(&s);

	/* The size bound: 4 KiB holds about twenty records. */
	spool_open(&s, dir, 4096, 0);
	for (int i = 100; i < 160; i++)
		add(&s, i);
	ok(file_size("spool") <= 4096, "the spool keeps to its size (%ld bytes)", file_size("spool"));
	ok(s.dropped > 20 && s.dropped + spool_pending(&s) == 60,
	    "the oldest records were dropped (%llu) and counted", (unsigned long long)s.dropped);
	spool_batch(&s, 1000, 1 << 20, &b1);
	has_str(b1.p, "record 159 ", "the newest is kept");
	ok(strstr(b1.p, "record 100 ") == NULL, "... the oldest is not");
	{
		char want[64];

		snprintf(want, sizeof(want), "\"spool_dropped\":%llu,", (unsigned long long)s.dropped);
		has_str(b1.p, want, "the batch tells the server how many were dropped");
	}
	spool_close(&s);
	spool_open(&s, dir, 4096, 1);
	ok(s.dropped > 20, "the count survives a restart (status reads it)");
	spool_close(&s);

	/* A crash after a rewrite put a newer file in place but before the
	 * state said so: the state is behind the file's first record. */
	{
		char path[256], *st;
		FILE *f;

		spool_open(&s, dir, 1 << 20, 0);
		while (spool_batch(&s, 1000, 1 << 20, &b1) == 0)
			spool_ack(&s);
		for (int i = 200; i < 205; i++)
			add(&s, i);
		spool_close(&s);
		snprintf(path, sizeof(path), "%s/spool.state", dir);
		st = read_file(path, NULL);
		f = fopen(path, "w");
		/* acked 0: older than everything */
		fprintf(f, "acked 0\nnext_batch 7\ndropped 0\nset_aside 0\n");
		fclose(f);
		spool_open(&s, dir, 1 << 20, 0);
		is_int(spool_pending(&s), 5, "a state behind the file: only the file's records wait");
		spool_close(&s);
		free(st);
	}
	buf_free(&b1);
	buf_free(&b2);
	{
		char cmd[300];

		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		if (system(cmd) != 0)
			diag("could not remove %s", dir);
	}
	return done_testing();
}
