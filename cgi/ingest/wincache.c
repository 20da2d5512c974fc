#include "config.h"

#include <stdint.h>
#include <string.h>

#include <openssl/evp.h>

#include "db.h"
#include "wincache.h"

/* Open addressing over 2^16 slots of a 128-bit key and the id: about
 * 1.5 MiB a worker.  Full at three quarters; then it starts again empty
 * (the windows are still in the database). */
#define SLOTS	(1u << 16)
#define LIMIT	(SLOTS / 4 * 3)

struct slot {
	uint64_t	k[2];
	int		id;	/* 0: empty (ids start at 1) */
};

static struct slot	table[SLOTS];
static unsigned		used;
static unsigned		connection;	/* db_connection_number() the entries are from */

static void
forget_all(void)
{
	memset(table, 0, sizeof(table));
	used = 0;
}

/* Windows are interned without waiting for the disk (store.c): a server
 * that restarted since may have lost the last ones, and given their ids
 * to others.  A new connection starts the table again. */
static void
follow_connection(void)
{
	unsigned now = db_connection_number();

	if (now != connection) {
		forget_all();
		connection = now;
	}
}

/* SHA-256 of the length-prefixed triple, the first 128 bits: no two
 * triples share a key in practice, and nobody can make another person's
 * window collide with theirs. */
static int
key_of(const char *app, const char *title, size_t tlen, const char *url, size_t ulen,
    uint64_t k[2])
{
	static EVP_MD_CTX *c;
	static EVP_MD *sha256;
	unsigned char md[EVP_MAX_MD_SIZE];
	size_t alen = strlen(app);

	/* Fetched once: EVP_sha256() looks the implementation up again on
	 * every init, a tenth of a worker's time at 100 spans a batch. */
	if ((sha256 == NULL && (sha256 = EVP_MD_fetch(NULL, "SHA256", NULL)) == NULL) ||
	    (c == NULL && (c = EVP_MD_CTX_new()) == NULL) ||
	    EVP_DigestInit_ex2(c, sha256, NULL) != 1 ||
	    EVP_DigestUpdate(c, &alen, sizeof(alen)) != 1 ||
	    EVP_DigestUpdate(c, app, alen) != 1 ||
	    EVP_DigestUpdate(c, &tlen, sizeof(tlen)) != 1 ||
	    EVP_DigestUpdate(c, title, tlen) != 1 ||
	    EVP_DigestUpdate(c, url, ulen) != 1 ||
	    EVP_DigestFinal_ex(c, md, NULL) != 1)
		return -1;	/* then nothing is cached: the database answers */
	memcpy(k, md, 16);
	return 0;
}

static struct slot *
find(const uint64_t k[2])
{
	unsigned i = (unsigned)k[0] & (SLOTS - 1);

	while (table[i].id != 0 && (table[i].k[0] != k[0] || table[i].k[1] != k[1]))
		i = (i + 1) & (SLOTS - 1);
	return &table[i];
}

int
wincache_get(const char *app, const char *title, size_t tlen, const char *url, size_t ulen,
    int *id)
{
	uint64_t k[2];
	struct slot *s;

	follow_connection();
	if (key_of(app, title, tlen, url, ulen, k) != 0)
		return -1;
	s = find(k);
	if (s->id == 0)
		return -1;
	*id = s->id;
	return 0;
}

void
wincache_put(const char *app, const char *title, size_t tlen, const char *url, size_t ulen,
    int id)
{
	uint64_t k[2];
	struct slot *s;

	if (id <= 0)
		return;
	follow_connection();
	if (used >= LIMIT)
		forget_all();
	if (key_of(app, title, tlen, url, ulen, k) != 0)
		return;
	s = find(k);
	if (s->id == 0)
		used++;
	s->k[0] = k[0];
	s->k[1] = k[1];
	s->id = id;
}
