/* The in-process request driver (see driver.h). */
#include "config.h"

#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "buf.h"
#include "conf.h"
#include "crypto.h"
#include "db.h"
#include "decode.h"
#include "driver.h"
#include "jwt.h"
#include "log.h"
#include "password.h"
#include "stream.h"

#if defined(__SANITIZE_ADDRESS__)
#define IP_BUILD	"-san"
#else
#define IP_BUILD	""
#endif

#define GLOBAL_LOCK	"hashtext('worktime inproc global')"

static const struct wt_app	*current;
/* JSON texts from SQL or elsewhere, kept parsed until ip_finish. */
static json_t			**parsed;
static size_t			 nparsed, capparsed;
static PGconn			*fixture;
static struct ip_resp		*responses;
static void			**kept;
static size_t			 nkept, capkept;
static char			 tag[40];
static char			 addr[20];
static struct ip_jar		*browsers;
static char			 name_[64];
static FILE			*logfile;	/* $WT_STATE/log/inproc-<name>.log */

static void ip_diag(const char *, ...) __attribute__((format(printf, 1, 2)));
static void
ip_diag(const char *fmt, ...)
{
	struct wt_buf b;
	const char *p;
	va_list ap;

	buf_init(&b);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	p = b.data;
	do {
		size_t n = strcspn(p, "\n");

		printf("# %.*s\n", (int)n, p);
		p += n + (p[n] == '\n');
	} while (*p != '\0');
	fflush(stdout);
	buf_free(&b);
}

/* Keeps p until ip_finish; returns it. */
static void *
keep(void *p)
{
	if (nkept == capkept) {
		capkept = capkept ? capkept * 2 : 64;
		kept = xrealloc(kept, capkept * sizeof(*kept));
	}
	kept[nkept++] = p;
	return p;
}

const char *
ip_tag(void)
{
	return tag;
}

const char *
ip_addr(void)
{
	return addr;
}

/* Session locks on the fixture connection: released when it closes,
 * even if the test dies.  Every binary holds the lock shared; one that
 * changes or counts organisation-wide state holds it alone. */
void
ip_lock_global(void)
{
	if (ip_exec("SELECT pg_advisory_unlock_shared(" GLOBAL_LOCK ")", NULL) != 0 ||
	    ip_exec("SELECT pg_advisory_lock(" GLOBAL_LOCK ")", NULL) != 0)
		ip_diag("could not take the global test lock");
}

static void
skip_all(const char *why)
{
	printf("1..0 # SKIP %s\n", why);
	fflush(stdout);
}

int
ip_init(const char *name)
{
	const char *state = getenv("WT_STATE"), *src = getenv("WT_SRCDIR");
	unsigned char rnd[4];
	char *path, *err = NULL;
	mode_t old_mask;

	snprintf(name_, sizeof(name_), "%s", name);
	if (state == NULL || *state == '\0') {
		skip_all("WT_STATE is not set: run through ./stack test inproc");
		return 1;
	}
	path = ip_strf("%s/worktime.conf", state);
	if (access(path, R_OK) != 0) {
		skip_all(ip_strf("cannot read %s: %s", path, strerror(errno)));
		ip_finish();
		return 1;
	}
	if (config_load(path, &err) != 0) {
		printf("1..0 # SKIP %s: %s\n", path, err);
		free(err);
		ip_finish();
		return 1;
	}
	/* The tree's templates, not the copy installed earlier. */
	if (src != NULL && *src != '\0')
		config_set("templates.dir", ip_strf("%s/templates", src));
	/* A screenshot store of the tests' own: they may run as another
	 * user than the programs (root), and directories they made in the
	 * instance's store could keep the programs out of them. */
	config_set("screenshots.dir", ip_strf("%s/screenshots-inproc", state));
	if (config_apply(&err) != 0) {
		printf("1..0 # SKIP %s\n", err);
		free(err);
		ip_finish();
		return 1;
	}
	fixture = PQconnectdb(wt_cfg.db_conninfo);
	if (PQstatus(fixture) != CONNECTION_OK) {
		const char *m = PQerrorMessage(fixture);

		skip_all(ip_strf("the test database is not reachable: %.*s",
		    (int)strcspn(m, "\n"), m));
		ip_finish();
		return 1;
	}
	if (random_bytes(rnd, sizeof(rnd)) != 0)
		memset(rnd, 0, sizeof(rnd));
	snprintf(tag, sizeof(tag), "ip%ld%02x%02x%02x%02x", (long)getpid(),
	    rnd[0], rnd[1], rnd[2], rnd[3]);
	snprintf(addr, sizeof(addr), "10.%u.%u.%u", rnd[1], rnd[2], rnd[3] | 1u);
	/* The programs' log lines: the service user's alone, as their own
	 * logs are (./stack log_file). */
	old_mask = umask(077);
	logfile = fopen(ip_strf("%s/log/inproc-%s%s.log", state, name, IP_BUILD), "a");
	umask(old_mask);
	if (ip_exec("SELECT pg_advisory_lock_shared(" GLOBAL_LOCK ")", NULL) != 0)
		ip_diag("could not take the global test lock (shared)");
	return 0;
}

