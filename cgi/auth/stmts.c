/* Every statement auth.fcgi runs, prepared once per connection:
 * { name, SQL, number of $n parameters, safe to run twice }. */
#include "config.h"

#include "auth.h"

const struct wt_stmt auth_stmts[ST_AUTH_END - WT_STMT_BASE(WT_SLOT_APP)] = {
	/* accounts */
	/* Always one row: the address in its normal form (sql/007), then
	 * the account's columns, NULL when it has none. */
	STMT(ST_AUTH_USER_BY_EMAIL) = { "auth_user_by_email",
	  "SELECT k.email, u.id, u.password_hash, u.status, u.display_name"
	  " FROM (SELECT email_normalize($1) AS email) k LEFT JOIN users u ON u.email = k.email",
	  1, 1 },
	STMT(ST_AUTH_USER_BY_ID) = { "auth_user_by_id",
	  "SELECT " USER_COLUMNS ", u.password_hash, u.token_version"
	  " FROM users u WHERE u.id = $1", 1, 1 },
	/* An address with an account already gives no row: the caller
	 * decides what that means (the same answer as a new address, or a
	 * 409 for an invitation). */
	STMT(ST_AUTH_USER_INSERT) = { "auth_user_insert",
	  "INSERT INTO users (email, display_name, password_hash, role, status,"
	  " email_verified_at, password_changed_at)"
	  " VALUES (email_normalize($1), $2, $3, $4, $5, CASE WHEN $5 = 'active' THEN now() END,"
	  " now()) ON CONFLICT (email) DO NOTHING RETURNING id", 5, 0 },
	STMT(ST_AUTH_USER_VERIFY) = { "auth_user_verify",
	  "UPDATE users SET status = 'active', email_verified_at = now(), updated_at = now()"
	  " WHERE id = $1 AND status = 'unverified'", 1, 0 },
	STMT(ST_AUTH_PROFILE_UPDATE) = { "auth_profile_update",
	  "UPDATE users SET display_name = $2, timezone = $3, target_pace_min = $4,"
	  " updated_at = now() WHERE id = $1", 4, 0 },
	/* The zone's own spelling, whatever the case typed ("europe/paris"). */
	STMT(ST_AUTH_TZ_VALID) = { "auth_tz_valid",
	  "SELECT name FROM pg_timezone_names WHERE lower(name) = lower($1)"
	  " ORDER BY name = $1 DESC, name LIMIT 1", 1, 1 },
	/* The zones offered in the picker: the Region/City names, and UTC. */
	STMT(ST_AUTH_TZ_LIST) = { "auth_tz_list",
	  "SELECT name FROM pg_timezone_names WHERE (name ~ '/' AND name !~"
	  " '^(posix|right|Etc|SystemV)/') OR name = 'UTC' ORDER BY name", 0, 1 },
	STMT(ST_AUTH_SETTINGS) = { "auth_settings",
	  "SELECT registration_mode FROM settings", 0, 1 },

	/* passwords */
	STMT(ST_AUTH_SET_PASSWORD) = { "auth_set_password",
	  "UPDATE users SET password_hash = $2, password_changed_at = now(),"
	  " token_version = token_version + 1, updated_at = now(),"
	  " status = CASE WHEN status = 'unverified' THEN 'active' ELSE status END,"
	  " email_verified_at = coalesce(email_verified_at, now())"
	  " WHERE id = $1", 2, 0 },
	STMT(ST_AUTH_HISTORY_RECENT) = { "auth_history_recent",
	  "SELECT password_hash FROM password_history WHERE user_id = $1"
	  " ORDER BY id DESC LIMIT 5", 1, 1 },
	STMT(ST_AUTH_HISTORY_ADD) = { "auth_history_add",
	  "INSERT INTO password_history (user_id, password_hash) VALUES ($1, $2)", 2, 0 },
	STMT(ST_AUTH_HISTORY_PRUNE) = { "auth_history_prune",
	  "DELETE FROM password_history WHERE user_id = $1 AND id NOT IN"
	  " (SELECT id FROM password_history WHERE user_id = $1 ORDER BY id DESC LIMIT 5)",
	  1, 0 },

	/* sessions of a user */
	STMT(ST_AUTH_SESSIONS_END_ALL) = { "auth_sessions_end_all",
	  "DELETE FROM web_sessions WHERE user_id = $1", 1, 0 },
	STMT(ST_AUTH_SESSION_END) = { "auth_session_end",
	  "DELETE FROM web_sessions WHERE user_id = $1 AND id = $2", 2, 0 },
	STMT(ST_AUTH_SESSIONS_END_OTHERS) = { "auth_sessions_end_others",
	  "DELETE FROM web_sessions WHERE user_id = $1 AND id <> $2", 2, 0 },
	STMT(ST_AUTH_SESSIONS_LIST) = { "auth_sessions_list",
	  "SELECT id, wt_local_time(created_at, $2), wt_local_time(last_seen_at, $2), ip,"
	  " user_agent"
	  " FROM web_sessions WHERE user_id = $1 AND expires_at > now()"
	  " ORDER BY last_seen_at DESC, id DESC", 2, 1 },

	/* single-use e-mail tokens */
	/* A token is bound to the password generation it was issued under
	 * (users.token_version, bumped by every password change): a reset
	 * link issued before a change is dead after it. */
	STMT(ST_AUTH_TOKEN_INSERT) = { "auth_token_insert",
	  "INSERT INTO auth_tokens (token_hash, kind, user_id, expires_at, token_version)"
	  " SELECT $1, $2, id, now() + interval '30 minutes', token_version FROM users"
	  " WHERE id = $3", 3, 0 },
	STMT(ST_AUTH_TOKEN_PEEK) = { "auth_token_peek",
	  "SELECT t.user_id, u.email, u.display_name FROM auth_tokens t"
	  " JOIN users u ON u.id = t.user_id"
	  " WHERE t.token_hash = $1 AND t.kind = $2 AND t.used_at IS NULL"
	  " AND t.expires_at > now() AND t.token_version = u.token_version"
	  " AND u.status <> 'disabled'", 2, 1 },
	STMT(ST_AUTH_TOKEN_USE) = { "auth_token_use",
	  "UPDATE auth_tokens t SET used_at = now() FROM users u"
	  " WHERE u.id = t.user_id AND t.token_hash = $1 AND t.kind = $2"
	  " AND t.used_at IS NULL AND t.expires_at > now()"
	  " AND t.token_version = u.token_version RETURNING t.user_id", 2, 0 },
	STMT(ST_AUTH_TOKENS_REVOKE) = { "auth_tokens_revoke",
	  "UPDATE auth_tokens SET used_at = now()"
	  " WHERE user_id = $1 AND kind = $2 AND used_at IS NULL", 2, 0 },

	/* invitations */
	STMT(ST_AUTH_INVITE_PEEK) = { "auth_invite_peek",
	  "SELECT id, email, role FROM invites WHERE token_hash = $1 AND used_at IS NULL"
	  " AND revoked_at IS NULL AND expires_at > now()", 1, 1 },
	/* An invitation into a team: a manager's invitation makes them the
	 * team's manager. */
	STMT(ST_AUTH_INVITE_TEAM) = { "auth_invite_team",
	  "INSERT INTO team_members (team_id, user_id, role)"
	  " SELECT team_id, $2, CASE WHEN role = 'manager' THEN 'manager' ELSE 'member' END"
	  " FROM invites WHERE id = $1 AND team_id IS NOT NULL"
	  " ON CONFLICT (team_id, user_id) DO NOTHING", 2, 0 },
	/* Registering through one invitation ends every other one for the
	 * address: the account exists now, and an old link (to the admin
	 * role, say) must not outlive it should the account go. */
	STMT(ST_AUTH_INVITE_USE) = { "auth_invite_use",
	  "WITH used AS (UPDATE invites SET used_at = now(), used_by = $2"
	  "  WHERE id = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > now()"
	  "  RETURNING id, email),"
	  " others AS (UPDATE invites o SET revoked_at = now(), revoked_reason = 'registered'"
	  "  FROM used WHERE o.email = used.email AND o.id <> used.id AND o.used_at IS NULL"
	  "  AND o.revoked_at IS NULL RETURNING o.id)"
	  " SELECT id FROM used", 2, 0 },

	/* failed sign-ins */
	STMT(ST_AUTH_LOCK_CHECK) = { "auth_lock_check",
	  "SELECT coalesce(max(ceil(extract(epoch FROM locked_until - now()))), 0)::bigint"
	  " FROM login_failures WHERE ((kind = $1 AND key = $2) OR"
	  " (kind = 'ip' AND key = $3)) AND locked_until > now()", 3, 1 },
	/* A quiet hour forgives earlier failures. */
	STMT(ST_AUTH_LOCK_FAIL) = { "auth_lock_fail",
	  "INSERT INTO login_failures AS f (kind, key, failures) VALUES ($1, $2, 1)"
	  " ON CONFLICT (kind, key) DO UPDATE SET failures = CASE"
	  " WHEN f.last_failure < now() - interval '1 hour' THEN 1"
	  " ELSE f.failures + 1 END, last_failure = now()"
	  " RETURNING failures", 2, 0 },
	STMT(ST_AUTH_LOCK_SET) = { "auth_lock_set",
	  "UPDATE login_failures SET locked_until = now() + make_interval(secs => $3::int)"
	  " WHERE kind = $1 AND key = $2", 3, 0 },
	STMT(ST_AUTH_LOCK_CLEAR) = { "auth_lock_clear",
	  "DELETE FROM login_failures WHERE kind = $1 AND key = $2", 2, 0 },
	/* refresh.c: the widget's sign-in is a session of kind 'token' that
	 * lasts as a browser's does; its refresh tokens die with it. */
	STMT(ST_AUTH_WIDGET_SESSION) = { "auth_widget_session",
	  "WITH gone AS (DELETE FROM web_sessions WHERE user_id = $2 AND (expires_at < now()"
	  " OR last_seen_at < now() - make_interval(mins => $6::int)))"
	  " INSERT INTO web_sessions (token_hash, user_id, expires_at, ip, user_agent, kind)"
	  " VALUES ($1, $2, now() + make_interval(hours => $3::int), $4, left($5, 300), 'token')"
	  " RETURNING id, (SELECT token_version FROM users WHERE id = $2)", 6, 0 },
	STMT(ST_AUTH_REFRESH_INSERT) = { "auth_refresh_insert",
	  "INSERT INTO refresh_tokens (token_hash, session_id) VALUES ($1, $2)", 2, 0 },
	STMT(ST_AUTH_REFRESH_USE) = { "auth_refresh_use",
	  "SELECT result, user_id, session_id, token_version"
	  " FROM refresh_token_use($1, $2::interval, make_interval(mins => $3::int))", 3, 0 },
	STMT(ST_AUTH_REFRESH_REVOKE) = { "auth_refresh_revoke",
	  "DELETE FROM web_sessions WHERE id ="
	  " (SELECT session_id FROM refresh_tokens WHERE token_hash = $1)", 1, 0 },
};

/* What a person is told when a change breaks a rule of the schema.  The
 * fields' own rules and ON CONFLICT in auth_user_insert keep every one of
 * these from being hit today; they are here so that a statement that
 * does hit one one day answers in words, next to the right field. */
const struct wt_constraint auth_constraints[] = {
	{ "users_email_key", 409, "email", "An account with this address exists "
	  "already: sign in or reset your password." },
	{ "users_display_name_plain", 400, "display_name",
	  "Name must be one line without control characters" },
	{ "users_display_name_check", 400, "display_name",
	  "Name must be 1 to 100 characters long" },
	{ "users_target_pace_min_check", 400, "target_pace_min",
	  "Target pace must be a number of minutes from 0.1 to 1440" },
	{ NULL, 0, NULL, NULL }
};
