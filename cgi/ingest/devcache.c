/* The devices this worker has seen, by their token's hash: a batch is
 * stored without a query of its own for the token first.
 *
 * An entry is only a claim.  store_group checks every batch's device
 * and token hash against devices and users in the transaction that
 * stores it (ST_INGEST_DEVICES_ACTIVE), so a token revoked, or an owner
 * disabled, a moment ago is refused as before, and its entry dropped
 * (devcache_forget); its last-seen time is written only after that
 * (devcache_stored).  What an entry cannot vouch for is the retention
 * period, an organisation-wide setting the batch's spans are checked
 * against: the worker keeps the one its last lookup read, and looks the
 * device up again when that is older than RETAIN_US, so a shortened
 * period applies within seconds.  Entries themselves stay: an agent
 * uploads once a minute, and a worker sees each device rarely.
 * (A revoked device's malformed request now gets its 400 or 415 before
 * the 401 it would have got first; either way nothing is stored, and
 * nothing of the device's changes.) */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "crypto.h"
#include "ingest.h"

/* Open addressing over 2^12 slots; full at three quarters, then it
 * starts again empty.  An organisation with more devices than that
 * uploading at once costs some of them a lookup each batch, as before. */
#define SLOTS		(1u << 12)
#define LIMIT		(SLOTS / 4 * 3)
#define RETAIN_US	(10LL * 1000000)
/* How often a worker writes a device's last-seen time for its batches
 * (ST_INGEST_DEVICE_BY_TOKEN's own rule for a lookup). */
#define SEEN_US		(30LL * 1000000)

struct entry {
	char		 hash[65];	/* "" empty; "-" forgotten */
	struct wt_device d;		/* kind and name owned by the entry */
	long long	 seen_us;	/* last-seen written */
};

static struct entry	table[SLOTS];
static unsigned		used;
static long long	retention_days, retention_us;	/* and when it was read */

static void
clear(void)
{
	for (unsigned i = 0; i < SLOTS; i++) {
		free(table[i].d.kind);
		free(table[i].d.name);
	}
	memset(table, 0, sizeof(table));
	used = 0;
}

/* The hash's slot, or the empty one where it would go. */
static struct entry *
find(const char *hash)
{
	unsigned i = (unsigned)strtoul((char[9]){ hash[0], hash[1], hash[2], hash[3], hash[4],
	    hash[5], hash[6], hash[7], '\0' }, NULL, 16) & (SLOTS - 1);

	while (table[i].hash[0] != '\0' && strcmp(table[i].hash, hash) != 0)
		i = (i + 1) & (SLOTS - 1);
	return &table[i];
}

/* d into to, with kind and name of its own. */
static void
assign(struct wt_device *to, const struct wt_device *d)
{
	*to = *d;
	to->kind = xstrdup(d->kind);
	to->name = xstrdup(d->name);
}

static struct wt_device *
copy(const struct wt_device *d)
{
	struct wt_device *c = xcalloc(1, sizeof(*c));

	assign(c, d);
	return c;
}

static void
put(const struct wt_device *d, long long now)
{
	struct entry *e;

	if (used >= LIMIT)
		clear();
	e = find(d->token_hash);
	if (e->hash[0] == '\0')
		used++;
	free(e->d.kind);
	free(e->d.name);
	memcpy(e->hash, d->token_hash, sizeof(e->hash));
	assign(&e->d, d);
	e->seen_us = now;
}

struct wt_err *
device_auth_cached(struct wt_req *r)
{
	char hash[65];
	long long now = clock_real_us();
	struct entry *c;
	struct wt_err *e;

	if ((e = device_token_shape(r)) != NULL)
		return e;
	sha256_hex(r->bearer, 64, hash);
	c = find(hash);
	if (c->hash[0] != '\0' && now - retention_us < RETAIN_US && now >= retention_us) {
		r->device = copy(&c->d);
		r->device->retention_days = retention_days;
		return NULL;
	}
	if ((e = device_auth_hash(r, hash)) != NULL) {
		devcache_forget(hash);
		return e;
	}
	put(r->device, now);
	retention_days = r->device->retention_days;
	retention_us = now;
	return NULL;
}

void
devcache_stored(const struct wt_device *d)
{
	long long now = clock_real_us();
	struct entry *c = find(d->token_hash);

	/* Only once the device is known to be active: a revoked one's
	 * malformed requests, refused before anything checks it, must not
	 * keep it looking alive. */
	if (c->hash[0] == '\0' || strcmp(c->hash, "-") == 0)
		return;
	if (now - c->seen_us >= SEEN_US || now < c->seen_us) {
		device_seen(c->d.id);
		c->seen_us = now;
	}
}

void
devcache_forget(const char *hash)
{
	struct entry *e = find(hash);

	/* Not emptied: the entries after it in its run must still be found. */
	if (e->hash[0] != '\0')
		strcpy(e->hash, "-");
}