int
ip_finish(void)
{
	while (responses != NULL) {
		struct ip_resp *next = responses->next;

		free(responses->raw);
		kv_free(&responses->headers);
		free(responses->body);
		json_decref(responses->json);
		free(responses->log);
		free(responses->request_id);
		free(responses);
		responses = next;
	}
	while (browsers != NULL) {
		struct ip_jar *next = browsers->next;

		ip_jar_free(browsers);
		free(browsers);
		browsers = next;
	}
	for (size_t i = 0; i < nparsed; i++)
		json_decref(parsed[i]);
	free(parsed);
	parsed = NULL;
	nparsed = capparsed = 0;
	for (size_t i = 0; i < nkept; i++)
		free(kept[i]);
	free(kept);
	kept = NULL;
	nkept = capkept = 0;
	db_close();
	if (fixture != NULL)
		PQfinish(fixture);
	fixture = NULL;
	if (logfile != NULL)
		fclose(logfile);
	logfile = NULL;
	config_free();
	return 0;
}

static int
initialised(const struct wt_app *app)
{
	static const struct wt_app *done[16];

	for (size_t i = 0; i < sizeof(done) / sizeof(done[0]); i++) {
		if (done[i] == app)
			return 1;
		if (done[i] == NULL) {
			done[i] = app;
			return 0;
		}
	}
	return 0;
}

/* The database set-up follows the program a request goes to: its
 * statements are registered and prepared on a fresh connection. */
static int
use_app(const struct wt_app *app)
{
	static const enum wt_level levels[] = { WT_DEBUG, WT_INFO, WT_WARN, WT_ERROR };

	if (app == current)
		return 0;
	db_close();
	log_setup(app->name, levels[wt_cfg.log_level]);
	if (app_check_routes(app) != 0) {
		ip_diag("%s has routes without an access rule", app->name);
		return -1;
	}
	/* Named for this run, so a test can find its own backend. */
	db_setup(ip_strf("%s%s%s=%s-%s", wt_cfg.db_conninfo,
	    strncmp(wt_cfg.db_conninfo, "postgres", 8) != 0 ? " " :
	    strchr(wt_cfg.db_conninfo, '?') ? "&" : "?", "application_name", app->name, tag),
	    app->name);
	db_set_replica(wt_cfg.db_replica_conninfo);
	if (app_db_setup(app) != 0) {
		ip_diag("%s: a statement table has a hole", app->name);
		return -1;
	}
	/* What a worker does after fork (with its statements, as in
	 * wt_main), once per program. */
	if (app->worker_init != NULL && !initialised(app) && app->worker_init() != 0) {
		ip_diag("%s: worker_init failed", app->name);
		return -1;
	}
	current = app;
	return 0;
}

/* A streamed body goes after the headers, as server.c sends it. */
static int
buf_sink(void *ctx, const char *data, size_t len)
{
	buf_append(ctx, data, len);
	return 0;
}

/* --- the request -------------------------------------------------------- */

