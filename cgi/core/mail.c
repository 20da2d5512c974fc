#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <openssl/crypto.h>

#include "conf.h"
#include "crypto.h"
#include "http.h"
#include "log.h"
#include "mail.h"

struct message {
	const char	*to;
	const char	*data;
	size_t		 len;
};

/* ST_MAIL_DUE's columns. */
enum { C_DUE_ID, C_DUE_TO, C_DUE_MESSAGE, C_DUE_ATTEMPTS };

static const struct wt_stmt mail_stmts[] = {
	/* One address's messages are queued one transaction at a time, so
	 * two requests cannot both see room for one more. */
	STMT(ST_MAIL_LOCK) = { "mail_lock",
	  "SELECT pg_advisory_xact_lock(7242002, hashtext(email_normalize($1)))", 1, 0 },
	/* No row when the address has had its messages for the hour: every
	 * message goes through here, so no route (or nginx mistake) can
	 * make the server a mail cannon aimed at one address. */
	STMT(ST_MAIL_QUEUE) = { "mail_queue",
	  "INSERT INTO mail_outbox (to_addr, message) SELECT $1, $2"
	  " WHERE (SELECT count(*) FROM mail_outbox WHERE email_normalize(to_addr) ="
	  " email_normalize($1) AND created_at > now() - interval '1 hour') < $3::int"
	  " RETURNING id", 3, 0 },
	/* SKIP LOCKED: two senders never send one message twice. */
	STMT(ST_MAIL_DUE) = { "mail_due",
	  "SELECT id, to_addr, message, attempts FROM mail_outbox"
	  " WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= now()"
	  " ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED", 1, 0 },
	STMT(ST_MAIL_SENT) = { "mail_sent",
	  "UPDATE mail_outbox SET sent_at = now(), attempts = attempts + 1,"
	  " last_error = NULL WHERE id = $1", 1, 0 },
	STMT(ST_MAIL_RETRY) = { "mail_retry",
	  "UPDATE mail_outbox SET attempts = attempts + 1, last_error = $2,"
	  " next_attempt_at = now() + make_interval(secs => $3::int),"
	  " failed_at = CASE WHEN attempts + 1 >= $4::int THEN now() END"
	  " WHERE id = $1", 4, 0 },
	STMT(ST_MAIL_STATUS) = { "mail_status",
	  "SELECT count(*) FILTER (WHERE sent_at IS NULL AND failed_at IS NULL),"
	  " count(*) FILTER (WHERE failed_at IS NOT NULL),"
	  " (SELECT last_error FROM mail_outbox WHERE last_error IS NOT NULL"
	  "  ORDER BY id DESC LIMIT 1)"
	  " FROM mail_outbox", 0, 1 },
};

int
mail_register(void)
{
	return db_register(WT_SLOT_MAIL, (struct wt_stmt_table)WT_STMT_TABLE(mail_stmts));
}

long
mail_backoff(int attempts)
{
	long s = 30;

	for (int i = 1; i < attempts && s < 3600; i++)
		s *= 2;
	return s < 3600 ? s : 3600;
}

/* The bare address inside "Name <addr>" or the whole string. */
static char *
bare_address(const char *s)
{
	const char *lt = strrchr(s, '<'), *gt;

	if (lt != NULL && (gt = strchr(lt, '>')) != NULL)
		return xstrndup(lt + 1, (size_t)(gt - lt - 1));
	return xstrdup(s);
}

void
mail_format(struct wt_buf *b, const char *from, const char *to,
    const char *subject, const char *body)
{
	char date[64], id[33], *domain, *addr;
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
	if (random_token_hex(16, id) != 0)
		snprintf(id, sizeof(id), "%ld%d", (long)now, (int)getpid());
	addr = bare_address(from);
	domain = strchr(addr, '@');
	buf_printf(b, "From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\n"
	    "Message-ID: <%s@%s>\r\nMIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\n"
	    "Content-Transfer-Encoding: 8bit\r\nAuto-Submitted: auto-generated\r\n\r\n",
	    from, to, subject, date, id, domain ? domain + 1 : "localhost");
	free(addr);
	/* Bare LF to CRLF, and a lone "." line cannot end the SMTP DATA. */
	for (const char *p = body; *p; p++) {
		if (*p == '\n') {
			buf_puts(b, "\r\n");
			if (p[1] == '.')
				buf_puts(b, ".");
		} else if (*p != '\r')
			buf_append(b, p, 1);
	}
	buf_puts(b, "\r\n");
}

