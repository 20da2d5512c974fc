/* agent.conf ($XDG_CONFIG_HOME/worktime/agent.conf, mode 0600): where the
 * server is, the device token from the enrollment, and local settings.
 * One "key = value" a line; "#" starts a comment.  An unknown key or a
 * malformed value stops the agent at start with a message naming it. */
#ifndef WA_CONF_H
#define WA_CONF_H

#include <stdint.h>

struct conf {
	char	*path;		/* the file itself */
	char	*state_dir;	/* $XDG_STATE_HOME/worktime: spool, status, lock */

	char	*url;		/* https://host[:port], no trailing slash */
	char	*token;		/* the device token (64 hex digits) */
	int64_t	 device_id;
	char	*device_name;
	char	*ca_file;	/* a CA bundle for a private CA; NULL: the system's */
	int64_t	 spool_max_bytes;
	int	 log_level;

	/* Local overrides of the organisation's policy, for tests and
	 * trouble-shooting; 0 means "as the policy says". */
	int	 poll_interval_ms;	/* how often the window in front is read */
	int	 upload_interval_s;
	int	 heartbeat_interval_s;
	int	 idle_timeout_s;
	int	 config_interval_s;	/* how often the policy is fetched */
	int	 retry_initial_s;	/* the first wait after a failed upload */
	int	 retry_max_s;		/* the longest wait */
	int	 checkpoint_s;		/* how often the open span is saved */
	int	 screenshot_interval_s;	/* replaces the policy's interval (tests) */
	int	 screenshot_spool_max;	/* screenshots kept for upload (100) */
	int	 screenshot_spool_mb;	/* and their megabytes (50) */
};

/* Fills c from the environment's paths and the file, if it exists.  0, or
 * -1 with the reason printed. */
int	 conf_load(struct conf *c);
/* Writes the file again (mode 0600, atomically) with c's values. */
int	 conf_save(const struct conf *c);
void	 conf_free(struct conf *c);
int	 conf_enrolled(const struct conf *c);

#endif