struct reader {
	const char	*p;
	size_t		 left;
	size_t		 chunk;
};

static ssize_t
mem_read(void *ctx, char *buf, size_t n)
{
	struct reader *rd = ctx;

	if (rd->chunk > 0 && n > rd->chunk)
		n = rd->chunk;
	if (n > rd->left)
		n = rd->left;
	memcpy(buf, rd->p, n);
	rd->p += n;
	rd->left -= n;
	return (ssize_t)n;
}

static void
env_add(char ***env, size_t *n, const char *key, const char *val)
{
	struct wt_buf b;

	buf_init(&b);
	buf_printf(&b, "%s=%s", key, val);
	*env = xrealloc(*env, (*n + 2) * sizeof(**env));
	(*env)[(*n)++] = buf_take(&b);
	(*env)[*n] = NULL;
}

/* "X-CSRF-Token" -> "HTTP_X_CSRF_TOKEN", as nginx passes headers. */
static void
env_header(char ***env, size_t *n, const char *name, size_t len, const char *val)
{
	char *k = xmalloc(len + 6);

	memcpy(k, "HTTP_", 5);
	for (size_t i = 0; i < len; i++)
		k[5 + i] = name[i] == '-' ? '_' : (char)toupper((unsigned char)name[i]);
	k[5 + len] = '\0';
	env_add(env, n, k, val);
	free(k);
}

/* nginx's $uri: the path percent-decoded (bytes as they are, valid UTF-8
 * or not); %00 stays encoded. */
static char *
document_uri(const char *path, size_t len)
{
	struct wt_buf b;

	buf_init(&b);
	buf_puts(&b, "");
	for (size_t i = 0; i < len; i++) {
		int hi, lo;

		if (path[i] == '%' && i + 2 < len &&
		    (hi = hex_digit((unsigned char)path[i + 1])) >= 0 &&
		    (lo = hex_digit((unsigned char)path[i + 2])) >= 0 && (hi | lo) != 0) {
			char c = (char)(hi * 16 + lo);

			buf_append(&b, &c, 1);
			i += 2;
		} else
			buf_append(&b, &path[i], 1);
	}
	return buf_take(&b);
}

static void
parse_answer(struct ip_resp *a)
{
	const char *p = a->raw, *end = strstr(a->raw, "\r\n\r\n");
	const char *ct;

	kv_init(&a->headers);
	if (end == NULL) {
		a->body = xstrdup("");
		return;
	}
	while (p < end) {
		const char *eol = strstr(p, "\r\n"), *colon = memchr(p, ':', (size_t)(eol - p));

		if (colon != NULL) {
			char *k = xstrndup(p, (size_t)(colon - p));
			const char *v = colon + 1;

			while (*v == ' ')
				v++;
			if (strcasecmp(k, "Status") == 0) {
				a->status = atoi(v);
				free(k);
			} else
				kv_add_owned(&a->headers, k, xstrndup(v, (size_t)(eol - v)),
				    (size_t)(eol - v));
		}
		p = eol + 2;
	}
	a->body_len = a->raw_len - (size_t)(end + 4 - a->raw);
	a->body = xstrndup(end + 4, a->body_len);
	ct = ip_header(a, "Content-Type");
	if (ct != NULL && strncmp(ct, "application/json", 16) == 0 && a->body_len > 0)
		a->json = json_loadb(a->body, a->body_len, JSON_DECODE_ANY, NULL);
}

