/* The daemon: one loop that polls the window system, turns samples into
 * spans on disk and runs its tasks (uploads, heartbeats, the policy, the
 * checkpoint of the open span) when they are due, with every request
 * going through one curl multi handle so the loop never blocks.
 *
 * To add work: a struct task with its own schedule (agent_add_task),
 * and/or a hook called after every poll with the sample (agent_on_poll);
 * screenshots (shots.c) use both. */
#ifndef WA_AGENT_H
#define WA_AGENT_H

#include <signal.h>
#include <stdint.h>

#include "backend.h"
#include "conf.h"
#include "net.h"
#include "policy.h"
#include "spool.h"
#include "tracker.h"

#define NEVER	INT64_MAX

struct agent;

struct task {
	const char	*name;
	int64_t		 due;		/* monotonic ms; NEVER: not scheduled */
	void		 (*run)(struct agent *, struct task *);
	struct task	*next;
};

struct poll_hook {
	void		 (*fn)(struct agent *, const struct sample *, void *ctx);
	void		*ctx;
	struct poll_hook *next;
};

struct agent {
	struct conf	 conf;
	struct policy	 pol;
	struct spool	 spool;
	struct tracker	 tr;
	struct net	 net;

	const struct backend *be;
	void		*bs;		/* the backend's connection, NULL when none */
	int64_t		 be_retry_at;
	char		 be_why[256];	/* why there is none */

	struct task	*tasks;
	struct poll_hook *hooks;
	int64_t		 next_poll;
	int		 afk;		/* as of the last poll */
	int64_t		 conf_mtime;

	/* uploads */
	struct req	 up, hb, cfg, shot_req;
	struct buf	 up_body, hb_body;
	int		 fails;		/* uploads failed in a row */
	int		 revoked;	/* the server refused the token */
	int		 flushing;

	/* what `worktime-agent status` shows (the status file) */
	int64_t		 started_ms, last_upload_ms, last_error_ms;
	char		 last_error[512];
	uint64_t	 flushes;
	char		 flush_result[512];
	char		 shots[256];	/* the screenshot policy in force, for people */
};

/* Effective settings: the local override, else the policy. */
int	 agent_poll_ms(const struct agent *);
int	 agent_idle_s(const struct agent *);

void	 agent_add_task(struct agent *, struct task *);
void	 agent_on_poll(struct agent *, struct poll_hook *);
/* Records an error for status (and the log). */
void	 agent_error(struct agent *, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void	 agent_write_status(struct agent *);

/* Puts the span a stopped agent had open (open.span) into the spool. */
void	 checkpoint_recover(struct spool *, const char *state_dir);

/* worktime-agent run */
int	 agent_run(struct conf *);

/* upload.c: the network tasks */
void	 uploads_init(struct agent *);
void	 uploads_free(struct agent *);
/* A flush was asked for: upload everything now. */
void	 uploads_flush(struct agent *);
/* The wait before try fails + 1 of an upload (doubling, with jitter). */
int64_t	 agent_backoff_ms(const struct agent *, int fails, long retry_after);
/* The server refused the device's token: uploads stop until a new one. */
void	 agent_revoked(struct agent *, const struct req *);

/* shots.c: screenshots on the policy's schedule, spooled and uploaded. */
struct jv;
struct shotsched;
void	 shots_init(struct agent *);
void	 shots_free(struct agent *);
/* The schedule and blur a policy document asks for (interval_s, when not
 * 0, replaces the interval: agent.conf's screenshot_interval_s). */
void	 shots_policy(const struct jv *doc, int interval_s, struct shotsched *, int *blur);
/* "off", or "on: one screenshot every 30 min ..., blurred ...". */
void	 shots_describe(const struct shotsched *, int blur, char *out, size_t outsz);
/* Screenshots waiting in state_dir's spool, and its counters. */
uint64_t shots_pending(const char *state_dir, uint64_t *dropped, uint64_t *rejected);

/* status.c: the status file the daemon writes and the commands read. */
struct status {
	long		 pid;
	int64_t		 started_ms, last_upload_ms, last_error_ms;
	char		 last_error[512];
	int		 revoked;
	char		 display[256];
	uint64_t	 flushes;
	char		 flush_result[512];
	char		 etag[128];
	char		 shots[256];
	uint64_t	 bytes_sent, bytes_received, connections;
};
int	 status_read(const char *state_dir, struct status *);
/* The running daemon's pid (it holds the lock), or 0. */
long	 daemon_pid(const char *state_dir);
/* Takes the daemon's lock; the fd, or -1 when another process has it. */
int	 lock_take(const char *state_dir);

int	 cmd_status(struct conf *);
int	 cmd_flush(struct conf *, int timeout_s);

#endif
