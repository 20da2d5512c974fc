/* One configuration file of "key = value" lines; every key can be
 * overridden from the environment as WORKTIME_<KEY> with dots as
 * underscores (db.conninfo -> WORKTIME_DB_CONNINFO).  Every key the product
 * knows is declared once in config.c with its default; an unknown key in
 * the file is an error, so a typo cannot silently fall back to a default. */
#ifndef WT_CONF_H
#define WT_CONF_H

struct wt_config_key {
	const char	*key;
	const char	*def;
	const char	*help;
};

extern const struct wt_config_key wt_config_keys[];

/* path may be NULL (defaults and environment only).  On error returns -1
 * and a malloc'd message in *err. */
int		 config_load(const char *path, char **err);
void		 config_free(void);
const char	*config_get(const char *key);
/* -1 and *err when the value is not an integer in [min, max]. */
int		 config_int(const char *key, long long min, long long max,
		    long long *out, char **err);
/* Sets a value (tests, command-line overrides). */
void		 config_set(const char *key, const char *val);

#endif
