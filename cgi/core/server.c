/* wt_main: configuration, the listening socket, a supervisor that keeps N
 * single-threaded workers alive, and each worker's FastCGI loop.
 *
 * The supervisor opens the socket once and forks; every worker accepts on
 * the same socket, so a worker that dies costs at most its own request and
 * the others keep answering while it is replaced. */
#include "config.h"

#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcgiapp.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "clock.h"
#include "conf.h"
#include "decode.h"
#include "log.h"
#include "stream.h"

#define MAX_WORKERS	64

static volatile sig_atomic_t	stop_requested;
static volatile sig_atomic_t	in_request;

static ssize_t
fcgx_read(void *ctx, char *buf, size_t n)
{
	int want = n > 65536 ? 65536 : (int)n;

	return FCGX_GetStr(buf, want, ctx);
}

/* A streamed body's bytes go straight to nginx. */
static int
fcgx_sink(void *ctx, const char *data, size_t len)
{
	return FCGX_PutStr(data, (int)len, ctx) == (int)len ? 0 : -1;
}

/* The path as logged: from the first segment that starts with 32 or
 * more token characters (a link's single-use token sent in a path), cut
 * and replaced by "[token]", as nginx's log does (nginx/dev.conf.in). */
static char *
log_path(const char *path)
{
	struct wt_buf b;

	buf_init(&b);
	for (const char *seg = path; *seg != '\0'; ) {
		const char *next = strchr(seg + 1, '/');
		size_t run = strspn(seg + 1, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		    "0123456789_-");

		if (*seg == '/' && run >= 32) {
			buf_puts(&b, "/[token]");
			return buf_take(&b);
		}
		if (next == NULL) {
			buf_puts(&b, seg);
			break;
		}
		buf_append(&b, seg, (size_t)(next - seg));
		seg = next;
	}
	if (b.data == NULL)
		buf_puts(&b, "");
	return buf_take(&b);
}

static void
access_log(const struct wt_req *r, double ms, size_t bytes)
{
	char *logged = log_path(r->path);
	const char *path = utf8_valid(logged, strlen(logged)) ? logged : "(not UTF-8)";
	json_t *extra = json_pack("{ss ss si sf si ss}",
	    "method", r->head ? "HEAD" : r->method, "path", path,
	    "status", r->resp.status, "ms", ms, "bytes", (json_int_t)bytes,
	    "ip", r->remote_addr ? r->remote_addr : "");

	log_write(r->resp.status >= 500 ? WT_ERROR : WT_INFO, "request", extra,
	    "%s %s %d", r->head ? "HEAD" : r->method, path, r->resp.status);
	free(logged);
}

static void
worker_term(int sig)
{
	(void)sig;
	/* Idle in accept(): leave now.  Busy: finish the request first. */
	if (!in_request)
		_exit(0);
	stop_requested = 1;
}

static int
worker_loop(const struct wt_app *app, int listen_fd, size_t max_body)
{
	FCGX_Request fr;

	if (app->worker_init != NULL && app->worker_init() != 0) {
		log_error("worker", "initialisation failed");
		return 1;
	}
	/* Connect now so a bad conninfo shows up in the log at start;
	 * a failure is retried on each request. */
	(void)db_ensure();

	if (FCGX_InitRequest(&fr, listen_fd, 0) != 0) {
		log_error("worker", "FCGX_InitRequest failed");
		return 1;
	}
	while (!stop_requested) {
		struct wt_req r;
		struct wt_buf out;
		double t0;
		size_t streamed;
		char scratch[4096];

		if (FCGX_Accept_r(&fr) < 0) {
			if (stop_requested)
				break;
			log_error("worker", "accept failed: %s", strerror(errno));
			return 1;
		}
		in_request = 1;
		t0 = clock_mono_ms();
		req_init(&r, fr.envp);
		log_set_request(r.request_id);
		app_dispatch(app, &r, fcgx_read, fr.in, max_body);
		db_after_request();

		buf_init(&out);
		resp_serialize(&r, &out);
		FCGX_PutStr(out.data, (int)out.len, fr.out);
		streamed = resp_stream(&r, fcgx_sink, fr.out);
		db_after_request();
		/* Leave nothing unread: nginx must never see the connection
		 * closed while it is still sending a body we refused. */
		while (FCGX_GetStr(scratch, sizeof(scratch), fr.in) > 0)
			;
		access_log(&r, clock_mono_ms() - t0, r.head ? 0 : r.resp.body.len + streamed);
		buf_free(&out);
		req_free(&r);
		/* The answer goes out here (the request's environment with
		 * it); work deferred by the handler runs after. */
		FCGX_Finish_r(&fr);
		app_run_deferred();
		db_after_request();
		log_set_request(NULL);
		in_request = 0;
	}
	db_close();
	return 0;
}

