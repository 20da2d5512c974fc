/* Outgoing e-mail, durable.
 *
 * mail_queue writes the message into the mail_outbox table in the
 * request's transaction: it is sent only if the change that caused it
 * commits, and once committed it cannot be lost.  The sender process
 * (wtctl mail-sender, started and supervised by ./stack) runs
 * mail_send_due in a loop, woken by NOTIFY, retrying failures with
 * exponential backoff; the answer to a request never waits for a relay.
 *
 * Transports (mail.transport): "file" writes each message as an .eml file
 * into mail.dir (development and tests read links from there); "smtp"
 * hands it to the relay at mail.smtp_url with libcurl. */
#ifndef WT_MAIL_H
#define WT_MAIL_H

#include "buf.h"
#include "db.h"

enum mail_stmt {
	ST_MAIL_LOCK = WT_STMT_BASE(WT_SLOT_MAIL),
	ST_MAIL_QUEUE,
	ST_MAIL_DUE,
	ST_MAIL_SENT,
	ST_MAIL_RETRY,
	ST_MAIL_STATUS,
	ST_MAIL_END
};

/* Columns of ST_MAIL_STATUS: messages waiting, given up, the newest
 * error. */
enum { C_MAIL_WAITING, C_MAIL_FAILED, C_MAIL_LAST_ERROR };

/* Gives up on a message after this many failed attempts (about a day
 * of backoff). */
#define MAIL_MAX_ATTEMPTS	12

int		 mail_register(void);
/* Queues a plain-text message in the current transaction (or in one of
 * its own).  A 400 if an address or the subject would break the header
 * (CR, LF) or the address is not an e-mail address; a 429 (with
 * Retry-After) when the address has had mail.per_address_hour messages
 * in the last hour; the database's error otherwise. */
struct wt_err	*mail_queue(const char *to, const char *subject, const char *body);
/* Sends what is due (at most max); returns how many were sent, or -1
 * when the database is away.  Failures are logged and rescheduled. */
int		 mail_send_due(int max, int *failed);
/* Sends one message at once through the configured transport, not
 * through the outbox (wtctl send-test-mail: an admin checking the
 * settings wants the relay's answer now).  0, or -1 and *why. */
int		 mail_send_now(const char *to, const char *subject, const char *body,
		    char **why);
/* Formats the full RFC 5322 message (for tests and both transports). */
void		 mail_format(struct wt_buf *, const char *from, const char *to,
		    const char *subject, const char *body);
/* Seconds before attempt n+1 after n failures: 30 s doubling, at most an
 * hour. */
long		 mail_backoff(int attempts);

#endif
