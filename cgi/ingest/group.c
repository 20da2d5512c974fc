/* The workers' shared queue of batches (group.h says why and how). */
#include "config.h"

#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "batch.h"
#include "group.h"
#include "log.h"

/* Transactions at once: two leaders keep both of PostgreSQL's cores
 * busy while the other workers queue. */
#define GROUP_LANES	2
/* A waiting worker looks this often whether its leader is still alive. */
#define WAIT_NS		(200 * 1000 * 1000L)

enum { S_FREE, S_QUEUED, S_TAKEN, S_STORED, S_FAILED };

struct slot {
	pid_t		owner;	/* the worker it belongs to; 0: nobody's */
	pid_t		leader;	/* while S_TAKEN: who is storing it */
	int		state;
	/* The owner sleeps on this word (a futex), and whoever changes what
	 * it waits for bumps it and wakes it.  Not a condition variable:
	 * glibc's hang for good in a broadcast once a process waiting on
	 * one has been killed. */
	uint32_t	wakes;
};

struct shared {
	pthread_mutex_t	mu;
	pid_t		leaders[GROUP_LANES];
	int		nslots;
	/* Since the last report in the log (once a minute at most). */
	long long	groups, batches;
	time_t		reported;
	struct slot	slot[];
};

static struct shared	*sh;
static char		*area;		/* the slots' batches, bsize bytes each */
static size_t		 bsize;
static int		 mine = -1;

static struct gbatch *
batch_of(int i)
{
	return (struct gbatch *)(void *)(area + (size_t)i * bsize);
}

int
group_setup(int nslots)
{
	pthread_mutexattr_t ma;
	size_t head = sizeof(struct shared) + (size_t)nslots * sizeof(struct slot);
	char *p;

	head = (head + 63) & ~(size_t)63;
	bsize = (sizeof(struct gbatch) + WT_BATCH_MAX_SPANS * sizeof(struct gspan) +
	    group_text_cap() + 63) & ~(size_t)63;
	/* Pages are touched only when a slot is used: a worker's batch. */
	p = mmap(NULL, head + (size_t)nslots * bsize, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		log_error("group", "mmap of %d slots: %s; batches are stored one at a time",
		    nslots, strerror(errno));
		return -1;
	}
	sh = (struct shared *)(void *)p;
	area = p + head;
	sh->nslots = nslots;
	/* Shared between processes, and robust: a worker killed while it
	 * holds the lock (it holds it for microseconds) does not stop the
	 * others. */
	if (pthread_mutexattr_init(&ma) != 0 ||
	    pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED) != 0 ||
	    pthread_mutexattr_setrobust(&ma, PTHREAD_MUTEX_ROBUST) != 0 ||
	    pthread_mutex_init(&sh->mu, &ma) != 0) {
		log_error("group", "shared lock set-up failed; batches are stored one at a time");
		munmap(p, head + (size_t)nslots * bsize);
		sh = NULL;
		return -1;
	}
	return 0;
}

static void
lock(void)
{
	if (pthread_mutex_lock(&sh->mu) == EOWNERDEAD)
		pthread_mutex_consistent(&sh->mu);
}

static void
unlock(void)
{
	pthread_mutex_unlock(&sh->mu);
}

/* Wakes the owner of slot i, if it sleeps.  Under the lock. */
static void
wake(int i)
{
	__atomic_add_fetch(&sh->slot[i].wakes, 1, __ATOMIC_SEQ_CST);
	syscall(SYS_futex, &sh->slot[i].wakes, FUTEX_WAKE, 1, NULL, NULL, 0);
}

/* Sleeps until the slot is woken after its wakes counter read seen, or
 * WAIT_NS passed.  Without the lock. */
static void
sleep_on(int i, uint32_t seen)
{
	struct timespec ts = { 0, WAIT_NS };

	syscall(SYS_futex, &sh->slot[i].wakes, FUTEX_WAIT, seen, &ts, NULL, 0);
}

static int
alive(pid_t pid)
{
	return pid > 0 && (kill(pid, 0) == 0 || errno != ESRCH);
}

int
group_attach(void)
{
	pid_t me = getpid();

	if (sh == NULL)
		return -1;
	lock();
	for (int i = 0; i < sh->nslots; i++) {
		struct slot *s = &sh->slot[i];

		/* A dead worker's slot, once nobody is storing its batch. */
		if ((s->owner == 0 || !alive(s->owner)) &&
		    (s->state == S_FREE || s->state == S_STORED || s->state == S_FAILED)) {
			s->owner = me;
			s->state = S_FREE;
			mine = i;
			break;
		}
	}
	unlock();
	if (mine < 0)
		log_warn("group", "no free slot of %d; this worker stores batches alone",
		    sh->nslots);
	return mine >= 0 ? 0 : -1;
}