struct worker {
	pid_t	pid;
	double	started;
};

static volatile sig_atomic_t	got_sigchld, got_term;

static void
supervisor_signal(int sig)
{
	if (sig == SIGCHLD)
		got_sigchld = 1;
	else
		got_term = 1;
}

static void
worker_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = worker_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGCHLD, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
}

static pid_t
spawn(const struct wt_app *app, int fd, size_t max_body, const sigset_t *orig)
{
	pid_t parent = getpid(), pid = fork();

	if (pid < 0) {
		log_error("supervisor", "fork failed: %s", strerror(errno));
		return -1;
	}
	if (pid > 0)
		return pid;
	/* Worker: die with the supervisor, even if it is killed with -9. */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != parent)
		_exit(0);
	/* Handlers first, then unblock: a SIGTERM pending since before the
	 * fork must reach the worker's handler, not the supervisor's. */
	worker_signals();
	sigprocmask(SIG_SETMASK, orig, NULL);
	_exit(worker_loop(app, fd, max_body));
}

static int
supervise(const struct wt_app *app, int fd, int nworkers, size_t max_body,
    const char *pidfile, const char *socket_path)
{
	struct worker workers[MAX_WORKERS];
	sigset_t block, orig;
	struct sigaction sa;
	pid_t me = getpid();

	memset(workers, 0, sizeof(workers));
	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, &orig);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = supervisor_signal;
	sigaction(SIGCHLD, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	for (int i = 0; i < nworkers; i++) {
		workers[i].pid = spawn(app, fd, max_body, &orig);
		workers[i].started = clock_mono_ms();
	}
	log_info("supervisor", "started %d workers on %s", nworkers, socket_path);

	while (!got_term) {
		sigset_t wait_mask = orig;
		int status;
		pid_t pid;

		sigdelset(&wait_mask, SIGCHLD);
		sigdelset(&wait_mask, SIGTERM);
		sigdelset(&wait_mask, SIGINT);
		if (!got_sigchld)
			sigsuspend(&wait_mask);
		got_sigchld = 0;
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
			for (int i = 0; i < nworkers; i++) {
				if (workers[i].pid != pid)
					continue;
				log_warn("supervisor", "worker %d exited (%s %d); respawning",
				    (int)pid, WIFSIGNALED(status) ? "signal" : "status",
				    WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
				/* A worker that dies at once would otherwise be
				 * respawned in a tight loop. */
				if (clock_mono_ms() - workers[i].started < 1000.0 && !got_term)
					sleep(1);
				if (got_term)
					break;
				workers[i].pid = spawn(app, fd, max_body, &orig);
				workers[i].started = clock_mono_ms();
			}
		}
	}

	log_info("supervisor", "stopping %d workers", nworkers);
	for (int i = 0; i < nworkers; i++)
		if (workers[i].pid > 0)
			kill(workers[i].pid, SIGTERM);
	for (int waited = 0; waited < 100; waited++) {
		int alive = 0;

		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		for (int i = 0; i < nworkers; i++)
			if (workers[i].pid > 0 && kill(workers[i].pid, 0) == 0)
				alive = 1;
		if (!alive)
			break;
		usleep(100 * 1000);
	}
	for (int i = 0; i < nworkers; i++)
		if (workers[i].pid > 0 && kill(workers[i].pid, 0) == 0)
			kill(workers[i].pid, SIGKILL);
	while (waitpid(-1, NULL, 0) > 0)
		;
	if (getpid() == me) {
		if (pidfile != NULL)
			unlink(pidfile);
		if (socket_path[0] != ':')
			unlink(socket_path);
	}
	return 0;
}

