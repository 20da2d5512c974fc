#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "conf.h"
#include "crypto.h"
#include "http.h"
#include "log.h"
#include "mail.h"

struct message {
	char	*to;
	char	*data;
	size_t	 len;
};

static struct message	*queue;
static size_t		 nqueue;

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

int
mail_queue(const char *to, const char *subject, const char *body)
{
	struct wt_buf b;

	if (strpbrk(to, "\r\n") != NULL || strpbrk(subject, "\r\n") != NULL ||
	    !valid_email(to)) {
		log_error("mail", "refused a message with a bad address or subject");
		return -1;
	}
	buf_init(&b);
	mail_format(&b, config_get("mail.from"), to, subject, body);
	queue = xrealloc(queue, (nqueue + 1) * sizeof(*queue));
	queue[nqueue].to = xstrdup(to);
	queue[nqueue].len = b.len;
	queue[nqueue].data = buf_take(&b);
	nqueue++;
	return 0;
}

static int
send_file(const struct message *m)
{
	const char *dir = config_get("mail.dir");
	char tmp[4096], final[4096], rnd[17];
	int fd;
	ssize_t w;

	if (random_token_hex(8, rnd) != 0)
		return -1;
	snprintf(tmp, sizeof(tmp), "%s/.%ld-%s.tmp", dir, (long)time(NULL), rnd);
	snprintf(final, sizeof(final), "%s/%ld-%s.eml", dir, (long)time(NULL), rnd);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0640)) < 0) {
		log_error("mail", "%s: %s", tmp, strerror(errno));
		return -1;
	}
	w = write(fd, m->data, m->len);
	if (w != (ssize_t)m->len || fsync(fd) != 0) {
		log_error("mail", "%s: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		return -1;
	}
	close(fd);
	/* Readers never see a half-written message. */
	if (rename(tmp, final) != 0) {
		log_error("mail", "%s: %s", final, strerror(errno));
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
send_smtp(const struct message *m)
{
	CURL *c = curl_easy_init();
	struct curl_slist *rcpt = NULL;
	struct reader rd = { m->data, m->len };
	char *from = bare_address(config_get("mail.from"));
	char fromb[512];
	CURLcode rc;

	if (c == NULL) {
		free(from);
		return -1;
	}
	snprintf(fromb, sizeof(fromb), "<%s>", from);
	rcpt = curl_slist_append(rcpt, m->to);
	curl_easy_setopt(c, CURLOPT_URL, config_get("mail.smtp_url"));
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, fromb);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(c, CURLOPT_READDATA, &rd);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	/* Use TLS whenever the relay offers it (STARTTLS). */
	curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
	if (*config_get("mail.smtp_user") != '\0') {
		curl_easy_setopt(c, CURLOPT_USERNAME, config_get("mail.smtp_user"));
		curl_easy_setopt(c, CURLOPT_PASSWORD, config_get("mail.smtp_password"));
		curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	}
	rc = curl_easy_perform(c);
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(c);
	free(from);
	if (rc != CURLE_OK) {
		log_error("mail", "SMTP to %s failed: %s", config_get("mail.smtp_url"),
		    curl_easy_strerror(rc));
		return -1;
	}
	log_info("mail", "sent a message through %s", config_get("mail.smtp_url"));
	return 0;
}

static void
drop(size_t i)
{
	free(queue[i].to);
	free(queue[i].data);
}

int
mail_flush(void)
{
	int failed = 0, smtp = strcmp(config_get("mail.transport"), "smtp") == 0;

	for (size_t i = 0; i < nqueue; i++) {
		if ((smtp ? send_smtp(&queue[i]) : send_file(&queue[i])) != 0)
			failed++;
		drop(i);
	}
	free(queue);
	queue = NULL;
	nqueue = 0;
	return failed;
}

void
mail_discard(void)
{
	for (size_t i = 0; i < nqueue; i++)
		drop(i);
	free(queue);
	queue = NULL;
	nqueue = 0;
}
