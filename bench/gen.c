/* bench/gen: fills a Worktime database with realistic activity.
 *
 *   gen [--people N] [--days M] [--end YYYY-MM-DD] [--spans N] [--team NAME]
 *       [--seed S] [--prefix P] [--order time|device] [--quiet] CONNINFO
 *
 * N people (e-mail P<seed>-<i>@gen.worktime.test, created or reused, each
 * with one agent device), M days ending at --end (default: yesterday in
 * UTC), about --spans spans (default 1,500) on each working day, in each
 * person's time zone: a start between 7:30 and 10:00 local, coffee breaks
 * and reading pauses as AFK spans, lunch (away from the keyboard, or the
 * laptop asleep), meetings, evenings off, weekends mostly off, a day off
 * now and then.  Applications, titles and URLs come from a per-person mix
 * (developer, manager, designer, support, writer) with a personal
 * vocabulary, so windows repeat as they do in life and new ones (tickets,
 * pull requests, mails) keep appearing; titles include é, ß, 漢字, emoji.
 *
 * The same arguments and seed give the same people and the same spans.
 * Windows are stored through windows_intern() (so they are categorised as
 * ingest would categorise them), spans with COPY (binary) into activity,
 * one COPY per generated day.  --order time (the default) sends each day's
 * spans in start order across people, as live ingest would; --order device
 * sends them person by person, as a bulk import would.  Spans already
 * stored for these devices in the generated range are deleted first, so a
 * run can be repeated.
 *
 * --team NAME creates the team (or reuses it) and puts everyone in it; the
 * first person is its manager.  Everyone's password is GEN_PASSWORD below
 * (its scrypt hash is a constant: no hashing at run time).
 *
 * Links with libpq only.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libpq-fe.h>

#define GEN_PASSWORD "gen-bench-password"
/* libscrypt_hash(GEN_PASSWORD, N=16384, r=8, p=1), as cgi/core/password.c makes them. */
#define GEN_SCRYPT_MCF "$s1$0e0801$0go9NpQc8AdqIx7A/EmQlQ==$RSyot8SP6aQI0k9YCRet+xCMFs2/" \
	"svpwTi3zrobsArCial++w/TlE1ZLkcDSZm1HR4oghKd2tX8+JukBOhIRow=="

#define PG_EPOCH_UNIX 946684800LL	/* 2000-01-01T00:00:00Z */

static PGconn *db;
static bool quiet;

static void
die(const char *fmt, ...)
{
	va_list ap;

	fputs("gen: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void
info(const char *fmt, ...)
{
	va_list ap;

	if (quiet)
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		die("out of memory");
	return p;
}

static void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (p == NULL)
		die("out of memory");
	return p;
}

static char *
xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(xmalloc(n), s, n);
}

/* --- growable byte buffer --------------------------------------------------- */

struct buf {
	char *p;
	size_t len, cap;
};

static void
buf_need(struct buf *b, size_t n)
{
	if (b->len + n <= b->cap)
		return;
	while (b->len + n > b->cap)
		b->cap = b->cap ? b->cap * 2 : 4096;
	b->p = xrealloc(b->p, b->cap);
}

