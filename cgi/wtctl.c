/* wtctl: administration from the shell, for what must happen before
 * anyone can sign in (the first admin account), and the jobs that run
 * beside the programs (the mail sender, the nightly job: wtctl_nightly.c). */
#include "config.h"

#include <sys/prctl.h>
#include <sys/wait.h>

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "app.h"
#include "conf.h"
#include "crypto.h"
#include "db.h"
#include "decode.h"
#include "http.h"
#include "log.h"
#include "mail.h"
#include "password.h"
#include "session.h"
#include "shotstore.h"
#include "wtctl_nightly.h"

enum ctl_stmt {
	ST_CTL_ADMIN_EXISTS = WT_STMT_BASE(WT_SLOT_APP),
	ST_CTL_CREATE_USER,
	ST_CTL_HISTORY_ADD,
	ST_CTL_CREATE_ADMIN,
	ST_CTL_END
};

static const struct wt_stmt stmts[ST_CTL_END - WT_STMT_BASE(WT_SLOT_APP)] = {
	STMT(ST_CTL_ADMIN_EXISTS) = { "ctl_admin_exists",
	  "SELECT email FROM users WHERE role = 'admin' ORDER BY id LIMIT 1", 0, 1 },
	STMT(ST_CTL_CREATE_USER) = { "ctl_create_user",
	  "INSERT INTO users (email, display_name, password_hash, role, status,"
	  " email_verified_at, password_changed_at)"
	  " VALUES (email_normalize($1), $2, $3, $4, 'active', now(), now()) RETURNING id", 4, 0 },
	STMT(ST_CTL_HISTORY_ADD) = { "ctl_history_add",
	  "INSERT INTO password_history (user_id, password_hash) VALUES ($1, $2)", 2, 0 },
	STMT(ST_CTL_CREATE_ADMIN) = { "ctl_create_admin",
	  "INSERT INTO users (email, display_name, password_hash, role, status) "
	  "VALUES (email_normalize($1), $2, $3, 'admin', 'active') RETURNING id", 3, 0 },
};

