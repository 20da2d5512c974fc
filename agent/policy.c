#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"
#include "util.h"

void
policy_defaults(struct policy *p)
{
	memset(p, 0, sizeof(*p));
	p->idle_timeout_s = 180;
	p->upload_interval_s = 60;
	p->heartbeat_interval_s = 30;
	p->config_interval_s = 300;
}

void
policy_free(struct policy *p)
{
	for (size_t i = 0; i < p->nre; i++)
		regfree(&p->re[i]);
	free(p->re);
	free(p->broken);
	free(p->etag);
	json_free(p->doc);
	policy_defaults(p);
}

/* The patterns are PostgreSQL's regular expressions (the server compiles
 * them); POSIX extended ones read the same for everything but a few
 * escapes, which become their bracket forms here. */
static char *
to_posix(const char *re)
{
	struct buf b = { 0 };

	buf_add(&b, "", 0);
	for (const char *s = re; *s; s++) {
		if (s[0] == '\\' && s[1] != '\0') {
			const char *rep = NULL;

			switch (s[1]) {
			case 'd': rep = "[[:digit:]]"; break;
			case 'D': rep = "[^[:digit:]]"; break;
			case 's': rep = "[[:space:]]"; break;
			case 'S': rep = "[^[:space:]]"; break;
			case 'w': rep = "[[:alnum:]_]"; break;
			case 'W': rep = "[^[:alnum:]_]"; break;
			}
			if (rep) {
				buf_adds(&b, rep);
				s++;
				continue;
			}
			buf_add(&b, s, 2);
			s++;
			continue;
		}
		buf_add(&b, s, 1);
	}
	return b.p;
}

static int
clamp(int64_t v, int lo, int hi, int def)
{
	if (v < lo || v > hi)
		return def;
	return (int)v;
}

int
policy_set(struct policy *p, const char *text, size_t len, const char *etag, char *why,
    size_t whysz)
{
	struct policy n;
	struct jv *doc, *ex;
	size_t count = 0, i = 0;

	if ((doc = json_parse(text, len, why, whysz)) == NULL)
		return -1;
	if (doc->type != J_OBJ) {
		snprintf(why, whysz, "the policy is not a JSON object");
		json_free(doc);
		return -1;
	}
	policy_defaults(&n);
	n.doc = doc;
	n.idle_timeout_s = clamp(json_int(doc, "idle_timeout_s", 180), 1, 86400, 180);
	n.upload_interval_s = clamp(json_int(doc, "upload_interval_s", 60), 1, 86400, 60);
	n.heartbeat_interval_s = clamp(json_int(doc, "heartbeat_interval_s", 30), 1, 86400, 30);
	n.config_interval_s = clamp(json_int(doc, "poll_interval_s", 300), 10, 86400, 300);
	ex = json_get(doc, "title_exclude");
	if (ex != NULL && ex->type == J_ARR)
		for (struct jv *e = ex->child; e; e = e->next)
			count++;
	n.re = xcalloc(count, sizeof(regex_t));
	if (ex != NULL && ex->type == J_ARR)
		for (struct jv *e = ex->child; e; e = e->next) {
			char *posix;
			int rc;

			if (e->type != J_STR)
				continue;
			posix = to_posix(e->s);
			rc = regcomp(&n.re[i], posix, REG_EXTENDED | REG_ICASE | REG_NOSUB);
			free(posix);
			if (rc != 0) {
				char msg[200];
				struct buf b = { 0 };

				regerror(rc, &n.re[i], msg, sizeof(msg));
				buf_addf(&b, "title_exclude pattern %zu (%s): %s", i + 1, e->s, msg);
				free(n.broken);
				n.broken = b.p;
				continue;
			}
			i++;
		}
	n.nre = i;
	n.etag = etag ? xstrdup(etag) : NULL;
	if (n.broken)
		log_error("policy: %s; every title is hidden until the pattern is fixed",
		    n.broken);
	policy_free(p);
	*p = n;
	return 0;
}

const char *
policy_title(const struct policy *p, const char *title)
{
	if (p->broken)
		return POLICY_HIDDEN;
	for (size_t i = 0; i < p->nre; i++)
		if (regexec(&p->re[i], title, 0, NULL, 0) == 0)
			return POLICY_HIDDEN;
	return title;
}
