/* Sign-in flows, mail and SQL helpers for the in-process tests (flows.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "buf.h"
#include "conf.h"
#include "crypto.h"
#include "flows.h"

/* --- pages ------------------------------------------------------------------ */

/* The text between open and the next close in s, kept; "" if absent. */
static const char *
between(const char *s, const char *open, const char *close)
{
	const char *p = s != NULL ? strstr(s, open) : NULL, *e;

	if (p == NULL)
		return "";
	p += strlen(open);
	if ((e = strstr(p, close)) == NULL)
		return "";
	return ip_strf("%.*s", (int)(e - p), p);
}

const char *
form_error(const struct ip_resp *a)
{
	return between(a->body, "<p class=\"form-error\" role=\"alert\">", "</p>");
}

const char *
field_error(const struct ip_resp *a, const char *field)
{
	return between(a->body, ip_strf("<p class=\"field-error\" id=\"e-%s\">", field), "</p>");
}

const char *
main_part(const struct ip_resp *a)
{
	const char *p = a->body != NULL ? strstr(a->body, "<main") : NULL, *e;

	if (p == NULL || (e = strstr(p, "</main>")) == NULL)
		return "";
	return ip_strf("%.*s", (int)(e + 7 - p), p);
}

const char *
json_sans_id(const struct ip_resp *a)
{
	json_t *copy;
	char *s;
	const char *kept;

	if (a->json == NULL)
		return "";
	copy = json_deep_copy(a->json);
	if (json_is_object(copy))
		json_object_del(copy, "request_id");
	s = json_dumps(copy, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
	json_decref(copy);
	if (s == NULL)
		return "";
	kept = ip_strf("%s", s);
	free(s);
	return kept;
}

const char *
set_cookie_line(const struct ip_resp *a, const char *name)
{
	const char *found = NULL;
	size_t n = strlen(name);

	for (size_t i = 0; i < a->headers.n; i++) {
		const char *v = a->headers.items[i].val;

		if (strcasecmp(a->headers.items[i].key, "Set-Cookie") == 0 &&
		    strncmp(v, name, n) == 0 && v[n] == '=')
			found = v;	/* the last one wins, as in a browser */
	}
	return found;
}

const char *
set_cookie_val(const struct ip_resp *a, const char *name)
{
	const char *line = set_cookie_line(a, name);

	if (line == NULL)
		return NULL;
	line += strlen(name) + 1;
	return ip_strf("%.*s", (int)strcspn(line, ";"), line);
}

/* --- sign-in ---------------------------------------------------------------- */

const char *
csrf_of(struct ip_jar *b, const char *path)
{
	struct ip_resp *a = IP(AUTH, .path = path ? path : "/login", .jar = b);

	return ip_csrf(a);
}

struct ip_resp *
login(struct ip_jar *b, const char *email, const char *pw)
{
	const char *csrf = csrf_of(b, "/login");

	return IP(AUTH, .method = "POST", .path = "/login", .jar = b,
	    .form = ip_strf("csrf=%s&email=%s&password=%s", ip_urlenc(csrf ? csrf : ""),
	    ip_urlenc(email), ip_urlenc(pw)));
}

const char *
token_for(const char *email, const char *pw, struct ip_resp **out)
{
	struct ip_resp *a = IP(AUTH, .method = "POST", .path = "/api/v1/token",
	    .json = ip_json("{ss ss}", "email", email, "password", pw));

	if (out != NULL)
		*out = a;
	return a->status == 200 ? ip_jstr(a, "access_token") : NULL;
}

/* --- mail ------------------------------------------------------------------- */

long long
mail_mark(void)
{
	const char *id = ip_q("SELECT coalesce(max(id), 0) FROM mail_outbox", NULL);

	return id != NULL ? atoll(id) : 0;
}

static const char *
mail_pick(const char *to, long long since, const char *order)
{
	const char *m = ip_q(ip_strf("SELECT message FROM mail_outbox WHERE"
	    " lower(to_addr) = lower($1) AND id > $2 ORDER BY id %s LIMIT 1", order),
	    to, ip_strf("%lld", since), NULL);

	return m != NULL && *m != '\0' ? m : NULL;
}

const char *
mail_latest_to(const char *to, long long since)
{
	return mail_pick(to, since, "DESC");
}

const char *
mail_oldest_to(const char *to, long long since)
{
	return mail_pick(to, since, "ASC");
}

int
mail_count_to(const char *to, long long since)
{
	const char *n = ip_q("SELECT count(*) FROM mail_outbox WHERE lower(to_addr) = lower($1)"
	    " AND id > $2", to, ip_strf("%lld", since), NULL);

	return n != NULL ? atoi(n) : -1;
}

void
mail_hour_passes(const char *to)
{
	ip_exec("UPDATE mail_outbox SET created_at = created_at - interval '1 hour'"
	    " WHERE email_normalize(to_addr) = email_normalize($1)", to, NULL);
}

const char *
mail_link(const char *msg)
{
	const char *p = msg != NULL ? strstr(msg, "https://") : NULL;

	if (p == NULL)
		p = msg != NULL ? strstr(msg, "http://") : NULL;
	if (p == NULL)
		return NULL;
	return ip_strf("%.*s", (int)strcspn(p, " \t\r\n"), p);
}

const char *
mail_subject(const char *msg)
{
	const char *p = msg != NULL ? strstr(msg, "\r\nSubject: ") : NULL;

	if (p == NULL)
		return NULL;
	p += 11;
	return ip_strf("%.*s", (int)strcspn(p, "\r\n"), p);
}

const char *
local_path(const char *url)
{
	size_t n = strlen(wt_cfg.site_url);

	if (url == NULL)
		return NULL;
	return strncmp(url, wt_cfg.site_url, n) == 0 ? url + n : url;
}

const char *
link_token(const char *url)
{
	const char *p = url != NULL ? strstr(url, "token=") : NULL;

	return p != NULL ? p + 6 : NULL;
}

/* --- the database ----------------------------------------------------------- */

const char *
sha256_of(const char *s)
{
	char hex[65];

	sha256_hex(s, strlen(s), hex);
	return ip_strf("%s", hex);
}

const char *
user_id_of(const char *email)
{
	return ip_q("SELECT id FROM users WHERE email = lower($1)", email, NULL);
}

const char *
user_row(const char *email)
{
	return ip_q("SELECT row_to_json(u) FROM users u WHERE email = lower($1)", email, NULL);
}

const char *
pw_hash(const char *email)
{
	return ip_q("SELECT password_hash FROM users WHERE email = lower($1)", email, NULL);
}

int
session_rows(const char *email)
{
	const char *n = ip_q("SELECT count(*) FROM web_sessions s JOIN users u ON u.id = s.user_id"
	    " WHERE u.email = lower($1)", email, NULL);

	return n != NULL ? atoi(n) : -1;
}

int
session_exists(const char *token)
{
	const char *n = ip_q("SELECT count(*) FROM web_sessions WHERE token_hash = $1",
	    sha256_of(token ? token : ""), NULL);

	return n != NULL ? atoi(n) : -1;
}

void
set_mode(const char *mode)
{
	ip_exec("UPDATE settings SET registration_mode = $1", mode, NULL);
}

void
clear_lockouts(void)
{
	ip_exec("DELETE FROM login_failures WHERE key = $1 OR strpos(key, $2) > 0"
	    " OR (kind IN ('user', 'change') AND key IN"
	    "  (SELECT id::text FROM users WHERE strpos(email, $2) > 0))",
	    ip_addr(), ip_tag(), NULL);
}

void
fast_forward_locks(void)
{
	ip_exec("UPDATE login_failures SET locked_until = now() - interval '1 second'"
	    " WHERE locked_until IS NOT NULL AND (key = $1 OR strpos(key, $2) > 0"
	    " OR (kind IN ('user', 'change') AND key IN"
	    "  (SELECT id::text FROM users WHERE strpos(email, $2) > 0)))",
	    ip_addr(), ip_tag(), NULL);
}

const char *
rand_hex(size_t n)
{
	char *s = ip_strf("%*s", (int)(2 * n), "");

	if (random_token_hex(n, s) != 0)
		return NULL;
	return s;
}

const char *
make_invite(const char *email, const char *role, const char *interval)
{
	const char *tok = rand_hex(32);

	if (ip_exec("INSERT INTO invites (token_hash, email, role, expires_at)"
	    " VALUES ($1, lower($2), $3, now() + $4::interval)", sha256_of(tok), email,
	    role ? role : "member", interval ? interval : "1 day", NULL) != 0)
		return NULL;
	return tok;
}

long long
make_user(const char *email, const char *name, const char *pw, const char *role)
{
	return ip_user(email, name, role ? role : "member", pw);
}