static void
jar_take(struct ip_jar *jar, const struct ip_resp *a)
{
	for (size_t i = 0; i < a->headers.n; i++) {
		const char *v = a->headers.items[i].val, *eq, *semi;
		char *k;

		if (strcasecmp(a->headers.items[i].key, "Set-Cookie") != 0 ||
		    (eq = strchr(v, '=')) == NULL)
			continue;
		semi = v + strcspn(v, ";");
		k = xstrndup(v, (size_t)(eq - v));
		/* Replace (or, with Max-Age=0, drop) the cookie of that name. */
		for (size_t j = 0; j < jar->cookies.n; j++)
			if (strcmp(jar->cookies.items[j].key, k) == 0) {
				free(jar->cookies.items[j].key);
				free(jar->cookies.items[j].val);
				memmove(&jar->cookies.items[j], &jar->cookies.items[j + 1],
				    (jar->cookies.n - j - 1) * sizeof(jar->cookies.items[0]));
				jar->cookies.n--;
				break;
			}
		if (strstr(v, "Max-Age=0") != NULL || semi == eq + 1)
			free(k);
		else
			kv_add_owned(&jar->cookies, k, xstrndup(eq + 1, (size_t)(semi - eq - 1)),
			    (size_t)(semi - eq - 1));
	}
}

struct ip_resp *
ip_do(const struct wt_app *app, const struct ip_req *q)
{
	const char *path = q->path ? q->path : "/", *qs = strchr(path, '?');
	const char *body = q->json ? q->json : q->form ? q->form : q->body;
	const char *ctype = q->content_type;
	size_t blen = body == NULL ? 0 : q->body && q->body_len ? q->body_len : strlen(body);
	char **env = NULL, id[33], *doc, *mlog = NULL;
	size_t nenv = 0, mlen = 0;
	struct reader rd = { body ? body : "", blen, q->chunk };
	struct ip_resp *a = xcalloc(1, sizeof(*a));
	struct wt_req r;
	struct wt_buf out, cookie;
	FILE *mem, *saved;

	a->next = responses;
	responses = a;
	if (use_app(app) != 0) {
		a->status = -1;
		a->body = xstrdup("");
		kv_init(&a->headers);
		return a;
	}
	if (ctype == NULL)
		ctype = q->json ? "application/json" :
		    q->form ? "application/x-www-form-urlencoded" : "";
	if (random_token_hex(16, id) != 0)
		snprintf(id, sizeof(id), "%032x", 0);
	a->request_id = xstrdup(id);

	/* What nginx/fastcgi.conf passes, and the request's headers. */
	env_add(&env, &nenv, "REQUEST_METHOD", q->method ? q->method : "GET");
	env_add(&env, &nenv, "QUERY_STRING", qs ? qs + 1 : "");
	env_add(&env, &nenv, "CONTENT_TYPE", ctype);
	env_add(&env, &nenv, "CONTENT_LENGTH", q->content_length ? q->content_length :
	    body ? ip_strf("%zu", blen) : "");
	env_add(&env, &nenv, "REQUEST_URI", path);
	doc = document_uri(path, qs ? (size_t)(qs - path) : strlen(path));
	env_add(&env, &nenv, "DOCUMENT_URI", doc);
	free(doc);
	env_add(&env, &nenv, "REMOTE_ADDR", q->remote_addr ? q->remote_addr : addr);
	env_add(&env, &nenv, "SERVER_NAME", "localhost");
	env_add(&env, &nenv, "HTTPS", "on");
	env_add(&env, &nenv, "REQUEST_ID", id);
	if (q->accept != NULL)
		env_add(&env, &nenv, "HTTP_ACCEPT", q->accept);
	if (q->bearer != NULL)
		env_add(&env, &nenv, "HTTP_AUTHORIZATION", ip_strf("Bearer %s", q->bearer));
	else if (q->authorization != NULL)
		env_add(&env, &nenv, "HTTP_AUTHORIZATION", q->authorization);
	if (q->csrf != NULL)
		env_add(&env, &nenv, "HTTP_X_CSRF_TOKEN", q->csrf);
	if (q->jar != NULL && q->jar->ua != NULL)
		env_add(&env, &nenv, "HTTP_USER_AGENT", q->jar->ua);
	buf_init(&cookie);
	for (size_t i = 0; q->jar != NULL && i < q->jar->cookies.n; i++)
		buf_printf(&cookie, "%s%s=%s", cookie.len ? "; " : "",
		    q->jar->cookies.items[i].key, q->jar->cookies.items[i].val);
	if (q->cookie != NULL)
		buf_printf(&cookie, "%s%s", cookie.len ? "; " : "", q->cookie);
	if (cookie.len > 0)
		env_add(&env, &nenv, "HTTP_COOKIE", cookie.data);
	buf_free(&cookie);
	for (size_t i = 0; i < IP_MAX_HEADERS && q->headers[i] != NULL; i++) {
		const char *h = q->headers[i], *colon = strchr(h, ':');

		if (colon == NULL) {
			ip_diag("request header without a colon: %s", h);
			continue;
		}
		env_header(&env, &nenv, h, (size_t)(colon - h), colon + 1 + strspn(colon + 1, " "));
	}

	/* The program's log goes to memory for the length of the request;
	 * sanitizer reports write to fd 2 and are not caught here. */
	fflush(stderr);
	saved = stderr;
	if ((mem = open_memstream(&mlog, &mlen)) != NULL)
		stderr = mem;

	/* As server.c's worker loop does. */
	req_init(&r, env);
	log_set_request(r.request_id);
	app_dispatch(app, &r, mem_read, &rd, (size_t)wt_cfg.http_max_body);
	db_after_request();
	buf_init(&out);
	resp_serialize(&r, &out);
	(void)resp_stream(&r, buf_sink, &out);
	db_after_request();
	req_free(&r);
	if (!q->hold_deferred) {
		app_run_deferred();
		db_after_request();
	}
	log_set_request(NULL);

	if (mem != NULL) {
		fclose(mem);
		stderr = saved;
	}
	a->log = mlog != NULL ? mlog : xstrdup("");
	if (logfile != NULL && mlen > 0) {
		fwrite(a->log, 1, mlen, logfile);
		fflush(logfile);
	}
	if (getenv("IP_VERBOSE") != NULL)
		fputs(a->log, stderr);
	for (size_t i = 0; i < nenv; i++)
		free(env[i]);
	free(env);

	a->raw_len = out.len;
	a->raw = buf_take(&out);
	parse_answer(a);
	if (q->jar != NULL)
		jar_take(q->jar, a);
	return a;
}

