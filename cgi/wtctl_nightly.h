/* wtctl nightly: the daily maintenance job (retention, screenshots, the
 * report days kept for fast pages).  cgi/wtctl_nightly.c. */
#ifndef WT_WTCTL_NIGHTLY_H
#define WT_WTCTL_NIGHTLY_H

/* The command line's values as typed (NULL: not given); checked by
 * nightly_main. */
struct nightly_args {
	const char	*days;		/* settle the last N days (default: since last week's Monday) */
	const char	*person_timeout;	/* one person's days, at most (default 60s) */
	const char	*every;		/* run, then again every so long (default: once) */
	const char	*pidfile;	/* with every: the loop's pid file */
};

/* The job's statements, in the program's slot (instead of wtctl's own). */
int	nightly_register(void);
/* "90s", "15m", "24h", "2d" or plain seconds, 1 s to 366 days; -1 if not one. */
long	nightly_duration(const char *);
/* 0 when every step succeeded (or another run holds the lock), 1 when a
 * step failed, 2 for bad arguments. */
int	nightly_main(const struct nightly_args *);

#endif
