#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "json.h"
#include "net.h"

#define MAX_ANSWER	(1024 * 1024)

struct net_stats net_stats;

int
net_init(struct net *n)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return -1;
	n->multi = curl_multi_init();
	return n->multi ? 0 : -1;
}

void
net_free(struct net *n)
{
	if (n->multi)
		curl_multi_cleanup(n->multi);
	n->multi = NULL;
	curl_global_cleanup();
}

static size_t
on_body(char *p, size_t size, size_t n, void *ctx)
{
	struct req *r = ctx;

	if (r->resp.len + size * n > MAX_ANSWER)
		return 0;
	buf_add(&r->resp, p, size * n);
	return size * n;
}

static size_t
on_header(char *p, size_t size, size_t n, void *ctx)
{
	struct req *r = ctx;
	size_t len = size * n;
	char line[256];

	if (len >= sizeof(line))
		return len;
	memcpy(line, p, len);
	line[len] = '\0';
	line[strcspn(line, "\r\n")] = '\0';
	if (strncasecmp(line, "etag:", 5) == 0) {
		const char *v = line + 5;

		while (*v == ' ')
			v++;
		/* A longer one is none of ours: it is not sent back. */
		if (strlen(v) < sizeof(r->etag))
			memcpy(r->etag, v, strlen(v) + 1);
	} else if (strncasecmp(line, "retry-after:", 12) == 0) {
		r->retry_after = strtol(line + 12, NULL, 10);
		if (r->retry_after < 0 || r->retry_after > 3600)
			r->retry_after = 0;
	}
	return len;
}