/* --- reading answers ----------------------------------------------------- */

const char *
ip_header(const struct ip_resp *a, const char *name)
{
	for (size_t i = 0; i < a->headers.n; i++)
		if (strcasecmp(a->headers.items[i].key, name) == 0)
			return a->headers.items[i].val;
	return NULL;
}

size_t
ip_header_count(const struct ip_resp *a, const char *name)
{
	size_t n = 0;

	for (size_t i = 0; i < a->headers.n; i++)
		if (strcasecmp(a->headers.items[i].key, name) == 0)
			n++;
	return n;
}

json_t *
ip_jfind(json_t *j, const char *path)
{
	char *copy, *seg, *save = NULL;

	if (j == NULL)
		return NULL;
	copy = xstrdup(path[0] == '.' ? path + 1 : path);
	for (seg = strtok_r(copy, ".", &save); seg != NULL && j != NULL;
	    seg = strtok_r(NULL, ".", &save)) {
		if (json_is_array(j)) {
			char *end;
			long i = strtol(seg, &end, 10);

			if (*end != '\0')
				j = NULL;
			else if (i < 0)
				j = json_array_get(j, json_array_size(j) + (size_t)i);
			else
				j = json_array_get(j, (size_t)i);
		} else if (json_is_object(j))
			j = json_object_get(j, seg);
		else
			j = NULL;
	}
	free(copy);
	return j;
}

json_t *
ip_jget(const struct ip_resp *a, const char *path)
{
	return ip_jfind(a->json, path);
}

const char *
ip_jval(json_t *root, const char *path)
{
	json_t *j = ip_jfind(root, path);

	if (j == NULL)
		return NULL;
	switch (json_typeof(j)) {
	case JSON_STRING:
		return json_string_value(j);
	case JSON_INTEGER:
		return ip_strf("%lld", (long long)json_integer_value(j));
	case JSON_REAL:
		return ip_strf("%g", json_real_value(j));
	case JSON_TRUE:
		return "true";
	case JSON_FALSE:
		return "false";
	case JSON_NULL:
		return "null";
	default:
		return keep(json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER));
	}
}