static void
buf_add(struct buf *b, const void *s, size_t n)
{
	buf_need(b, n);
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

static void
buf_str(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

static void
buf_be16(struct buf *b, uint16_t v)
{
	unsigned char c[2] = { v >> 8, v };

	buf_add(b, c, 2);
}

static void
buf_be32(struct buf *b, uint32_t v)
{
	unsigned char c[4] = { v >> 24, v >> 16, v >> 8, v };

	buf_add(b, c, 4);
}

static void
buf_be64(struct buf *b, uint64_t v)
{
	buf_be32(b, v >> 32);
	buf_be32(b, (uint32_t)v);
}

/* --- database helpers --------------------------------------------------------- */

static PGresult *
q(const char *sql, int n, const char *const *params, ExecStatusType want)
{
	PGresult *r = PQexecParams(db, sql, n, NULL, params, NULL, NULL, 0);

	if (PQresultStatus(r) != want)
		die("%s\n  in: %s", PQerrorMessage(db), sql);
	return r;
}

static void
cmd(const char *sql, int n, const char *const *params)
{
	PQclear(q(sql, n, params, PGRES_COMMAND_OK));
}

/* --- random numbers: xoshiro256**, seeded by splitmix64 ---------------------- */

struct rng {
	uint64_t s[4];
};

static uint64_t
splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void
rng_seed(struct rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t x = seed * 0x632be59bd9b4e019ULL + stream;

	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
}

static uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t
rnd(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

static double
unit(struct rng *r)	/* [0, 1) */
{
	return (rnd(r) >> 11) * 0x1.0p-53;
}

static int
below(struct rng *r, int n)	/* [0, n) */
{
	return n <= 1 ? 0 : (int)(unit(r) * n);
}

static bool
chance(struct rng *r, double p)
{
	return unit(r) < p;
}

static double
normal(struct rng *r)
{
	double u = unit(r), v = unit(r);

	return sqrt(-2.0 * log(1.0 - u)) * cos(2.0 * M_PI * v);
}

/* Roughly Zipf: index 0 is picked most, then 1, ...; offset rotates the
 * list so each person has favourites of their own. */
static int
zipf(struct rng *r, int n, int offset)
{
	int k = (int)floor(pow(n + 1.0, unit(r))) - 1;

	if (k < 0)
		k = 0;
	if (k >= n)
		k = n - 1;
	return (k + offset) % n;
}

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define PICK(r, a) ((a)[below((r), N(a))])

/* --- vocabulary ------------------------------------------------------------------ */

static const char *const first_names[] = {
	"Ada", "Zoë", "José", "Łukasz", "Siobhán", "Björn", "Chloé", "Mateo", "Aiko", "Priya",
	"Jürgen", "Noémie", "Oğuz", "Ana", "Kwame", "Mei", "Renée", "Søren", "Ines", "Dmitri",
	"Fatima", "Hiroshi", "Zoltán", "Amélie", "Tomás", "Leilani", "Ngozi", "Sven", "Élodie", "Raj",
};
static const char *const last_names[] = {
	"Müller", "García", "Wójcik", "O'Brien", "Andersson", "Dubois", "Rossi", "田中", "Sharma",
	"Schäfer", "Lefèvre", "Yılmaz", "Silva", "Mensah", "李", "Nørgaard", "Costa", "Ivanov",
	"Haddad", "佐藤", "Kovács", "Moreau", "Ó Súilleabháin", "Kahananui", "Okafor", "Lindqvist",
	"Fernández", "Patel", "Nguyễn", "Weiß",
};
/* Berlin and New York first: every run with ten people has both. */
static const char *const zones[] = {
	"Europe/Berlin", "America/New_York", "Europe/London", "America/Los_Angeles",
	"Europe/Berlin", "Asia/Kolkata", "America/New_York", "Asia/Tokyo", "Europe/Paris",
	"Australia/Sydney", "America/Sao_Paulo", "Europe/Berlin", "America/Chicago", "UTC",
	"Europe/Warsaw", "Asia/Singapore",
};
static const char *const projects[] = {
	"worktime", "billing-api", "frontend", "datalake", "infra", "mobile-app", "überweisung",
	"ledger", "search", "auth-service", "漢字-parser", "payments", "etl-jobs", "design-system",
	"kundenportal", "café-finder",
};
static const char *const files[] = {
	"main.c", "server.c", "db.c", "Makefile.am", "README.md", "schema.sql", "index.ts",
	"App.tsx", "utils.py", "models.py", "handler.go", "lib.rs", "Cargo.toml", "config.yaml",
	"Dockerfile", "test_api.py", "Überblick.md", "naïve_bayes.py", "日本語.txt", "CHANGELOG.md",
	"styles.css", "routes.rb", "pom.xml", "main.rs", "parser.y", "notes-🎉.md", "migrate.sh",
	"api_test.go", "Button.vue", "docker-compose.yml", "requirements.txt", "résumé.tex",
	"queries.sql", "worker.py", "Straße.java", "hooks.ts", "Makefile", "setup.cfg",
};
/* Editors: app, and the title around "file", "project" (every format
 * string stays a literal, for -Wformat=2). */
static const char *const editors[][3] = {
	{ "code", "", " - Visual Studio Code" },
	{ "code", "● ", " - Visual Studio Code" },
	{ "jetbrains-idea", "", "" },
	{ "jetbrains-pycharm", "", "" },
	{ "jetbrains-goland", "", "" },
	{ "emacs", "", " - GNU Emacs" },
	{ "sublime_text", "", " - Sublime Text" },
	{ "gvim", "", " - GVIM" },
};
static const char *const terminals[] = {
	"gnome-terminal-server", "kitty", "Alacritty", "konsole", "xfce4-terminal", "wezterm-gui",
};
/* Terminal titles: what runs, then where. */
static const char *const term_cmds[] = {
	"", "make test — ", "nvim — ", "htop — ", "ssh deploy@prod-1 — ", "psql — ", "git log — ",
	"docker compose up — ", "npm run dev — ", "cargo build — ", "python3 manage.py shell — ",
	"tail -f /var/log/syslog — ",
};
static const char *const browsers[][2] = {	/* app, title suffix */
	{ "firefox", " — Mozilla Firefox" },
	{ "google-chrome", " - Google Chrome" },
	{ "chromium", " - Chromium" },
	{ "brave-browser", " - Brave" },
	{ "firefox", " — Mozilla Firefox" },
};
static const char *const so_questions[] = {
	"How do I make 'ß' sort after 's' in PostgreSQL?",
	"Why does ü turn into Ã¼ when I read a UTF-8 file?",
	"Counting emoji 😀 in a C string: bytes vs code points",
	"What is the difference between a partitioned index and a local index?",
	"git rebase --onto explained",
	"How to exit Vim?",
	"Fastest way to bulk insert into PostgreSQL from C (libpq COPY)",
	"Regex to match a URL host but not its path",
	"Why is my Go channel deadlocking?",
	"CSS grid: how to center a div vertically and horizontally",
	"Rust borrow checker: cannot borrow `*self` as mutable more than once",
	"Python asyncio: Task was destroyed but it is pending!",
	"nginx: upstream sent too big header while reading response header",
	"TypeScript: Type 'string' is not assignable to type 'never'",
	"How to convert 漢字 to Unicode escapes in JavaScript?",
	"Docker: permission denied while trying to connect to the Docker daemon socket",
	"Time zones: why does Europe/Berlin have two 02:30 in October?",
	"strncpy vs strlcpy vs snprintf",
};
static const char *const docs_pages[][2] = {	/* title, url */
	{ "Array.prototype.map() - JavaScript | MDN", "https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/Array/map" },
	{ "PostgreSQL: Documentation: 15: 5.11. Table Partitioning", "https://www.postgresql.org/docs/15/ddl-partitioning.html" },
	{ "PostgreSQL: Documentation: 15: COPY", "https://www.postgresql.org/docs/15/sql-copy.html" },
	{ "std::vector - cppreference.com", "https://en.cppreference.com/w/cpp/container/vector" },
	{ "serde - Rust", "https://docs.rs/serde/latest/serde/" },
	{ "asyncio — Asynchronous I/O — Python 3.12 documentation", "https://docs.python.org/3/library/asyncio.html" },
	{ "net/http - Go Packages", "https://pkg.go.dev/net/http" },
	{ "strftime(3) - Linux manual page", "https://man7.org/linux/man-pages/man3/strftime.3.html" },
	{ "Flexbox - Learn web development | MDN", "https://developer.mozilla.org/en-US/docs/Learn/CSS/CSS_layout/Flexbox" },
	{ "PostgreSQL: Documentation: 15: 9.7. Pattern Matching", "https://www.postgresql.org/docs/15/functions-matching.html" },
};
static const char *const summaries[] = {
	"Fix login redirect loop", "Add CSV export", "Crash when title contains emoji 🎉",
	"Rechnungsnummer doppelt vergeben", "Améliorer la page d'accueil", "Timezone bug in weekly report",
	"漢字の表示が崩れる", "Upgrade PostgreSQL to 15", "Slow dashboard for large teams",
	"Rate limit per device", "Dark mode", "Passwort-Reset-Mail kommt nicht an",
	"Refactor billing worker", "Support SSO (SAML)", "Flaky test in CI", "Onboarding flow v2",
	"Données manquantes dans l'export", "Memory leak in agent", "Ajuster les marges du PDF",
	"Mobile: crash on Android 14",
};
static const char *const gdocs[] = {
	"Q3 Planung – Überblick", "Roadmap 2025", "Compte rendu réunion d'équipe", "設計書 v2",
	"Onboarding checklist ✅", "Incident post-mortem: 502s on Monday", "Hiring plan",
	"Interview notes — Backend", "OKRs H2", "Budget", "Reisekosten", "Retro notes 🙂",
	"Architecture decision records", "Customer feedback (März)",
};
static const char *const queries[] = {
	"postgres partition default", "café near me", "東京 天気", "how to center a div",
	"Straßenbahn Fahrplan", "utf-8 emoji length", "libpq copy binary format",
	"rfc 3339 milliseconds", "nginx limit_req burst", "wie spät ist es in new york",
	"recette crêpes", "jq select multiple fields", "timezone europe berlin dst 2025",
	"git undo last commit", "ssh agent forwarding", "brotli vs gzip",
};
static const char *const videos[] = {
	"lofi hip hop radio 📚 - beats to relax/study to",
	"Rick Astley - Never Gonna Give You Up (Official Music Video)",
	"【作業用BGM】カフェで流れるジャズ ☕",
	"Das Universum erklärt – Kurzgesagt",
	"CppCon 2023: Back to Basics: Move Semantics",
	"Les Misérables — Bande-annonce officielle",
	"How PostgreSQL Partitioning Works",
	"Gordon Ramsay's ultimate cooking course 🍳",
	"10 hours of rain sounds 🌧️",
	"Linus Torvalds on C vs Rust",
	"Fußball: Die besten Tore der Saison ⚽",
	"猫のおもしろ動画 😹",
};
static const char *const reddit_posts[] = {
	"What's the most cursed code you've seen in production?",
	"PostgreSQL 17 released", "Is it just me or are standups getting longer?",
	"I rewrote our CI in Bash and I regret nothing",
	"TIL the ß character has an uppercase form: ẞ",
	"Best mechanical keyboard for programming?", "Ask HN style thread: what's your setup? 🖥️",
};
static const char *const news[][2] = {
	{ "Hacker News", "https://news.ycombinator.com/" },
	{ "Elections: what we know so far | BBC News", "https://www.bbc.com/news/world" },
	{ "Wetter: Sturm über Norddeutschland - DER SPIEGEL", "https://www.spiegel.de/panorama/" },
	{ "Le Monde.fr - Actualités et Infos en France et dans le monde", "https://www.lemonde.fr/" },
	{ "Markets live: stocks rise | Reuters", "https://www.reuters.com/markets/" },
};
static const char *const shops[][2] = {
	{ "Amazon.de: Kaffeemühle elektrisch", "https://www.amazon.de/s?k=kaffeem%C3%BChle" },
	{ "USB-C Hub | eBay", "https://www.ebay.com/sch/i.html?_nkw=usb-c+hub" },
	{ "Mechanical keyboard – AliExpress", "https://www.aliexpress.com/item/1005001.html" },
	{ "Handmade mug ☕ – Etsy", "https://www.etsy.com/listing/12345/mug" },
};
static const char *const channels[] = {
	"#general", "#général", "#dev", "#random", "#incidents", "#東京-office", "#design 🎨",
	"#support", "#deploys", "#café", "#team-backend", "#announcements",
};
/* Mail subjects; a number is appended to make threads. */
static const char *const subjects[] = {
	"Re: Café meeting ☕ tomorrow", "Fwd: Rechnung Nr.", "PR review requested:",
	"Réunion d'équipe — ordre du jour", "出張の件", "Your weekly report", "Re: Urlaubsantrag",
	"Invitation: Sprint review @ Thu", "Re: Angebot", "Security alert for your account",
	"Newsletter — März", "Re: quick question 🙂",
};
static const char *const songs[] = {
	"Sigur Rós - Hoppípolla", "坂本龍一 - Merry Christmas Mr. Lawrence", "Beyoncé - Halo",
	"Motörhead - Ace of Spades", "Björk - Jóga", "Daft Punk - Around the World",
	"Mötley Crüe - Kickstart My Heart", "Hikaru Utada - First Love", "Stromae - Alors on danse",
	"Nils Frahm - Says",
};
static const char *const office_docs[][2] = {
	{ "libreoffice-calc", "Budget 2025.ods - LibreOffice Calc" },
	{ "libreoffice-calc", "Reisekostenabrechnung März.xlsx - LibreOffice Calc" },
	{ "libreoffice-writer", "Angebot Müller GmbH.odt - LibreOffice Writer" },
	{ "libreoffice-impress", "All-hands Q3.odp - LibreOffice Impress" },
	{ "evince", "RFC 3339 — Date and Time on the Internet.pdf" },
	{ "evince", "Arbeitsvertrag.pdf" },
	{ "okular", "PostgreSQL internals – 第3章.pdf — Okular" },
	{ "obsidian", "Daily note - vault - Obsidian" },
};
static const char *const design_docs[][2] = {
	{ "figma-linux", "Design system v3 – Figma" },
	{ "figma-linux", "Onboarding — mobile – Figma" },
	{ "gimp-2.10", "[logo-v3] (imported)-1.0 (RGB color 8-bit gamma integer, GIMP built-in sRGB, 1 layer) 1024x768 – GIMP" },
	{ "inkscape", "icônes-ü.svg - Inkscape" },
	{ "krita", "illustration_春.kra - Krita" },
	{ "blender", "scene_final_v2.blend - Blender" },
};
static const char *const folders[] = {
	"Downloads", "Téléchargements", "ドキュメント", "src", "Bilder", "Desktop", "Projects",
};
/* Sites the default categories do not know; a number is appended. */
static const char *const internal_sites[][2] = {
	{ "Grafana – Dashboards – Ingest", "https://grafana.acme.internal/d/ingest/" },
	{ "Acme Intranet – Startseite", "https://intranet.acme.internal/news/" },
	{ "Jenkins » build", "https://ci.acme.internal/job/main/" },
	{ "Zendesk: Ticket – Acme Support", "https://acme.zendesk.com/agent/tickets/" },
	{ "Kibana – Discover", "https://logs.acme.internal/app/discover/" },
	{ "Personio – Abwesenheiten", "https://acme.personio.de/time-off/" },
};

/* What a person does, and how much, by profile. */
enum act {
	A_EDITOR, A_TERMINAL, A_CODEHOST, A_DOCS, A_SO, A_TICKETS, A_GDOCS, A_SEARCH, A_VIDEO,
	A_SOCIAL, A_NEWS, A_SHOP, A_CHAT, A_MAIL, A_MUSIC, A_OFFICE, A_DESIGN, A_FILES,
	A_INTERNAL, A_NACT
};
enum profile { P_DEV, P_MANAGER, P_DESIGNER, P_SUPPORT, P_WRITER, P_N };
static const int weights[P_N][A_NACT] = {
	/*            ED  TE  CH  DO  SO  TI  GD  SE  VI  SOC NE  SH  CHA MA  MU  OF  DE  FI  IN */
	[P_DEV]      = { 30, 16, 8,  4,  4,  5,  2,  5,  2,  2,  2,  0,  10, 3,  1,  0,  0,  2,  4 },
	[P_MANAGER]  = { 0,  1,  3,  0,  0,  12, 16, 5,  2,  3,  2,  1,  25, 16, 1,  8,  0,  2,  3 },
	[P_DESIGNER] = { 2,  1,  2,  1,  0,  6,  5,  6,  4,  4,  1,  1,  16, 5,  3,  2,  35, 4,  2 },
	[P_SUPPORT]  = { 0,  2,  1,  2,  0,  10, 4,  8,  2,  3,  2,  1,  20, 18, 1,  2,  0,  2,  22 },
	[P_WRITER]   = { 6,  1,  1,  3,  0,  5,  30, 10, 3,  5,  4,  1,  12, 8,  2,  6,  0,  2,  1 },
};

/* --- windows: (app, title, url) known to this run ------------------------------ */

struct win {
	char *app, *title, *url;
	int32_t id;	/* 0 until stored */
};
static struct win *wins;
static int nwins, capwins;
static int *slots;	/* hash table of indexes into wins, -1 = empty */
static size_t nslots;
static int *pending;	/* indexes of windows not yet stored */
static int npending, cappending;
static long new_windows_total;

static uint64_t
hash3(const char *a, const char *t, const char *u)
{
	uint64_t h = 1469598103934665603ULL;
	const char *parts[3] = { a, t, u };

	for (int i = 0; i < 3; i++) {
		for (const unsigned char *p = (const unsigned char *)parts[i]; *p; p++)
			h = (h ^ *p) * 1099511628211ULL;
		h = (h ^ 0xff) * 1099511628211ULL;
	}
	return h;
}

static void
slots_grow(void)
{
	size_t n = nslots ? nslots * 2 : 1 << 16;

	free(slots);
	slots = xmalloc(n * sizeof *slots);
	for (size_t i = 0; i < n; i++)
		slots[i] = -1;
	nslots = n;
	for (int w = 0; w < nwins; w++) {
		size_t i = hash3(wins[w].app, wins[w].title, wins[w].url) & (nslots - 1);

		while (slots[i] >= 0)
			i = (i + 1) & (nslots - 1);
		slots[i] = w;
	}
}

/* Cuts s at max bytes on a UTF-8 character boundary, as ingest does. */
static void
utf8_cut(char *s, size_t max)
{
	size_t n = strlen(s);

	if (n <= max)
		return;
	n = max;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	s[n] = '\0';
}

static int
win_get(char *app, char *title, char *url)
{
	uint64_t h;
	size_t i;

	utf8_cut(app, 256);
	utf8_cut(title, 1024);
	utf8_cut(url, 1024);
	if ((size_t)(nwins + 1) * 2 > nslots)
		slots_grow();
	h = hash3(app, title, url);
	for (i = h & (nslots - 1); slots[i] >= 0; i = (i + 1) & (nslots - 1)) {
		struct win *w = &wins[slots[i]];

		if (strcmp(w->title, title) == 0 && strcmp(w->app, app) == 0 &&
		    strcmp(w->url, url) == 0)
			return slots[i];
	}
	if (nwins == capwins) {
		capwins = capwins ? capwins * 2 : 4096;
		wins = xrealloc(wins, capwins * sizeof *wins);
	}
	wins[nwins] = (struct win){ xstrdup(app), xstrdup(title), xstrdup(url), 0 };
	slots[i] = nwins;
	if (npending == cappending) {
		cappending = cappending ? cappending * 2 : 4096;
		pending = xrealloc(pending, cappending * sizeof *pending);
	}
	pending[npending++] = nwins;
	return nwins++;
}

/* A PostgreSQL array literal element: quoted, with \ and " escaped. */
static void
arr_elem(struct buf *b, const char *s, bool first)
{
	if (!first)
		buf_add(b, ",", 1);
	buf_add(b, "\"", 1);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			buf_add(b, "\\", 1);
		buf_add(b, s, 1);
	}
	buf_add(b, "\"", 1);
}

/* Stores the pending windows through windows_intern(), 1,000 per call. */
static void
win_flush(void)
{
	for (int off = 0; off < npending; off += 1000) {
		int n = npending - off < 1000 ? npending - off : 1000;
		struct buf a = { 0 }, t = { 0 }, u = { 0 };
		const char *params[3];
		PGresult *r;
		const char *p;

		buf_add(&a, "{", 1);
		buf_add(&t, "{", 1);
		buf_add(&u, "{", 1);
		for (int i = 0; i < n; i++) {
			struct win *w = &wins[pending[off + i]];

			arr_elem(&a, w->app, i == 0);
			arr_elem(&t, w->title, i == 0);
			arr_elem(&u, w->url, i == 0);
		}
		buf_add(&a, "}", 2);
		buf_add(&t, "}", 2);
		buf_add(&u, "}", 2);
		params[0] = a.p;
		params[1] = t.p;
		params[2] = u.p;
		r = q("SELECT windows_intern($1::text[], $2::text[], $3::text[])::text,"
		      " (SELECT count(*) FROM windows)", 3, params, PGRES_TUPLES_OK);
		p = PQgetvalue(r, 0, 0);
		if (*p++ != '{')
			die("windows_intern: unexpected answer");
		for (int i = 0; i < n; i++) {
			char *end;
			long id = strtol(p, &end, 10);

			if (end == p || id <= 0)
				die("windows_intern: no id for window %d", i);
			wins[pending[off + i]].id = (int32_t)id;
			p = end + 1;
		}
		PQclear(r);
		free(a.p);
		free(t.p);
		free(u.p);
	}
	npending = 0;
}

/* --- people ----------------------------------------------------------------------- */

struct person {
	int idx;
	long user_id;
	long device_id;
	const char *tz;
	enum profile profile;
	struct rng rng;
	int start_min;		/* usual start, minutes after local midnight */
	int browser, editor, terminal;
	bool has_url;		/* the browser extension reports URLs */
	int fav;		/* rotation of the Zipf picks */
	int ticket0, pr0, mail0;
	char login[32], host[32];
	int proj[4];
	int nproj;
	int last_win;
};

/* The numbers of the day's tickets, pull requests, mails: a moving range,
 * so some are new each day and most were seen before. */
static int
fresh(struct person *p, int base, int day, int spread)
{
	return base + day * 3 + zipf(&p->rng, spread, 0);
}

static void
url_encode(char *out, size_t cap, const char *s)
{
	size_t n = 0;

	for (; *s && n + 4 < cap; s++) {
		unsigned char c = (unsigned char)*s;

		if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~')
			out[n++] = c;
		else if (c == ' ')
			out[n++] = '+';
		else
			n += snprintf(out + n, cap - n, "%%%02X", c);
	}
	out[n] = '\0';
}

/* One window for activity a of person p on day `day`. */
static int
make_window(struct person *p, enum act a, int day)
{
	struct rng *r = &p->rng;
	char app[300], title[1200], url[1200], tmp[800], enc[300], qenc[900];
	const char *bapp = browsers[p->browser][0], *bsuf = browsers[p->browser][1];
	const char *proj = projects[p->proj[zipf(r, p->nproj, 0)]];
	bool web = false;
	int n;

	url[0] = '\0';
	switch (a) {
	case A_EDITOR:
		snprintf(app, sizeof app, "%s", editors[p->editor][0]);
		if (p->editor >= 2 && p->editor <= 4)	/* JetBrains: project first */
			snprintf(title, sizeof title, "%s – %s", proj, files[zipf(r, N(files), p->fav)]);
		else
			snprintf(title, sizeof title, "%s%s - %s%s", editors[p->editor][1],
				 files[zipf(r, N(files), p->fav)], proj, editors[p->editor][2]);
		break;
	case A_TERMINAL:
		snprintf(app, sizeof app, "%s", terminals[p->terminal]);
		snprintf(title, sizeof title, "%s%s@%s: ~/src/%s",
			 term_cmds[zipf(r, N(term_cmds), 0)], p->login, p->host, proj);
		break;
	case A_CODEHOST:
		web = true;
		n = fresh(p, p->pr0, day, 40);
		switch (below(r, 4)) {
		case 0:
			snprintf(tmp, sizeof tmp, "%s by %s · Pull Request #%d · acme/%s",
				 summaries[n % N(summaries)], p->login, n, proj);
			snprintf(url, sizeof url, "https://github.com/acme/%s/pull/%d", proj, n);
			break;
		case 1:
			snprintf(tmp, sizeof tmp, "Issues · acme/%s", proj);
			snprintf(url, sizeof url, "https://github.com/acme/%s/issues", proj);
			break;
		case 2:
			snprintf(tmp, sizeof tmp, "%s/%s at main · acme/%s", proj,
				 files[zipf(r, N(files), p->fav)], proj);
			snprintf(url, sizeof url, "https://github.com/acme/%s/blob/main/%s", proj,
				 files[zipf(r, N(files), p->fav)]);
			break;
		default:
			snprintf(tmp, sizeof tmp, "Pipeline #%d · acme / %s · GitLab", 90000 + n, proj);
			snprintf(url, sizeof url, "https://gitlab.com/acme/%s/-/pipelines/%d", proj, 90000 + n);
		}
		break;
	case A_DOCS:
		web = true;
		n = zipf(r, N(docs_pages), p->fav);
		snprintf(tmp, sizeof tmp, "%s", docs_pages[n][0]);
		snprintf(url, sizeof url, "%s", docs_pages[n][1]);
		break;
	case A_SO:
		web = true;
		n = zipf(r, N(so_questions), p->fav);
		snprintf(tmp, sizeof tmp, "%s - Stack Overflow", so_questions[n]);
		snprintf(url, sizeof url, "https://stackoverflow.com/questions/%d", 1000000 + n * 7919);
		break;
	case A_TICKETS:
		web = true;
		n = fresh(p, p->ticket0, day, 60);
		snprintf(tmp, sizeof tmp, "[PROJ-%d] %s - Jira", n, summaries[(n * 7) % N(summaries)]);
		snprintf(url, sizeof url, "https://acme.atlassian.net/browse/PROJ-%d", n);
		if (chance(r, 0.2)) {
			snprintf(tmp, sizeof tmp, "Sprint %d board - Agile Board - Jira", 40 + day / 14);
			snprintf(url, sizeof url, "https://acme.atlassian.net/jira/software/projects/PROJ/boards/1");
		}
		break;
	case A_GDOCS:
		web = true;
		n = zipf(r, N(gdocs), p->fav);
		snprintf(tmp, sizeof tmp, "%s - Google %s", gdocs[n], n % 4 == 3 ? "Sheets" : "Docs");
		snprintf(url, sizeof url, "https://docs.google.com/%s/d/1%07dacme/edit",
			 n % 4 == 3 ? "spreadsheets" : "document", n * 104729);
		break;
	case A_SEARCH:
		web = true;
		if (chance(r, 0.3))	/* a search never typed before */
			snprintf(enc, sizeof enc, "%s %s", PICK(r, queries), PICK(r, summaries));
		else
			snprintf(enc, sizeof enc, "%s", queries[zipf(r, N(queries), p->fav)]);
		snprintf(tmp, sizeof tmp, "%s - Google Search", enc);
		url_encode(qenc, sizeof qenc, enc);
		snprintf(url, sizeof url, "https://www.google.com/search?q=%s", qenc);
		break;
	case A_VIDEO:
		web = true;
		n = zipf(r, N(videos), p->fav);
		snprintf(tmp, sizeof tmp, "%s - YouTube", videos[n]);
		snprintf(url, sizeof url, "https://www.youtube.com/watch?v=%011d", n * 48271);
		break;
	case A_SOCIAL:
		web = true;
		switch (below(r, 3)) {
		case 0:
			n = below(r, N(reddit_posts));
			snprintf(tmp, sizeof tmp, "%s : r/programming", reddit_posts[n]);
			snprintf(url, sizeof url, "https://www.reddit.com/r/programming/comments/%x/", 0x1a2b3 + n + day * 11);
			break;
		case 1:
			snprintf(tmp, sizeof tmp, "Home / X");
			snprintf(url, sizeof url, "https://x.com/home");
			break;
		default:
			snprintf(tmp, sizeof tmp, "(%d) Feed | LinkedIn", below(r, 12));
			snprintf(url, sizeof url, "https://www.linkedin.com/feed/");
		}
		break;
	case A_NEWS:
		web = true;
		n = zipf(r, N(news), p->fav);
		snprintf(tmp, sizeof tmp, "%s", news[n][0]);
		snprintf(url, sizeof url, "%s", news[n][1]);
		break;
	case A_SHOP:
		web = true;
		n = below(r, N(shops));
		snprintf(tmp, sizeof tmp, "%s", shops[n][0]);
		snprintf(url, sizeof url, "%s", shops[n][1]);
		break;
	case A_CHAT:
		if (chance(r, 0.75)) {
			snprintf(app, sizeof app, "Slack");
			if (chance(r, 0.7))
				snprintf(title, sizeof title, "%s - Acme - Slack",
					 channels[zipf(r, N(channels), p->fav)]);
			else
				snprintf(title, sizeof title, "%s %s (DM) - Acme - Slack",
					 PICK(r, first_names), PICK(r, last_names));
		} else {
			snprintf(app, sizeof app, "teams-for-linux");
			snprintf(title, sizeof title, "Chat | %s %s | Microsoft Teams",
				 PICK(r, first_names), PICK(r, last_names));
		}
		break;
	case A_MAIL:
		n = fresh(p, p->mail0, day, 30);
		snprintf(enc, sizeof enc, "%s %d", subjects[n % N(subjects)], n);
		if (p->browser % 2 == 0 && p->has_url) {
			web = true;
			if (chance(r, 0.5)) {
				snprintf(tmp, sizeof tmp, "Inbox (%d) - %s@acme.test - Acme Mail", below(r, 40), p->login);
				snprintf(url, sizeof url, "https://mail.google.com/mail/u/0/#inbox");
			} else {
				snprintf(tmp, sizeof tmp, "%s - %s@acme.test - Acme Mail", enc, p->login);
				snprintf(url, sizeof url, "https://mail.google.com/mail/u/0/#inbox/%x", n * 2654435761u);
			}
		} else {
			snprintf(app, sizeof app, "thunderbird");
			if (chance(r, 0.4))
				snprintf(title, sizeof title, "Inbox - %s@acme.test - Mozilla Thunderbird", p->login);
			else
				snprintf(title, sizeof title, "%s - Mozilla Thunderbird", enc);
		}
		break;
	case A_MUSIC:
		snprintf(app, sizeof app, "spotify");
		snprintf(title, sizeof title, "%s", songs[zipf(r, N(songs), p->fav)]);
		break;
	case A_OFFICE:
		n = zipf(r, N(office_docs), p->fav);
		snprintf(app, sizeof app, "%s", office_docs[n][0]);
		snprintf(title, sizeof title, "%s", office_docs[n][1]);
		break;
	case A_DESIGN:
		n = zipf(r, N(design_docs), p->fav);
		if (n < 2 && p->has_url) {
			web = true;
			snprintf(tmp, sizeof tmp, "%s", design_docs[n][1]);
			snprintf(url, sizeof url, "https://www.figma.com/file/%05dAcme/", n * 31337);
		} else {
			snprintf(app, sizeof app, "%s", design_docs[n][0]);
			snprintf(title, sizeof title, "%s", design_docs[n][1]);
		}
		break;
	case A_FILES:
		snprintf(app, sizeof app, "%s", chance(r, 0.8) ? "nautilus" : "keepassxc");
		snprintf(title, sizeof title, "%s", strcmp(app, "nautilus") == 0 ?
			 folders[zipf(r, N(folders), p->fav)] : "Passwords.kdbx - KeePassXC");
		break;
	default:	/* A_INTERNAL */
		web = true;
		n = zipf(r, N(internal_sites), p->profile == P_SUPPORT ? 3 : 0);
		{
			int num = fresh(p, 5000 + p->idx * 97, day, 50);

			snprintf(tmp, sizeof tmp, "%s #%d", internal_sites[n][0], num);
			snprintf(url, sizeof url, "%s%d", internal_sites[n][1], num);
		}
	}
	if (web) {
		snprintf(app, sizeof app, "%s", bapp);
		snprintf(title, sizeof title, "%s%s", tmp, bsuf);
		if (!p->has_url)
			url[0] = '\0';
	}
	return win_get(app, title, url);
}

static enum act
pick_act(struct person *p)
{
	const int *w = weights[p->profile];
	int total = 0, x;

	for (int a = 0; a < A_NACT; a++)
		total += w[a];
	x = below(&p->rng, total);
	for (int a = 0; a < A_NACT; a++)
		if ((x -= w[a]) < 0)
			return (enum act)a;
	return A_EDITOR;
}

/* --- spans -------------------------------------------------------------------------- */

struct span {
	int64_t start_ms;	/* Unix epoch, ms */
	int32_t dur_ms;
	int32_t device;
	int32_t win;		/* index into wins */
	bool afk;
};
static struct span *spans;
static size_t nspans, capspans;

static void
add_span(struct person *p, int64_t start_ms, int64_t dur_ms, int win, bool afk)
{
	if (dur_ms <= 0)
		return;
	if (dur_ms > 86400000)
		dur_ms = 86400000;
	if (nspans == capspans) {
		capspans = capspans ? capspans * 2 : 1 << 16;
		spans = xrealloc(spans, capspans * sizeof *spans);
	}
	spans[nspans++] = (struct span){ start_ms, (int32_t)dur_ms, (int32_t)p->device_id, win, afk };
}

/* Spans of active use over [a, b) ms; mean_ms is the day's mean length. */
static void
fill(struct person *p, int64_t a, int64_t b, double mean_ms, int day)
{
	const double sigma = 1.1;
	double median = mean_ms / exp(sigma * sigma / 2);

	while (a < b) {
		enum act act = pick_act(p);
		double d = median * exp(sigma * normal(&p->rng));
		int64_t dur;
		int w;

		if (act == A_VIDEO || act == A_MUSIC)
			d *= 2.5;
		if (d > 30 * 60000.0)
			d = 30 * 60000.0;
		if (d < 300)
			d = 300 + below(&p->rng, 700);
		dur = (int64_t)d;
		if (a + dur > b || b - (a + dur) < 300)
			dur = b - a;
		/* Back to the same window now and then (alt-tab round trips). */
		if (p->last_win >= 0 && chance(&p->rng, 0.12))
			w = p->last_win;
		else
			w = make_window(p, act, day);
		if (w == p->last_win && nspans > 0 && spans[nspans - 1].device == p->device_id &&
		    spans[nspans - 1].start_ms + spans[nspans - 1].dur_ms == a && !spans[nspans - 1].afk) {
			/* The agent would have coalesced it into the previous span. */
			spans[nspans - 1].dur_ms += (int32_t)dur;
		} else
			add_span(p, a, dur, w, false);
		p->last_win = w;
		a += dur;
	}
}

struct block {
	int from, to;	/* minutes after local midnight */
	int kind;	/* 0 AFK break, 1 lunch, 2 meeting */
};

static int
cmp_block(const void *a, const void *b)
{
	return ((const struct block *)a)->from - ((const struct block *)b)->from;
}

/* Epoch seconds of local 12:00 on date y-m-d in the current TZ. */
static int64_t
local_noon(int y, int m, int d, int *wday)
{
	struct tm tm = { 0 };
	time_t t;

	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_hour = 12;
	tm.tm_isdst = -1;
	t = mktime(&tm);
	*wday = tm.tm_wday;
	return (int64_t)t;
}

/* One local day of person p; `day` counts from the first generated day. */
static void
gen_day(struct person *p, int y, int m, int d, int day, int target)
{
	struct rng *r = &p->rng;
	struct block blk[16];
	int nb = 0, wday, start, end, cursor, total_fill = 0, want;
	int64_t noon;
	double mean_ms;

	setenv("TZ", p->tz, 1);
	tzset();
	noon = local_noon(y, m, d, &wday);
#define AT(min) ((noon + ((int64_t)(min) - 720) * 60) * 1000)

	p->last_win = -1;
	if (wday == 0 || wday == 6) {
		/* A few hours on a weekend, rarely. */
		if (!chance(r, wday == 6 ? 0.08 : 0.03))
			return;
		start = 600 + below(r, 240);
		end = start + 60 + below(r, 150);
		want = target * (end - start) / 480;
		mean_ms = (end - start) * 60000.0 / (want > 10 ? want : 10);
		fill(p, AT(start), AT(end), mean_ms, day);
		return;
	}
	if (chance(r, 0.04))	/* a day off */
		return;
	start = p->start_min + (int)(normal(r) * 15);
	end = start + 480 + 30 + (int)(normal(r) * 40);
	/* Lunch around noon, 30 to 60 minutes. */
	blk[nb].from = 690 + below(r, 90);
	blk[nb].to = blk[nb].from + 30 + below(r, 31);
	blk[nb++].kind = 1;
	/* Coffee breaks and reading pauses: 2 to 5, 4 to 15 minutes, away. */
	for (int i = 2 + below(r, 4); i > 0; i--) {
		blk[nb].from = start + 20 + below(r, end - start - 40);
		blk[nb].to = blk[nb].from + 4 + below(r, 12);
		blk[nb++].kind = 0;
	}
	/* Meetings: one window (Zoom, Meet) for half an hour or an hour. */
	for (int i = below(r, p->profile == P_MANAGER ? 5 : 3); i > 0; i--) {
		blk[nb].from = (start / 30 + 1 + below(r, (end - start) / 30 - 2)) * 30;
		blk[nb].to = blk[nb].from + (chance(r, 0.6) ? 30 : 60);
		blk[nb++].kind = 2;
	}
	qsort(blk, nb, sizeof blk[0], cmp_block);
	/* Drop blocks that overlap an earlier one or the day's ends. */
	cursor = start;
	for (int i = 0; i < nb; i++) {
		if (blk[i].from < cursor || blk[i].to > end) {
			blk[i].kind = -1;
			continue;
		}
		total_fill += blk[i].from - cursor;
		cursor = blk[i].to;
	}
	total_fill += end - cursor;
	want = target + (int)(normal(r) * target * 0.12);
	if (want < 50)
		want = 50;
	/* Returns to the window just left merge into the span before (about
	 * one in eight) and video/music runs are longer: aim higher to land
	 * on `want` spans. */
	mean_ms = total_fill * 60000.0 / (want * 1.2);

	cursor = start;
	for (int i = 0; i < nb; i++) {
		int w;

		if (blk[i].kind < 0)
			continue;
		fill(p, AT(cursor), AT(blk[i].from), mean_ms, day);
		switch (blk[i].kind) {
		case 0:	/* away: the last window stays in front */
			if (p->last_win >= 0)
				add_span(p, AT(blk[i].from), AT(blk[i].to) - AT(blk[i].from), p->last_win, true);
			break;
		case 1:	/* lunch: away with the screen on, or the laptop asleep */
			if (p->last_win >= 0 && chance(r, 0.5))
				add_span(p, AT(blk[i].from), AT(blk[i].to) - AT(blk[i].from), p->last_win, true);
			p->last_win = -1;
			break;
		case 2: {
			char app[300], title[1200], url[1200];

			if (chance(r, 0.5)) {
				snprintf(app, sizeof app, "zoom");
				snprintf(title, sizeof title, "Zoom Meeting");
				url[0] = '\0';
			} else {
				int code = below(r, 20) + p->idx % 7;

				snprintf(app, sizeof app, "%s", browsers[p->browser][0]);
				snprintf(title, sizeof title, "Meet - acm-%03d-xyz%s", code, browsers[p->browser][1]);
				if (p->has_url)
					snprintf(url, sizeof url, "https://meet.google.com/acm-%03d-xyz", code);
				else
					url[0] = '\0';
			}
			w = win_get(app, title, url);
			add_span(p, AT(blk[i].from), AT(blk[i].to) - AT(blk[i].from), w, false);
			p->last_win = w;
			break;
		}
		}
		cursor = blk[i].to;
	}
	fill(p, AT(cursor), AT(end), mean_ms, day);
#undef AT
}

static int
cmp_span_time(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	if (x->start_ms != y->start_ms)
		return x->start_ms < y->start_ms ? -1 : 1;
	return x->device - y->device;
}

static int
cmp_span_device(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	if (x->device != y->device)
		return x->device - y->device;
	return x->start_ms < y->start_ms ? -1 : x->start_ms > y->start_ms;
}

/* COPY the collected spans in binary; returns seconds spent. */
static double
copy_spans(void)
{
	struct buf b = { 0 };
	PGresult *r;
	double t0 = now_s();

	r = PQexec(db, "COPY activity (started_at, device_id, duration_ms, window_id, afk)"
		   " FROM STDIN (FORMAT binary)");
	if (PQresultStatus(r) != PGRES_COPY_IN)
		die("COPY: %s", PQerrorMessage(db));
	PQclear(r);
	buf_add(&b, "PGCOPY\n\377\r\n\0", 11);
	buf_be32(&b, 0);	/* flags */
	buf_be32(&b, 0);	/* header extension */
	for (size_t i = 0; i < nspans; i++) {
		struct span *s = &spans[i];

		buf_be16(&b, 5);
		buf_be32(&b, 8);
		buf_be64(&b, (uint64_t)((s->start_ms - PG_EPOCH_UNIX * 1000) * 1000));
		buf_be32(&b, 4);
		buf_be32(&b, (uint32_t)s->device);
		buf_be32(&b, 4);
		buf_be32(&b, (uint32_t)s->dur_ms);
		buf_be32(&b, 4);
		buf_be32(&b, (uint32_t)wins[s->win].id);
		buf_be32(&b, 1);
		buf_add(&b, s->afk ? "\1" : "\0", 1);
		if (b.len >= 1 << 20) {
			if (PQputCopyData(db, b.p, (int)b.len) != 1)
				die("COPY: %s", PQerrorMessage(db));
			b.len = 0;
		}
	}
	buf_be16(&b, 0xffff);
	if (PQputCopyData(db, b.p, (int)b.len) != 1 || PQputCopyEnd(db, NULL) != 1)
		die("COPY: %s", PQerrorMessage(db));
	r = PQgetResult(db);
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		die("COPY: %s", PQerrorMessage(db));
	PQclear(r);
	while ((r = PQgetResult(db)) != NULL)
		PQclear(r);
	free(b.p);
	return now_s() - t0;
}

/* --- setup -------------------------------------------------------------------------- */

static void
make_people(struct person *people, int n, uint64_t seed, const char *prefix, const char *team)
{
	char email[200], name[200], role[16];
	long team_id = 0;
	PGresult *r;

	cmd("BEGIN", 0, NULL);
	if (team != NULL) {
		const char *p[1] = { team };

		PQclear(q("INSERT INTO teams (name) VALUES ($1) ON CONFLICT DO NOTHING", 1, p,
			  PGRES_COMMAND_OK));
		r = q("SELECT id FROM teams WHERE lower(name) = lower($1)", 1, p, PGRES_TUPLES_OK);
		team_id = atol(PQgetvalue(r, 0, 0));
		PQclear(r);
	}
	for (int i = 0; i < n; i++) {
		struct person *pp = &people[i];
		char uid[32], host[64], tid[32];

		snprintf(email, sizeof email, "%s%" PRIu64 "-%d@gen.worktime.test", prefix, seed, i + 1);
		snprintf(name, sizeof name, "%s %s", first_names[(i * 7 + seed) % N(first_names)],
			 last_names[(i * 13 + seed * 3) % N(last_names)]);
		snprintf(role, sizeof role, "%s", team != NULL && i == 0 ? "manager" : "member");
		{
			const char *p[5] = { email, name, GEN_SCRYPT_MCF, role, pp->tz };

			r = q("INSERT INTO users (email, display_name, password_hash, role, status,"
			      " timezone, email_verified_at, password_changed_at)"
			      " VALUES ($1, $2, $3, $4, 'active', $5, now(), now())"
			      " ON CONFLICT (email) DO UPDATE SET display_name = EXCLUDED.display_name,"
			      " timezone = EXCLUDED.timezone,"
			      /* A rerun never demotes: a member role would end the
			       * team-manager memberships (sql/007). */
			      " role = CASE WHEN users.role = 'admin' OR (users.role = 'manager'"
			      " AND EXCLUDED.role = 'member') THEN users.role ELSE EXCLUDED.role END"
			      " RETURNING id", 5, p, PGRES_TUPLES_OK);
		}
		pp->user_id = atol(PQgetvalue(r, 0, 0));
		PQclear(r);
		snprintf(uid, sizeof uid, "%ld", pp->user_id);
		snprintf(host, sizeof host, "%s", pp->host);
		{
			const char *p[2] = { uid, host };

			r = q("SELECT id FROM devices WHERE user_id = $1 AND name = 'gen laptop'"
			      " ORDER BY id LIMIT 1", 1, p, PGRES_TUPLES_OK);
			if (PQntuples(r) == 0) {
				PQclear(r);
				r = q("INSERT INTO devices (user_id, kind, name, hostname, os, agent_version)"
				      " VALUES ($1, 'agent', 'gen laptop', $2, 'Linux', 'gen') RETURNING id",
				      2, p, PGRES_TUPLES_OK);
			}
		}
		pp->device_id = atol(PQgetvalue(r, 0, 0));
		PQclear(r);
		if (pp->device_id > INT32_MAX)
			die("device id %ld does not fit activity.device_id", pp->device_id);
		if (team_id) {
			const char *p[3] = { tid, uid, role };

			snprintf(tid, sizeof tid, "%ld", team_id);
			cmd("INSERT INTO team_members (team_id, user_id, role) VALUES ($1, $2, $3)"
			    " ON CONFLICT (team_id, user_id) DO UPDATE SET role = EXCLUDED.role", 3, p);
		}
	}
	cmd("COMMIT", 0, NULL);
}

static void
init_person(struct person *p, int i, uint64_t seed)
{
	struct rng *r = &p->rng;
	static const enum profile mix[] = {
		P_DEV, P_DEV, P_DEV, P_DEV, P_MANAGER, P_DEV, P_SUPPORT, P_DESIGNER, P_WRITER, P_SUPPORT,
	};

	memset(p, 0, sizeof *p);
	p->idx = i;
	rng_seed(r, seed, (uint64_t)i + 1);
	p->tz = zones[i % N(zones)];
	p->profile = mix[i % N(mix)];
	p->start_min = 450 + below(r, 150);	/* 7:30 .. 10:00 */
	p->browser = below(r, N(browsers));
	p->editor = below(r, N(editors));
	p->terminal = below(r, N(terminals));
	p->has_url = chance(r, 0.7);
	p->fav = below(r, 1000);
	p->ticket0 = 1000 + below(r, 3000);
	p->pr0 = 100 + below(r, 2000);
	p->mail0 = 10000 + i * 1000;
	snprintf(p->login, sizeof p->login, "user%d", i + 1);
	snprintf(p->host, sizeof p->host, "ws-%03d", i + 1);
	p->nproj = 2 + below(r, 3);
	for (int k = 0; k < p->nproj; k++)
		p->proj[k] = below(r, N(projects));
	p->last_win = -1;
}

static bool
parse_date(const char *s, int *y, int *m, int *d)
{
	char extra;

	return sscanf(s, "%4d-%2d-%2d%c", y, m, d, &extra) == 3 && *m >= 1 && *m <= 12 &&
	       *d >= 1 && *d <= 31;
}

static void
usage(int rc)
{
	fprintf(rc ? stderr : stdout,
		"usage: gen [--people N] [--days M] [--end YYYY-MM-DD] [--spans N] [--team NAME]\n"
		"           [--seed S] [--prefix P] [--order time|device] [--quiet] CONNINFO\n"
		"Fills a Worktime database with N people's activity over M days (default 10 x 7,\n"
		"ending yesterday in UTC, about 1,500 spans a working day each).  People are\n"
		"P<seed>-<i>@gen.worktime.test (default prefix \"gen\"), password " GEN_PASSWORD ".\n");
	exit(rc);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "people", required_argument, NULL, 'p' },
		{ "days", required_argument, NULL, 'd' },
		{ "end", required_argument, NULL, 'e' },
		{ "spans", required_argument, NULL, 's' },
		{ "team", required_argument, NULL, 't' },
		{ "seed", required_argument, NULL, 'S' },
		{ "prefix", required_argument, NULL, 'P' },
		{ "order", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int npeople = 10, ndays = 7, target = 1500, c, ey, em, ed;
	uint64_t seed = 1;
	const char *team = NULL, *prefix = "gen", *end = NULL;
	bool by_device = false;
	struct person *people;
	double t_start, t_copy = 0, t_intern = 0, t0;
	size_t total = 0;
	char lo[40], hi[40], first[16], months[16];
	struct tm tm;
	time_t t;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		char *e;

		switch (c) {
		case 'p': npeople = (int)strtol(optarg, &e, 10); if (*e || npeople < 1 || npeople > 100000) usage(2); break;
		case 'd': ndays = (int)strtol(optarg, &e, 10); if (*e || ndays < 1 || ndays > 3650) usage(2); break;
		case 's': target = (int)strtol(optarg, &e, 10); if (*e || target < 10 || target > 20000) usage(2); break;
		case 'S': seed = strtoull(optarg, &e, 10); if (*e) usage(2); break;
		case 'e': end = optarg; break;
		case 't': team = optarg; break;
		case 'P': prefix = optarg; break;
		case 'o':
			if (strcmp(optarg, "device") == 0)
				by_device = true;
			else if (strcmp(optarg, "time") != 0)
				usage(2);
			break;
		case 'q': quiet = true; break;
		case 'h': usage(0); break;
		default: usage(2);
		}
	}
	if (optind != argc - 1)
		usage(2);
	if (end == NULL) {
		t = time(NULL) - 86400;
		gmtime_r(&t, &tm);
		ey = tm.tm_year + 1900;
		em = tm.tm_mon + 1;
		ed = tm.tm_mday;
	} else if (!parse_date(end, &ey, &em, &ed))
		die("--end: want YYYY-MM-DD, got %s", end);

	t_start = now_s();
	db = PQconnectdb(argv[optind]);
	if (PQstatus(db) != CONNECTION_OK)
		die("%s", PQerrorMessage(db));
	PQclear(q("SET synchronous_commit = off", 0, NULL, PGRES_COMMAND_OK));

	people = xmalloc(npeople * sizeof *people);
	for (int i = 0; i < npeople; i++)
		init_person(&people[i], i, seed);
	make_people(people, npeople, seed, prefix, team);

	/* The UTC range the days cover (local days reach from UTC-12 to UTC+14). */
	memset(&tm, 0, sizeof tm);
	tm.tm_year = ey - 1900;
	tm.tm_mon = em - 1;
	tm.tm_mday = ed - (ndays - 1);
	t = timegm(&tm);
	gmtime_r(&t, &tm);
	strftime(first, sizeof first, "%Y-%m-%d", &tm);
	t -= 86400;
	gmtime_r(&t, &tm);
	strftime(lo, sizeof lo, "%Y-%m-%d 00:00:00+00", &tm);
	snprintf(months, sizeof months, "%d", ndays / 28 + 3);
	{
		time_t th = t + (time_t)(ndays + 2) * 86400;
		struct tm tmh;

		gmtime_r(&th, &tmh);
		strftime(hi, sizeof hi, "%Y-%m-%d 00:00:00+00", &tmh);
	}
	{
		char lod[16];
		const char *p[2] = { lod, months };
		struct buf ids = { 0 };
		char num[32];

		snprintf(lod, sizeof lod, "%.10s", lo);
		PQclear(q("SELECT activity_ensure_partitions($1::date, $2::int)", 2, p, PGRES_TUPLES_OK));
		buf_str(&ids, "{");
		for (int i = 0; i < npeople; i++) {
			snprintf(num, sizeof num, "%s%ld", i ? "," : "", people[i].device_id);
			buf_str(&ids, num);
		}
		buf_add(&ids, "}", 2);
		{
			const char *dp[3] = { ids.p, lo, hi };
			PGresult *r = q("DELETE FROM activity WHERE device_id = ANY($1::int[])"
					" AND started_at >= $2 AND started_at < $3", 3, dp, PGRES_COMMAND_OK);

			if (atol(PQcmdTuples(r)) > 0)
				info("gen: deleted %s spans these devices had in the range\n", PQcmdTuples(r));
			PQclear(r);
		}
		free(ids.p);
	}
	info("gen: %d people, %d days from %s, seed %" PRIu64 ", order %s%s%s\n", npeople, ndays,
	     first, seed, by_device ? "device" : "time", team ? ", team " : "", team ? team : "");

	for (int day = 0; day < ndays; day++) {
		int y, m, d;
		long before = nwins;

		memset(&tm, 0, sizeof tm);
		tm.tm_year = ey - 1900;
		tm.tm_mon = em - 1;
		tm.tm_mday = ed - (ndays - 1) + day;
		tm.tm_hour = 12;
		t = timegm(&tm);
		gmtime_r(&t, &tm);
		y = tm.tm_year + 1900;
		m = tm.tm_mon + 1;
		d = tm.tm_mday;

		nspans = 0;
		for (int i = 0; i < npeople; i++)
			gen_day(&people[i], y, m, d, day, target);
		t0 = now_s();
		win_flush();
		t_intern += now_s() - t0;
		new_windows_total += nwins - before;
		if (nspans == 0)
			continue;
		qsort(spans, nspans, sizeof *spans, by_device ? cmp_span_device : cmp_span_time);
		t_copy += copy_spans();
		total += nspans;
		info("gen: %04d-%02d-%02d: %zu spans, %ld windows new to this run\n", y, m, d, nspans,
		     nwins - before);
	}
	{
		double el = now_s() - t_start;

		printf("people %d, days %d, spans %zu, windows %d (interned in %.2f s)\n",
		       npeople, ndays, total, nwins, t_intern);
		printf("COPY: %.2f s, %.0f spans/s; overall %.2f s, %.0f spans/s loaded\n",
		       t_copy, t_copy > 0 ? total / t_copy : 0.0, el, el > 0 ? total / el : 0.0);
	}
	PQfinish(db);
	return 0;
}