static void
prepare(struct req *r, const struct conf *c, const char *method, const char *path,
    const struct buf *body, const char *ctype, const char *etag, const char *token)
{
	struct buf url = { 0 }, h = { 0 };

	if (r->easy == NULL)
		r->easy = curl_easy_init();
	else
		curl_easy_reset(r->easy);
	curl_slist_free_all(r->hdrs);
	r->hdrs = NULL;
	r->resp.len = 0;
	r->etag[0] = '\0';
	r->error[0] = '\0';
	r->retry_after = 0;
	r->status = 0;
	buf_addf(&url, "%s%s", c->url, path);
	curl_easy_setopt(r->easy, CURLOPT_URL, url.p);
	buf_free(&url);
	/* https only, redirects included; the peer and its name verified
	 * (curl's defaults, set here so no later change can lose them). */
	curl_easy_setopt(r->easy, CURLOPT_PROTOCOLS_STR, "https");
	curl_easy_setopt(r->easy, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(r->easy, CURLOPT_SSL_VERIFYHOST, 2L);
	if (c->ca_file)
		curl_easy_setopt(r->easy, CURLOPT_CAINFO, c->ca_file);
	curl_easy_setopt(r->easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(r->easy, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(r->easy, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(r->easy, CURLOPT_USERAGENT, "worktime-agent/" WA_VERSION);
	curl_easy_setopt(r->easy, CURLOPT_ERRORBUFFER, r->error);
	curl_easy_setopt(r->easy, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(r->easy, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(r->easy, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(r->easy, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(r->easy, CURLOPT_PRIVATE, r);
	r->hdrs = curl_slist_append(r->hdrs, "Accept: application/json");
	/* No "Expect: 100-continue" round trip before a batch. */
	r->hdrs = curl_slist_append(r->hdrs, "Expect:");
	if (token) {
		buf_addf(&h, "Authorization: Bearer %s", token);
		r->hdrs = curl_slist_append(r->hdrs, h.p);
		h.len = 0;
	}
	if (etag && etag[0]) {
		buf_addf(&h, "If-None-Match: %s", etag);
		r->hdrs = curl_slist_append(r->hdrs, h.p);
	}
	buf_free(&h);
	if (strcmp(method, "POST") == 0) {
		buf_addf(&h, "Content-Type: %s", ctype);
		r->hdrs = curl_slist_append(r->hdrs, h.p);
		buf_free(&h);
		curl_easy_setopt(r->easy, CURLOPT_POST, 1L);
		curl_easy_setopt(r->easy, CURLOPT_POSTFIELDS, body && body->p ? body->p : "{}");
		curl_easy_setopt(r->easy, CURLOPT_POSTFIELDSIZE, (long)(body && body->p ?
		    body->len : 2));
	}
	curl_easy_setopt(r->easy, CURLOPT_HTTPHEADER, r->hdrs);
}

void
req_prepare(struct req *r, const struct conf *c, const char *method, const char *path,
    const struct buf *body, const char *etag, const char *token)
{
	prepare(r, c, method, path, body, "application/json", etag, token);
}

void
req_prepare_raw(struct req *r, const struct conf *c, const char *path, const struct buf *body,
    const char *ctype, const char *token)
{
	prepare(r, c, "POST", path, body, ctype, NULL, token);
}

static void
finish(struct req *r, CURLcode rc)
{
	curl_off_t up = 0, down = 0;
	long req = 0, head = 0, conns = 0;

	curl_easy_getinfo(r->easy, CURLINFO_REQUEST_SIZE, &req);
	curl_easy_getinfo(r->easy, CURLINFO_SIZE_UPLOAD_T, &up);
	curl_easy_getinfo(r->easy, CURLINFO_HEADER_SIZE, &head);
	curl_easy_getinfo(r->easy, CURLINFO_SIZE_DOWNLOAD_T, &down);
	curl_easy_getinfo(r->easy, CURLINFO_NUM_CONNECTS, &conns);
	net_stats.sent += (uint64_t)req + (uint64_t)up;
	net_stats.received += (uint64_t)head + (uint64_t)down;
	net_stats.connections += (uint64_t)conns;
	if (rc == CURLE_OK)
		curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &r->status);
	else {
		r->status = 0;
		if (r->error[0] == '\0')
			snprintf(r->error, sizeof(r->error), "%s", curl_easy_strerror(rc));
	}
}

int
req_run(struct req *r)
{
	finish(r, curl_easy_perform(r->easy));
	return r->status ? 0 : -1;
}

int
req_start(struct net *n, struct req *r)
{
	if (curl_multi_add_handle(n->multi, r->easy) != CURLM_OK)
		return -1;
	r->busy = 1;
	return 0;
}

void
net_pump(struct net *n)
{
	CURLMsg *m;
	int running, left;

	curl_multi_perform(n->multi, &running);
	while ((m = curl_multi_info_read(n->multi, &left)) != NULL) {
		struct req *r = NULL;

		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&r);
		finish(r, m->data.result);
		curl_multi_remove_handle(n->multi, m->easy_handle);
		r->busy = 0;
		if (r->done)
			r->done(r, r->ctx);
	}
}

void
net_wait(struct net *n, int ms)
{
	if (ms < 0)
		ms = 0;
	curl_multi_poll(n->multi, NULL, 0, ms, NULL);
}

void
req_free(struct req *r)
{
	if (r->easy)
		curl_easy_cleanup(r->easy);
	curl_slist_free_all(r->hdrs);
	buf_free(&r->resp);
	memset(r, 0, sizeof(*r));
}

void
req_describe(const struct req *r, char *out, size_t outsz)
{
	struct jv *j;
	const char *msg = NULL;

	if (r->status == 0) {
		snprintf(out, outsz, "no answer: %s", r->error);
		return;
	}
	j = r->resp.p ? json_parse(r->resp.p, r->resp.len, NULL, 0) : NULL;
	if (j)
		msg = json_str(j, "message", NULL);
	if ((msg == NULL || msg[0] == '\0') && j)
		msg = json_str(j, "error", NULL);
	if (msg)
		snprintf(out, outsz, "HTTP %ld: %s", r->status, msg);
	else
		snprintf(out, outsz, "HTTP %ld", r->status);
	json_free(j);
}