const char *
ip_jstr(const struct ip_resp *a, const char *path)
{
	return ip_jval(a->json, path);
}

long long
ip_jint(const struct ip_resp *a, const char *path)
{
	const char *s = ip_jstr(a, path);

	return s != NULL ? atoll(s) : -1;
}

static json_t *
parse_kept(const char *text)
{
	json_t *j = text != NULL ? json_loads(text, JSON_DECODE_ANY, NULL) : NULL;

	if (j == NULL)
		return NULL;
	if (nparsed == capparsed) {
		capparsed = capparsed ? capparsed * 2 : 32;
		parsed = xrealloc(parsed, capparsed * sizeof(*parsed));
	}
	parsed[nparsed++] = j;
	return j;
}

const char *
ip_jtext(const char *text, const char *path)
{
	return ip_jval(parse_kept(text), path);
}

const char *
ip_jnorm(const char *text)
{
	json_t *j = parse_kept(text);

	if (j == NULL)
		return NULL;
	return keep(json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY));
}

const char *
ip_jbody(const struct ip_resp *a)
{
	if (a->json == NULL)
		return NULL;
	return keep(json_dumps(a->json, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY));
}

const char *
ip_all_logs(void)
{
	struct wt_buf b;

	buf_init(&b);
	buf_puts(&b, "");
	for (const struct ip_resp *a = responses; a != NULL; a = a->next)
		if (a->log != NULL)
			buf_puts(&b, a->log);
	return keep(buf_take(&b));
}

const char *
ip_csrf(const struct ip_resp *a)
{
	static const char mark[] = "name=\"csrf\" value=\"";
	const char *p = a->body != NULL ? strstr(a->body, mark) : NULL;

	if (p == NULL)
		return NULL;
	p += sizeof(mark) - 1;
	return keep(xstrndup(p, strcspn(p, "\"")));
}

/* --- strings ------------------------------------------------------------- */

char *
ip_json(const char *fmt, ...)
{
	json_error_t err;
	json_t *j;
	char *s;
	va_list ap;

	va_start(ap, fmt);
	j = json_vpack_ex(&err, 0, fmt, ap);
	va_end(ap);
	if (j == NULL) {
		ip_diag("ip_json(\"%s\"): %s", fmt, err.text);
		return NULL;
	}
	s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
	json_decref(j);
	return keep(s);
}

char *
ip_strf(const char *fmt, ...)
{
	struct wt_buf b;
	va_list ap;

	buf_init(&b);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	return keep(buf_take(&b));
}

char *
ip_urlenc(const char *s)
{
	return keep(url_encode_component(s));
}

char *
ip_repeat(const char *s, size_t n)
{
	struct wt_buf b;

	buf_init(&b);
	buf_puts(&b, "");
	for (size_t i = 0; i < n; i++)
		buf_puts(&b, s);
	return keep(buf_take(&b));
}

/* --- fixtures ------------------------------------------------------------ */

static PGresult *
fixture_exec(const char *sql, va_list ap)
{
	const char *params[16];
	int n = 0;
	const char *p;
	PGresult *res;

	while ((p = va_arg(ap, const char *)) != NULL && n < 16)
		params[n++] = p;
	res = PQexecParams(fixture, sql, n, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK) {
		ip_diag("fixture SQL failed: %s\n%s", sql, PQresultErrorMessage(res));
		PQclear(res);
		return NULL;
	}
	return res;
}

const char *
ip_q(const char *sql, ...)
{
	PGresult *res;
	const char *v;
	va_list ap;

	va_start(ap, sql);
	res = fixture_exec(sql, ap);
	va_end(ap);
	if (res == NULL)
		return NULL;
	v = PQntuples(res) > 0 && PQnfields(res) > 0 ? keep(xstrdup(PQgetvalue(res, 0, 0))) : "";
	PQclear(res);
	return v;
}

const char *
ip_q_error(const char *sql)
{
	PGresult *res = PQexec(fixture, sql);
	const char *err = NULL;

	if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK)
		err = ip_strf("%s", PQresultErrorMessage(res));
	PQclear(res);
	return err;
}