/* 20 characters from 62 symbols: about 119 bits. */
static int
random_password(char *out, size_t len)
{
	static const char alphabet[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	unsigned char b;
	size_t i = 0;

	while (i < len) {
		if (random_bytes(&b, 1) != 0)
			return -1;
		if (b >= 248)	/* 248 = 4 * 62: reject to avoid modulo bias */
			continue;
		out[i++] = alphabet[b % 62];
	}
	out[len] = '\0';
	return 0;
}

static int
create_admin(const char *email, const char *name)
{
	char pw[21], mcf[WT_MCF_LEN];
	const char *params[3];
	PGresult *res;

	if (!valid_email(email)) {
		fprintf(stderr, "wtctl: '%s' is not an e-mail address\n", email);
		return 2;
	}
	if ((res = db_exec(ST_CTL_ADMIN_EXISTS, 0, NULL)) == NULL)
		return 1;
	if (PQntuples(res) > 0) {
		printf("admin exists: %s\n", PQgetvalue(res, 0, 0));
		PQclear(res);
		return 0;
	}
	PQclear(res);
	if (random_password(pw, 20) != 0 || password_hash(pw, mcf) != 0) {
		fprintf(stderr, "wtctl: cannot make a password\n");
		return 1;
	}
	params[0] = email;
	params[1] = name;
	params[2] = mcf;
	if ((res = db_exec(ST_CTL_CREATE_ADMIN, 3, params)) == NULL)
		return 1;
	PQclear(res);
	printf("admin created\nemail: %s\npassword: %s\n", email, pw);
	OPENSSL_cleanse(pw, sizeof(pw));
	return 0;
}

/* Sends one message through the configured transport at once, not
 * through the outbox: how an admin checks the mail settings, and how the
 * tests prove the SMTP path. */
static int
send_test_mail(const char *to)
{
	char *why = NULL;

	if (mail_send_now(to, "Worktime test message", "This is a test message from "
	    "Worktime: if you read it, e-mail from this server works.\n", &why) != 0) {
		fprintf(stderr, "wtctl: sending to '%s' failed: %s\n", to, why);
		free(why);
		return valid_email(to) ? 1 : 2;
	}
	printf("sent a test message to %s through the %s transport\n", to,
	    wt_cfg.mail_transport == MAIL_SMTP ? "smtp" : "file");
	return 0;
}

static volatile sig_atomic_t sender_stop;

static void
sender_signal(int sig)
{
	(void)sig;
	sender_stop = 1;
}

/* The outbox's sender: sends what is due, then sleeps until a new
 * message is queued (NOTIFY) or the next retry may be due.  Runs until
 * SIGTERM; ./stack starts it and starts it again if it dies.  With
 * --once it sends what is due and exits (tests, cron). */
static int
mail_sender(int once)
{
	struct sigaction sa;
	int listening = 0, failed, sent, idle_ms = 2000;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = sender_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	log_info("mail_sender", "started (%s transport)",
	    wt_cfg.mail_transport == MAIL_SMTP ? "smtp" : "file");
	while (!sender_stop) {
		if (!listening && db_listen("mail_outbox") == 0)
			listening = 1;
		sent = mail_send_due(20, &failed);
		if (sent < 0) {
			/* The database is away: try again in a while. */
			listening = 0;
			if (once)
				return 1;
			sleep(2);
			continue;
		}
		if (sent + failed > 0)
			log_info("mail_sender", "sent %d, failed %d", sent, failed);
		if (once && sent + failed == 0)
			return 0;
		if (sent + failed == 20)
			continue;	/* more may be due at once */
		if (!once && db_wait_notify(idle_ms) < 0)
			listening = 0;
	}
	log_info("mail_sender", "stopped");
	return 0;
}

static volatile sig_atomic_t	child_pid;

static void
forward_signal(int sig)
{
	sender_stop = 1;
	if (child_pid > 0)
		kill((pid_t)child_pid, sig);
}

/* Keeps one sender alive: a sender that crashes (or is killed) is
 * started again a second later, so queued mail is never stranded until
 * someone notices.  SIGTERM stops both. */
static int
mail_sender_supervised(const char *pidfile)
{
	struct sigaction sa;

	if (pidfile != NULL && pidfile_write(pidfile) != 0)
		return 1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = forward_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	while (!sender_stop) {
		pid_t pid = fork();
		int status;

		if (pid < 0) {
			log_error("mail_sender", "fork failed: %s", strerror(errno));
			sleep(1);
			continue;
		}
		if (pid == 0) {
			prctl(PR_SET_PDEATHSIG, SIGTERM);
			_exit(mail_sender(0));
		}
		child_pid = pid;
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		child_pid = 0;
		if (sender_stop)
			break;
		log_warn("mail_sender", "sender exited (%s %d); starting it again",
		    WIFSIGNALED(status) ? "signal" : "status",
		    WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
		sleep(1);
	}
	if (pidfile != NULL)
		unlink(pidfile);
	return 0;
}

/* An account made from the shell (closed registration, scripts): the
 * password comes on standard input, never on the command line where
 * other users could read it in the process list. */
static int
create_user(const char *email, const char *name, const char *role)
{
	char pw[1100], mcf[WT_MCF_LEN], id[32];
	const char *params[4], *why;
	PGresult *res;
	size_t n;

	if (!valid_email(email)) {
		fprintf(stderr, "wtctl: '%s' is not an e-mail address\n", email);
		return 2;
	}
	if (check_one_line(name) != NULL || !utf8_valid_str(name) || *name == '\0') {
		fprintf(stderr, "wtctl: the name must be one line of text without control "
		    "characters\n");
		return 2;
	}
	if (strcmp(role, "member") != 0 && strcmp(role, "manager") != 0 &&
	    strcmp(role, "admin") != 0) {
		fprintf(stderr, "wtctl: role must be member, manager or admin\n");
		return 2;
	}
	if (fgets(pw, sizeof(pw), stdin) == NULL) {
		fprintf(stderr, "wtctl: give the password on standard input\n");
		return 2;
	}
	n = strcspn(pw, "\r\n");
	pw[n] = '\0';
	if ((why = password_policy(pw, email, name)) != NULL) {
		fprintf(stderr, "wtctl: the password %s\n", why);
		OPENSSL_cleanse(pw, sizeof(pw));
		return 2;
	}
	if (password_hash(pw, mcf) != 0) {
		OPENSSL_cleanse(pw, sizeof(pw));
		return 1;
	}
	OPENSSL_cleanse(pw, sizeof(pw));
	params[0] = email;
	params[1] = name;
	params[2] = mcf;
	params[3] = role;
	if (db_begin() != 0 || (res = db_exec(ST_CTL_CREATE_USER, 4, params)) == NULL) {
		fprintf(stderr, "wtctl: could not create the account%s\n",
		    strcmp(db_sqlstate(), SQLSTATE_UNIQUE_VIOLATION) == 0 ?
		    ": the address has one already" : "");
		db_rollback();
		return 1;
	}
	snprintf(id, sizeof(id), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	params[0] = id;
	params[1] = mcf;
	if ((res = db_exec(ST_CTL_HISTORY_ADD, 2, params)) == NULL || db_commit() != 0) {
		if (res != NULL)
			PQclear(res);
		db_rollback();
		return 1;
	}
	PQclear(res);
	printf("%s\n", id);
	return 0;
}

/* The retention job's screenshot part (run it daily, from cron or a
 * timer): screenshots older than the retention period go, and every file
 * no screenshot names any more, whatever deleted it. */
static int
expire_screenshots(void)
{
	long long deleted, files;

	if (shots_expire(&deleted, &files) != 0) {
		fprintf(stderr, "wtctl: expiring screenshots failed; see the log\n");
		return 1;
	}
	printf("expired %lld screenshot(s) past the retention period; removed %lld file(s) "
	    "from the store\n", deleted, files);
	return 0;
}

static void
usage(void)
{
	fprintf(stderr, "usage: wtctl [--config FILE] create-admin [--email E] [--name N]\n"
	    "       wtctl [--config FILE] create-user --email E --name N [--role R] < password\n"
	    "       wtctl [--config FILE] send-test-mail ADDRESS\n"
	    "       wtctl [--config FILE] mail-sender [--once | --pidfile FILE]\n"
	    "       wtctl [--config FILE] expire-screenshots\n"
	    "       wtctl [--config FILE] nightly [--days N] [--person-timeout T]"
	    " [--every T [--pidfile FILE]]\n");
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "email", required_argument, NULL, 'e' },
		{ "name", required_argument, NULL, 'n' },
		{ "role", required_argument, NULL, 'r' },
		{ "once", no_argument, NULL, 'o' },
		{ "pidfile", required_argument, NULL, 'p' },
		{ "days", required_argument, NULL, 'D' },
		{ "person-timeout", required_argument, NULL, 'T' },
		{ "every", required_argument, NULL, 'E' },
		{ NULL, 0, NULL, 0 }
	};
	const char *config_path = getenv("WORKTIME_CONFIG");
	const char *pidfile = NULL;
	struct nightly_args nightly = { NULL, NULL, NULL, NULL };
	const char *email = "admin@worktime.test", *name = "Administrator", *role = "member";
	char *err = NULL;
	int c, rc, once = 0;

	while ((c = getopt_long(argc, argv, "c:e:n:r:op:D:T:E:", opts, NULL)) != -1) {
		switch (c) {
		case 'c': config_path = optarg; break;
		case 'e': email = optarg; break;
		case 'n': name = optarg; break;
		case 'r': role = optarg; break;
		case 'o': once = 1; break;
		case 'p': pidfile = optarg; break;
		case 'D': nightly.days = optarg; break;
		case 'T': nightly.person_timeout = optarg; break;
		case 'E': nightly.every = optarg; break;
		default: usage(); return 2;
		}
	}
	if (optind >= argc) {
		usage();
		return 2;
	}
	log_setup("wtctl", WT_WARN);
	if (config_load(config_path, &err) != 0) {
		fprintf(stderr, "wtctl: %s\n", err);
		return 1;
	}
	if (strcmp(argv[optind], "send-test-mail") == 0) {
		if (optind + 1 >= argc) {
			usage();
			return 2;
		}
		return send_test_mail(argv[optind + 1]);
	}
	if (strcmp(argv[optind], "create-admin") != 0 &&
	    strcmp(argv[optind], "create-user") != 0 &&
	    strcmp(argv[optind], "mail-sender") != 0 &&
	    strcmp(argv[optind], "expire-screenshots") != 0 &&
	    strcmp(argv[optind], "nightly") != 0) {
		usage();
		return 2;
	}
	db_setup(wt_cfg.db_conninfo, "wtctl");
	if (session_register() != 0 || mail_register() != 0 || shots_register() != 0)
		return 1;
	/* The nightly job has statements of its own in the program's slot. */
	if (strcmp(argv[optind], "nightly") == 0) {
		nightly.pidfile = pidfile;
		if (nightly_register() != 0)
			return 1;
		rc = nightly_main(&nightly);
		db_close();
		return rc;
	}
	if (db_register(WT_SLOT_APP, (struct wt_stmt_table)WT_STMT_TABLE(stmts)) != 0)
		return 1;
	if (strcmp(argv[optind], "mail-sender") == 0) {
		log_setup("mail-sender", WT_INFO);
		rc = once ? mail_sender(1) : mail_sender_supervised(pidfile);
		db_close();
		return rc;
	}
	if (db_ensure() != 0)
		return 1;
	if (strcmp(argv[optind], "expire-screenshots") == 0)
		rc = expire_screenshots();
	else if (strcmp(argv[optind], "create-user") == 0)
		rc = create_user(email, name, role);
	else
		rc = create_admin(email, name);
	db_close();
	return rc;
}