struct wt_err *
mail_queue(const char *to, const char *subject, const char *body)
{
	struct wt_buf b;
	const char *params[3];
	char limit[24];
	PGresult *res;
	int own = !db_in_transaction(), queued;

	if (strpbrk(to, "\r\n") != NULL || strpbrk(subject, "\r\n") != NULL ||
	    !valid_email(to)) {
		log_error("mail", "refused a message with a bad address or subject");
		return wt_fail(400, NULL, "this e-mail address cannot receive mail");
	}
	/* The lock lasts until the transaction ends: one of our own when
	 * the caller has none. */
	if (own && db_begin() != 0)
		return db_err();
	if ((res = db_exec(ST_MAIL_LOCK, 1, &to)) == NULL)
		return db_err();
	PQclear(res);
	buf_init(&b);
	mail_format(&b, wt_cfg.mail_from, to, subject, body);
	snprintf(limit, sizeof(limit), "%lld", wt_cfg.mail_per_address_hour);
	params[0] = to;
	params[1] = b.data;
	params[2] = limit;
	res = db_exec(ST_MAIL_QUEUE, 3, params);
	OPENSSL_cleanse(b.data, b.len);
	buf_free(&b);
	if (res == NULL)
		return db_err();
	queued = PQntuples(res) == 1;
	PQclear(res);
	if (!queued) {
		log_warn("mail", "refused a message: %lld to one address in the last hour "
		    "already", wt_cfg.mail_per_address_hour);
		return err_header(wt_fail(429, NULL, "too many messages to this address in the "
		    "last hour; try again later"), "Retry-After", "3600");
	}
	if (own && db_commit() != 0)
		return db_err();
	return NULL;
}

static char *why_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *
why_printf(const char *fmt, ...)
{
	struct wt_buf w;
	va_list ap;

	buf_init(&w);
	va_start(ap, fmt);
	buf_vprintf(&w, fmt, ap);
	va_end(ap);
	return buf_take(&w);
}

static int
send_file(const struct message *m, char **why)
{
	const char *dir = wt_cfg.mail_dir;
	char tmp[4096], final[4096], rnd[17];
	int fd;
	ssize_t w;

	if (random_token_hex(8, rnd) != 0) {
		*why = xstrdup("no randomness available");
		return -1;
	}
	if (bsnprintf(tmp, sizeof(tmp), "%s/.%ld-%s.tmp", dir, (long)time(NULL), rnd) != 0 ||
	    bsnprintf(final, sizeof(final), "%s/%ld-%s.eml", dir, (long)time(NULL), rnd) != 0) {
		*why = xstrdup("mail.dir is too long a path");
		return -1;
	}
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0640)) < 0) {
		*why = why_printf("%s: %s", tmp, strerror(errno));
		return -1;
	}
	w = write(fd, m->data, m->len);
	if (w != (ssize_t)m->len || fsync(fd) != 0) {
		*why = why_printf("%s: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		return -1;
	}
	close(fd);
	/* Readers never see a half-written message. */
	if (rename(tmp, final) != 0) {
		*why = why_printf("%s: %s", final, strerror(errno));
		unlink(tmp);
		return -1;
	}
	log_info("mail", "wrote %s", final);
	return 0;
}

struct reader {
	const char	*p;
	size_t		 left;
};

static size_t
read_cb(char *dst, size_t size, size_t n, void *ctx)
{
	struct reader *rd = ctx;
	size_t k = size * n < rd->left ? size * n : rd->left;

	memcpy(dst, rd->p, k);
	rd->p += k;
	rd->left -= k;
	return k;
}

