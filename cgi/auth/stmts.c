/* Every statement auth.fcgi runs, prepared once per connection. */
#include "config.h"

#include "auth.h"

const struct wt_stmt auth_stmts[] = {
	/* accounts */
	{ "auth_user_by_email",
	  "SELECT id, password_hash, status, display_name FROM users WHERE email = lower($1)", 1 },
	{ "auth_user_by_id",
	  "SELECT id, email, display_name, role, timezone, target_pace_min, password_hash,"
	  " token_version, to_char(created_at AT TIME ZONE timezone, 'YYYY-MM-DD')"
	  " FROM users WHERE id = $1", 1 },
	{ "auth_user_insert",
	  "INSERT INTO users (email, display_name, password_hash, role, status,"
	  " email_verified_at, password_changed_at)"
	  " VALUES (lower($1), $2, $3, $4, $5, CASE WHEN $5 = 'active' THEN now() END, now())"
	  " RETURNING id", 0 },
	{ "auth_user_verify",
	  "UPDATE users SET status = 'active', email_verified_at = now(), updated_at = now()"
	  " WHERE id = $1 AND status = 'unverified'", 0 },
	{ "auth_profile_update",
	  "UPDATE users SET display_name = $2, timezone = $3, target_pace_min = $4,"
	  " updated_at = now() WHERE id = $1", 0 },
	{ "auth_tz_valid", "SELECT 1 FROM pg_timezone_names WHERE name = $1", 1 },
	{ "auth_settings", "SELECT registration_mode FROM settings", 1 },

	/* passwords */
	{ "auth_set_password",
	  "UPDATE users SET password_hash = $2, password_changed_at = now(),"
	  " token_version = token_version + 1, updated_at = now(),"
	  " status = CASE WHEN status = 'unverified' THEN 'active' ELSE status END,"
	  " email_verified_at = coalesce(email_verified_at, now())"
	  " WHERE id = $1", 0 },
	{ "auth_history_recent",
	  "SELECT password_hash FROM password_history WHERE user_id = $1"
	  " ORDER BY id DESC LIMIT 5", 1 },
	{ "auth_history_add",
	  "INSERT INTO password_history (user_id, password_hash) VALUES ($1, $2)", 0 },
	{ "auth_history_prune",
	  "DELETE FROM password_history WHERE user_id = $1 AND id NOT IN"
	  " (SELECT id FROM password_history WHERE user_id = $1 ORDER BY id DESC LIMIT 5)", 0 },

	/* sessions of a user */
	{ "auth_sessions_end_all", "DELETE FROM web_sessions WHERE user_id = $1", 0 },
	{ "auth_sessions_end_others",
	  "DELETE FROM web_sessions WHERE user_id = $1 AND id <> $2", 0 },
	{ "auth_sessions_list",
	  "SELECT id, to_char(created_at AT TIME ZONE $2, 'YYYY-MM-DD HH24:MI'),"
	  " to_char(last_seen_at AT TIME ZONE $2, 'YYYY-MM-DD HH24:MI'), ip, user_agent"
	  " FROM web_sessions WHERE user_id = $1 AND expires_at > now()"
	  " ORDER BY last_seen_at DESC, id DESC", 1 },

	/* single-use e-mail tokens */
	{ "auth_token_insert",
	  "INSERT INTO auth_tokens (token_hash, kind, user_id, expires_at)"
	  " VALUES ($1, $2, $3, now() + interval '30 minutes')", 0 },
	{ "auth_token_peek",
	  "SELECT t.user_id, u.email, u.display_name FROM auth_tokens t"
	  " JOIN users u ON u.id = t.user_id"
	  " WHERE t.token_hash = $1 AND t.kind = $2 AND t.used_at IS NULL"
	  " AND t.expires_at > now() AND u.status <> 'disabled'", 1 },
	{ "auth_token_use",
	  "UPDATE auth_tokens SET used_at = now() WHERE token_hash = $1 AND kind = $2"
	  " AND used_at IS NULL AND expires_at > now() RETURNING user_id", 0 },
	{ "auth_tokens_revoke",
	  "UPDATE auth_tokens SET used_at = now()"
	  " WHERE user_id = $1 AND kind = $2 AND used_at IS NULL", 0 },

	/* invites */
	{ "auth_invite_peek",
	  "SELECT id, email, role FROM invites"
	  " WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now()", 1 },
	/* An invitation into a team: a manager's invitation makes them the
	 * team's manager. */
	{ "auth_invite_team",
	  "INSERT INTO team_members (team_id, user_id, role)"
	  " SELECT team_id, $2, CASE WHEN role = 'manager' THEN 'manager' ELSE 'member' END"
	  " FROM invites WHERE id = $1 AND team_id IS NOT NULL"
	  " ON CONFLICT (team_id, user_id) DO NOTHING", 0 },
	{ "auth_invite_use",
	  "UPDATE invites SET used_at = now(), used_by = $2"
	  " WHERE id = $1 AND used_at IS NULL AND expires_at > now() RETURNING id", 0 },

	/* failed sign-ins */
	{ "auth_lock_check",
	  "SELECT coalesce(max(ceil(extract(epoch FROM locked_until - now()))), 0)::bigint"
	  " FROM login_failures WHERE ((kind = 'account' AND key = $1) OR"
	  " (kind = 'ip' AND key = $2)) AND locked_until > now()", 1 },
	/* A quiet hour forgives earlier failures. */
	{ "auth_lock_fail",
	  "INSERT INTO login_failures AS f (kind, key, failures) VALUES ($1, $2, 1)"
	  " ON CONFLICT (kind, key) DO UPDATE SET failures = CASE"
	  " WHEN f.last_failure < now() - interval '1 hour' THEN 1"
	  " ELSE f.failures + 1 END, last_failure = now()"
	  " RETURNING failures", 0 },
	{ "auth_lock_set",
	  "UPDATE login_failures SET locked_until = now() + make_interval(secs => $3::int)"
	  " WHERE kind = $1 AND key = $2", 0 },
	{ "auth_lock_clear",
	  "DELETE FROM login_failures WHERE kind = 'account' AND key = $1", 0 },
	{ NULL, NULL, 0 }
};