int
pidfile_write(const char *path)
{
	FILE *f = fopen(path, "w");

	if (f == NULL) {
		log_error("supervisor", "%s: %s", path, strerror(errno));
		return -1;
	}
	fprintf(f, "%ld\n", (long)getpid());
	return fclose(f) == 0 ? 0 : -1;
}

static void
usage(const char *prog)
{
	fprintf(stderr, "usage: %s [--config FILE] [--socket PATH|:PORT] "
	    "[--workers N] [--pidfile FILE]\n", prog);
}

int
wt_main(int argc, char **argv, const struct wt_app *app)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "socket", required_argument, NULL, 's' },
		{ "workers", required_argument, NULL, 'w' },
		{ "pidfile", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *config_path = getenv("WORKTIME_CONFIG"), *pidfile = NULL, *sock;
	const char *socket_opt = NULL, *workers_opt = NULL;
	static const enum wt_level levels[] = { WT_DEBUG, WT_INFO, WT_WARN, WT_ERROR };
	char *err = NULL;
	int c, fd, nworkers;

	if (argc == 2 && strcmp(argv[1], "--access-table") == 0)
		return app_print_access(app);
	while ((c = getopt_long(argc, argv, "c:s:w:p:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c': config_path = optarg; break;
		case 's': socket_opt = optarg; break;
		case 'w': workers_opt = optarg; break;
		case 'p': pidfile = optarg; break;
		default:
			usage(argv[0]);
			return c == 'h' ? 0 : 2;
		}
	}
	log_setup(app->name, WT_INFO);
	/* A route without an access rule never serves a request. */
	if (app_check_routes(app) != 0)
		return 1;
	if (config_load(config_path, &err) != 0)
		goto config_error;
	if (socket_opt != NULL)
		config_set("server.socket", socket_opt);
	if (workers_opt != NULL)
		config_set("server.workers", workers_opt);
	if (config_apply(&err) != 0)
		goto config_error;
	log_setup(app->name, levels[wt_cfg.log_level]);
	sock = wt_cfg.server_socket;
	if (*sock == '\0') {
		log_error("config", "server.socket is not set (or pass --socket)");
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	db_setup(wt_cfg.db_conninfo, app->name);
	db_set_replica(wt_cfg.db_replica_conninfo);
	if (app_db_setup(app) != 0)
		return 1;

	if (FCGX_Init() != 0) {
		log_error("startup", "FCGX_Init failed");
		return 1;
	}
	/* The socket is for nginx, running as the same user: no one else. */
	umask(0077);
	if (sock[0] != ':')
		unlink(sock);
	if ((fd = FCGX_OpenSocket(sock, 128)) < 0) {
		log_error("startup", "cannot listen on %s: %s", sock, strerror(errno));
		return 1;
	}
	if (pidfile != NULL && pidfile_write(pidfile) != 0)
		return 1;
	/* server.workers = 0 (one process, for gdb) holds for every program. */
	nworkers = (int)(wt_cfg.server_workers == 0 ? 0 :
	    app->workers != NULL ? *app->workers : wt_cfg.server_workers);
	if (nworkers == 0) {
		/* One process, no supervisor: for gdb and valgrind. */
		int rc;

		worker_signals();
		rc = worker_loop(app, fd, (size_t)wt_cfg.http_max_body);

		if (pidfile != NULL)
			unlink(pidfile);
		return rc;
	}
	/* Memory the workers share is mapped before they fork; without it
	 * the program still runs. */
	if (app->supervisor_init != NULL)
		(void)app->supervisor_init(nworkers);
	return supervise(app, fd, nworkers, (size_t)wt_cfg.http_max_body,
	    pidfile, sock);

config_error:
	log_error("config", "%s", err);
	free(err);
	return 1;
}