/* The literals of a batch's misses are at most its body (every character
 * of a string is one in the body, a quote or backslash doubled in both,
 * and a span's JSON has more punctuation than the literals' quotes and
 * commas), so a mebibyte holds those of any batch of the default size
 * limit; a bigger one is interned by its worker (batch_windows). */
size_t
group_text_cap(void)
{
	return ((size_t)1 << 20) + 3 * 4 * WT_BATCH_MAX_SPANS + 16;
}

struct gbatch *
group_slot(void)
{
	struct gbatch *g;

	if (mine < 0)
		return NULL;
	g = batch_of(mine);
	g->text_cap = group_text_cap();
	return g;
}

/* A leader that died took its batches with it: they are queued again (a
 * committed one is found by its key and answered as sent twice).  Under
 * the lock. */
static void
reap_leaders(void)
{
	for (int l = 0; l < GROUP_LANES; l++) {
		pid_t dead = sh->leaders[l];

		if (dead == 0 || alive(dead))
			continue;
		log_warn("group", "leader %d is gone; its batches are queued again", (int)dead);
		for (int i = 0; i < sh->nslots; i++)
			if (sh->slot[i].state == S_TAKEN && sh->slot[i].leader == dead) {
				sh->slot[i].state = S_QUEUED;
				wake(i);
			}
		sh->leaders[l] = 0;
	}
}

/* The worker's own batch and every other queued one, one per device (a
 * device's batches are stored one after the other, each trimmed against
 * the last).  Under the lock. */
static int
take(pid_t me, struct gbatch **g, int *idx)
{
	int n = 0;

	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < sh->nslots && n < GROUP_BATCHES; i++) {
			struct slot *s = &sh->slot[i];
			int clash = 0;

			if (s->state != S_QUEUED || (pass == 0) != (i == mine))
				continue;
			for (int k = 0; k < n; k++)
				if (g[k]->device == batch_of(i)->device)
					clash = 1;
			if (clash)
				continue;
			s->state = S_TAKEN;
			s->leader = me;
			idx[n] = i;
			g[n++] = batch_of(i);
		}
	return n;
}

static int
free_lane(void)
{
	for (int l = 0; l < GROUP_LANES; l++)
		if (sh->leaders[l] == 0)
			return l;
	return -1;
}

/* How well batches are grouped, for whoever tunes GROUP_LANES and
 * ingest.workers.  Under the lock. */
static void
note(int n)
{
	time_t now = time(NULL);

	sh->groups++;
	sh->batches += n;
	if (sh->reported == 0)
		sh->reported = now;
	if (now - sh->reported < 60)
		return;
	log_info("group", "%lld batches in %lld transactions (%.1f a transaction) in %lld s",
	    sh->batches, sh->groups, (double)sh->batches / (double)sh->groups,
	    (long long)(now - sh->reported));
	sh->groups = sh->batches = 0;
	sh->reported = now;
}

/* Leads one group: stores it with no lock held, then tells its owners. */
static void
lead(pid_t me, int lane)
{
	struct gbatch *g[GROUP_BATCHES];
	int idx[GROUP_BATCHES], n, st;
	struct wt_err *e;

	n = take(me, g, idx);
	sh->leaders[lane] = me;
	unlock();
	e = store_group(g, n);
	if (e != NULL) {
		log_warn("group", "a group of %d batches failed (%d %s); each is stored alone",
		    n, e->status, e->msg);
		err_free(e);
	}
	lock();
	note(n);
	st = e == NULL ? S_STORED : S_FAILED;
	for (int k = 0; k < n; k++) {
		sh->slot[idx[k]].state = st;
		wake(idx[k]);
	}
	sh->leaders[lane] = 0;
	/* The lane is free: one worker still queued leads the next group
	 * (the others are in it, or wake on their own within WAIT_NS). */
	for (int i = 0; i < sh->nslots; i++)
		if (sh->slot[i].state == S_QUEUED && alive(sh->slot[i].owner)) {
			wake(i);
			break;
		}
}

int
group_store(void)
{
	pid_t me = getpid();
	int st, lane;

	if (mine < 0)
		return GROUP_OFF;
	lock();
	sh->slot[mine].state = S_QUEUED;
	for (;;) {
		uint32_t seen;

		st = sh->slot[mine].state;
		if (st == S_STORED || st == S_FAILED)
			break;
		reap_leaders();
		if (st == S_QUEUED && (lane = free_lane()) >= 0) {
			lead(me, lane);
			continue;
		}
		seen = __atomic_load_n(&sh->slot[mine].wakes, __ATOMIC_SEQ_CST);
		unlock();
		sleep_on(mine, seen);
		lock();
	}
	sh->slot[mine].state = S_FREE;
	unlock();
	return st == S_STORED ? GROUP_STORED : GROUP_FAILED;
}