int
ip_exec(const char *sql, ...)
{
	PGresult *res;
	va_list ap;

	va_start(ap, sql);
	res = fixture_exec(sql, ap);
	va_end(ap);
	if (res == NULL)
		return -1;
	PQclear(res);
	return 0;
}

int
ip_span(const char *device, const char *start, int minutes, const char *window, int afk)
{
	return ip_exec("INSERT INTO activity (started_at, device_id, duration_ms, window_id, afk)"
	    " VALUES ($1::timestamptz, $2, $3::int * 60000, $4, $5)", start, device,
	    ip_strf("%d", minutes), window, afk ? "true" : "false", NULL);
}

long long
ip_user(const char *email, const char *name, const char *role, const char *password)
{
	char mcf[WT_MCF_LEN];
	const char *id;

	if (password != NULL && password_hash(password, mcf) != 0) {
		ip_diag("password_hash failed");
		return 0;
	}
	/* As registration and wtctl do: the first password is in the
	 * history too, so it counts among the last five. */
	id = ip_q("WITH u AS (INSERT INTO users (email, display_name, role, status,"
	    " password_hash, email_verified_at, password_changed_at)"
	    " VALUES ($1, $2, $3, 'active', NULLIF($4, ''), now(), now()) RETURNING id,"
	    " password_hash), h AS (INSERT INTO password_history (user_id, password_hash)"
	    " SELECT id, password_hash FROM u WHERE password_hash IS NOT NULL)"
	    " SELECT id FROM u",
	    email, name, role, password != NULL ? mcf : "", NULL);
	return id != NULL ? atoll(id) : 0;
}

void
ip_run_deferred(void)
{
	FILE *saved = stderr;

	/* The program's log lines go where ip_do's go. */
	if (logfile != NULL)
		stderr = logfile;
	app_run_deferred();
	db_after_request();
	stderr = saved;
}

const char *
ip_token(long long uid)
{
	const char *ver = ip_q("SELECT token_version FROM users WHERE id = $1",
	    ip_strf("%lld", uid), NULL), *sid;
	char *t;

	if (ver == NULL || *ver == '\0')
		return NULL;
	/* Its session, as /api/v1/token makes one for a script. */
	sid = ip_q("INSERT INTO web_sessions (token_hash, user_id, expires_at, kind)"
	    " VALUES (md5(random()::text) || md5(random()::text), $1,"
	    " now() + make_interval(secs => $2::int), 'token') RETURNING id",
	    ip_strf("%lld", uid), ip_strf("%lld", wt_cfg.token_ttl_seconds), NULL);
	if (sid == NULL || *sid == '\0')
		return NULL;
	t = jwt_issue(uid, atoll(ver), atoll(sid), time(NULL), (long)wt_cfg.token_ttl_seconds);
	return t != NULL ? keep(t) : NULL;
}

int
ip_kill_app_conn(void)
{
	const char *n;

	if (current == NULL)
		return 0;
	/* Waits (up to 5 s) until the backend is gone. */
	n = ip_q("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 5000))"
	    " FROM pg_stat_activity WHERE application_name = $1",
	    ip_strf("%s-%s", current->name, tag), NULL);
	return n != NULL ? atoi(n) : -1;
}

/* --- cookies ------------------------------------------------------------- */

void
ip_jar_init(struct ip_jar *j)
{
	kv_init(&j->cookies);
	j->ua = NULL;
	j->next = NULL;
}

struct ip_jar *
ip_browser(const char *name)
{
	struct ip_jar *j = xmalloc(sizeof(*j));

	ip_jar_init(j);
	j->ua = ip_strf("worktime-test/%s", name);
	j->next = browsers;
	browsers = j;
	return j;
}

void
ip_forget(struct ip_jar *j)
{
	kv_free(&j->cookies);
}

void
ip_jar_free(struct ip_jar *j)
{
	kv_free(&j->cookies);
}

const char *
ip_jar_get(const struct ip_jar *j, const char *name)
{
	return kv_get(&j->cookies, name);
}
