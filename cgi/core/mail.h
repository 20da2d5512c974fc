/* Outgoing e-mail.  Messages are queued while a request is handled and
 * sent after its answer has gone out (mail_flush from the server loop),
 * so the time to answer never tells whether a message was sent: "forgot
 * password" for an unknown address answers as fast as for a known one.
 *
 * Transports (mail.transport): "file" writes each message as an .eml file
 * into mail.dir (development and tests read links from there); "smtp"
 * hands it to the relay at mail.smtp_url with libcurl. */
#ifndef WT_MAIL_H
#define WT_MAIL_H

#include "buf.h"

/* Queues a plain-text message; -1 if an address or the subject would
 * break the header (CR, LF) or the address is not an e-mail address. */
int	mail_queue(const char *to, const char *subject, const char *body);
/* Sends everything queued; returns how many failed (each is logged). */
int	mail_flush(void);
/* Drops the queue without sending (a request that failed). */
void	mail_discard(void);
/* Formats the full RFC 5322 message (for tests and both transports). */
void	mail_format(struct wt_buf *, const char *from, const char *to,
	    const char *subject, const char *body);

#endif
