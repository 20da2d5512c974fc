/* One configuration file of "key = value" lines; every key can be
 * overridden from the environment as WORKTIME_<KEY> with dots as
 * underscores (db.conninfo -> WORKTIME_DB_CONNINFO).
 *
 * Every key is declared once in conf.c with its type, range and default,
 * and parsed once at start into wt_cfg: an unknown key, a malformed value
 * or one out of range stops the program there, naming the key.  Code
 * reads wt_cfg's typed fields; nothing parses a key per request and no
 * default is repeated at a call site. */
#ifndef WT_CONF_H
#define WT_CONF_H

#include <stddef.h>

enum wt_ck_type {
	CK_STR,
	CK_INT,		/* long long, within [min, max] */
	CK_ENUM,	/* int: index into choices */
	CK_URL,		/* http:// or https:// */
	CK_SECRET,	/* empty, or at least 64 hex digits */
	CK_ORIGINS	/* space-separated origins, scheme://host[:port] */
};

enum wt_log_level_choice { CFG_LOG_DEBUG, CFG_LOG_INFO, CFG_LOG_WARN, CFG_LOG_ERROR };
enum wt_mail_transport { MAIL_FILE, MAIL_SMTP };

struct wt_config {
	const char	*db_conninfo;
	const char	*db_replica_conninfo;
	const char	*templates_dir;
	long long	 server_workers;
	long long	 ingest_workers;
	const char	*server_socket;
	long long	 http_max_body;
	int		 log_level;		/* enum wt_log_level_choice */
	const char	*site_name;
	const char	*site_url;
	const char	*secret;
	long long	 session_idle_minutes;
	long long	 session_max_hours;
	long long	 token_ttl_seconds;
	long long	 auth_account_threshold;
	long long	 auth_ip_threshold;
	long long	 auth_lock_base_seconds;
	long long	 auth_lock_max_seconds;
	const char	*auth_cracklib_dict;
	int		 mail_transport;	/* enum wt_mail_transport */
	const char	*mail_dir;
	const char	*mail_smtp_url;
	const char	*mail_smtp_user;
	const char	*mail_smtp_password;
	const char	*mail_from;
	long long	 mail_per_address_hour;
	const char	*cors_origins;
	long long	 ingest_new_windows_per_hour;
	long long	 reports_compute_ms;
	long long	 tasks_idle_minutes;
	const char	*screenshots_dir;
	long long	 screenshots_max_bytes;
	long long	 screenshots_max_pixels;
};

/* Filled by config_load; read-only after start. */
extern struct wt_config wt_cfg;

struct wt_config_key {
	const char		*key;
	const char		*def;
	const char		*help;
	enum wt_ck_type		 type;
	size_t			 offset;	/* into struct wt_config */
	long long		 min, max;
	const char *const	*choices;
};

extern const struct wt_config_key wt_config_keys[];

/* Reads path (may be NULL: defaults and environment only), then parses
 * every key into wt_cfg.  On error returns -1 and a malloc'd message
 * naming the key in *err. */
int		 config_load(const char *path, char **err);
/* Parses the current text of every key into wt_cfg again (after
 * config_set); -1 and *err as config_load. */
int		 config_apply(char **err);
void		 config_free(void);
/* The text of a key (tests, README, wtctl's show-config). */
const char	*config_get(const char *key);
/* Sets a key's text (command-line overrides, tests); call config_apply
 * before reading wt_cfg again. */
void		 config_set(const char *key, const char *val);

#endif