static int
send_smtp(const struct message *m, char **why)
{
	CURL *c = curl_easy_init();
	struct curl_slist *rcpt = NULL;
	struct reader rd = { m->data, m->len };
	char *from = bare_address(wt_cfg.mail_from);
	struct wt_buf fromb;
	CURLcode rc;

	if (c == NULL) {
		free(from);
		*why = xstrdup("libcurl could not start");
		return -1;
	}
	buf_init(&fromb);
	buf_printf(&fromb, "<%s>", from);
	rcpt = curl_slist_append(rcpt, m->to);
	curl_easy_setopt(c, CURLOPT_URL, wt_cfg.mail_smtp_url);
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, fromb.data);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(c, CURLOPT_READDATA, &rd);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	/* Use TLS whenever the relay offers it (STARTTLS). */
	curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
	if (*wt_cfg.mail_smtp_user != '\0') {
		curl_easy_setopt(c, CURLOPT_USERNAME, wt_cfg.mail_smtp_user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, wt_cfg.mail_smtp_password);
		curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	}
	rc = curl_easy_perform(c);
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(c);
	buf_free(&fromb);
	free(from);
	if (rc != CURLE_OK) {
		*why = why_printf("SMTP to %s failed: %s", wt_cfg.mail_smtp_url,
		    curl_easy_strerror(rc));
		return -1;
	}
	log_info("mail", "sent a message through %s", wt_cfg.mail_smtp_url);
	return 0;
}

/* Sends one due message and records the outcome. */
static int
send_one(PGresult *due, int row)
{
	struct message m = {
		PQgetvalue(due, row, C_DUE_TO), PQgetvalue(due, row, C_DUE_MESSAGE),
		(size_t)PQgetlength(due, row, C_DUE_MESSAGE)
	};
	const char *id = PQgetvalue(due, row, C_DUE_ID);
	int attempts = atoi(PQgetvalue(due, row, C_DUE_ATTEMPTS)) + 1;
	char *why = NULL;
	char wait[24], max[24];
	const char *params[4];
	PGresult *res;
	int rc;

	rc = wt_cfg.mail_transport == MAIL_SMTP ? send_smtp(&m, &why) : send_file(&m, &why);
	params[0] = id;
	if (rc == 0)
		res = db_exec(ST_MAIL_SENT, 1, params);
	else {
		snprintf(wait, sizeof(wait), "%ld", mail_backoff(attempts));
		snprintf(max, sizeof(max), "%d", MAIL_MAX_ATTEMPTS);
		params[1] = why != NULL ? why : "unknown error";
		params[2] = wait;
		params[3] = max;
		res = db_exec(ST_MAIL_RETRY, 4, params);
		log_write(attempts >= MAIL_MAX_ATTEMPTS ? WT_ERROR : WT_WARN, "mail",
		    json_pack("{ss si}", "outbox_id", id, "attempts", attempts),
		    "%s; %s", params[1], attempts >= MAIL_MAX_ATTEMPTS ?
		    "given up" : "will retry");
	}
	free(why);
	if (res == NULL)
		return -1;
	PQclear(res);
	return rc;
}

int
mail_send_due(int max, int *failed)
{
	char lim[24];
	const char *p = lim;
	PGresult *due;
	int sent = 0;

	*failed = 0;
	snprintf(lim, sizeof(lim), "%d", max);
	/* The rows stay locked while they are sent, so a second sender
	 * skips them; each outcome is committed with the batch. */
	if (db_begin() != 0)
		return -1;
	if ((due = db_exec(ST_MAIL_DUE, 1, &p)) == NULL) {
		db_rollback();
		return -1;
	}
	for (int i = 0; i < PQntuples(due); i++) {
		int rc = send_one(due, i);

		if (rc == 0)
			sent++;
		else
			(*failed)++;
	}
	PQclear(due);
	if (db_commit() != 0)
		return -1;
	return sent;
}

int
mail_send_now(const char *to, const char *subject, const char *body, char **why)
{
	struct wt_buf b;
	struct message m;
	int rc;

	*why = NULL;
	if (strpbrk(to, "\r\n") != NULL || strpbrk(subject, "\r\n") != NULL ||
	    !valid_email(to)) {
		*why = xstrdup("not an e-mail address");
		return -1;
	}
	buf_init(&b);
	mail_format(&b, wt_cfg.mail_from, to, subject, body);
	m.to = to;
	m.data = b.data;
	m.len = b.len;
	rc = wt_cfg.mail_transport == MAIL_SMTP ? send_smtp(&m, why) : send_file(&m, why);
	buf_free(&b);
	return rc;
}
