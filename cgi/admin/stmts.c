/* Every statement admin.fcgi runs, indexed by enum admin_stmt (admin.h)
 * with its parameter count, which must be the number of $n in the SQL.
 * Statements that read people take the caller as $1 (id) and $2 (role)
 * and apply the scope rule in SQL, so a row outside the caller's scope is
 * never even read. */
#include "config.h"

#include "admin.h"

/* May the caller ($1, $2) see person u? */
#define SCOPE(u) \
	"(" u ".id = $1::bigint OR $2 = 'admin' OR ($2 = 'manager' AND EXISTS (" \
	"SELECT 1 FROM team_members mm JOIN team_members tm ON tm.team_id = mm.team_id" \
	" WHERE mm.user_id = $1::bigint AND mm.role = 'manager' AND tm.user_id = " u ".id)))"
/* May the caller act on person u (make codes for, revoke devices of)?
 * Themselves; an admin anyone; a manager only people whose role is below
 * theirs (members) in the teams they manage: never an admin or another
 * manager who happens to be in their team. */
#define ACTS(u) \
	"(" u ".id = $1::bigint OR $2 = 'admin' OR ($2 = 'manager' AND " u ".role = 'member'" \
	" AND EXISTS (SELECT 1 FROM team_members mm JOIN team_members tm" \
	" ON tm.team_id = mm.team_id WHERE mm.user_id = $1::bigint AND mm.role = 'manager'" \
	" AND tm.user_id = " u ".id)))"
/* May the caller see team t? */
#define TEAM_SCOPE(t) \
	"($2 = 'admin' OR ($2 = 'manager' AND EXISTS (SELECT 1 FROM team_members mm" \
	" WHERE mm.team_id = " t ".id AND mm.user_id = $1::bigint AND mm.role = 'manager')))"
/* May the caller see invitation i?  Admins every one; a manager those
 * into a team they manage, for a role below theirs. */
#define INVITE_SCOPE(i) \
	"($2 = 'admin' OR ($2 = 'manager' AND " i ".role = 'member' AND EXISTS (" \
	"SELECT 1 FROM team_members mm WHERE mm.team_id = " i ".team_id" \
	" AND mm.user_id = $1::bigint AND mm.role = 'manager')))"
#define INVITE_LIVE(i) "(" i ".used_at IS NULL AND " i ".revoked_at IS NULL)"
/* An invitation to the admin role works for a day, others for a week
 * (sql/008 holds the database to the first). */
#define INVITE_TTL(role) \
	"CASE WHEN " role " = 'admin' THEN interval '24 hours' ELSE interval '7 days' END"
#define INVITE_JSON(i) \
	"json_build_object('id', " i ".id, 'email', " i ".email, 'role', " i ".role," \
	" 'team_id', " i ".team_id, 'expires_at', " i ".expires_at)::text"
#define DEVICE_STATUS \
	"CASE WHEN d.revoked_at IS NOT NULL THEN 'revoked'" \
	" WHEN d.last_seen_at IS NULL THEN 'never'" \
	" WHEN d.last_seen_at > now() - interval '2 minutes' THEN 'online'" \
	" WHEN d.last_seen_at > now() - interval '30 minutes' THEN 'idle'" \
	" ELSE 'offline' END"
#define USER_JSON(u) \
	"json_build_object('id', " u ".id, 'email', " u ".email, 'display_name', " \
	u ".display_name, 'role', " u ".role, 'status', " u ".status)::text"

/* An id in an audit snapshot as a person reads it: the person's or
 * team's name as it is now ("#id" once they are gone); v is jsonb. */
#define AUDIT_NAMED(k, v) \
	"CASE WHEN jsonb_typeof(" v ") = 'number' AND " k " IN ('user_id', 'invited_by')" \
	" THEN to_jsonb(coalesce((SELECT display_name FROM users WHERE id = (" v ")::text::bigint)," \
	" '#' || (" v ")::text))" \
	" WHEN jsonb_typeof(" v ") = 'number' AND " k " = 'team_id'" \
	" THEN to_jsonb(coalesce((SELECT name FROM teams WHERE id = (" v ")::text::bigint)," \
	" '#' || (" v ")::text)) ELSE " v " END"
/* The fields an audit entry changed, as a JSON list of {field, before,
 * after} in the order of their names ("[]" when nothing differs). */
#define AUDIT_CHANGES(p) \
	"coalesce((SELECT json_agg(json_build_object('field', x.k, 'before', " \
	AUDIT_NAMED("x.k", "x.b") ", 'after', " AUDIT_NAMED("x.k", "x.a") ") ORDER BY x.k)::text" \
	" FROM (SELECT ks.k, " p ".before -> ks.k AS b, " p ".after -> ks.k AS a FROM (" \
	"  SELECT jsonb_object_keys(CASE WHEN jsonb_typeof(" p ".before) = 'object'" \
	"   THEN " p ".before ELSE '{}' END)" \
	"  UNION SELECT jsonb_object_keys(CASE WHEN jsonb_typeof(" p ".after) = 'object'" \
	"   THEN " p ".after ELSE '{}' END)) ks(k)) x" \
	" WHERE x.b IS DISTINCT FROM x.a), '[]')"

#define CATEGORY_COLS \
	"c.id, c.name, c.depth, c.app_re, c.title_re, c.url_re, c.priority, c.productivity," \
	" c.colour"
#define CATEGORY_JSON(c) \
	"json_build_object('id', " c ".id, 'name', " c ".name, 'app_re', " c ".app_re," \
	" 'title_re', " c ".title_re, 'url_re', " c ".url_re, 'priority', " c ".priority," \
	" 'productivity', " c ".productivity, 'colour', " c ".colour)::text"

const struct wt_stmt admin_stmts[ST_ADMIN_END - WT_STMT_BASE(WT_SLOT_APP)] = {
	STMT(ST_ADMIN_COUNTS) = { "admin_counts",
	  "SELECT (SELECT count(*) FROM users u WHERE " SCOPE("u") "),"
	  " (SELECT count(*) FROM teams t WHERE " TEAM_SCOPE("t") "),"
	  " (SELECT count(*) FROM devices d JOIN users u ON u.id = d.user_id"
	  "  WHERE d.revoked_at IS NULL AND " SCOPE("u") "),"
	  " (SELECT count(*) FROM invites i WHERE " INVITE_LIVE("i") " AND i.expires_at > now()"
	  "  AND " INVITE_SCOPE("i") "),"
	  " (SELECT count(*) FROM invites i WHERE " INVITE_SCOPE("i") ")", 2, 1 },

	/* people */
	STMT(ST_ADMIN_USER_VISIBLE) = { "admin_user_visible",
	  "SELECT " ACTS("u") " FROM users u WHERE u.id = $3 AND " SCOPE("u"), 3, 1 },
	/* The page's ids first, then the teams for those rows only; the
	 * LEFT JOIN keeps one row (with NULLs) when the page is empty, so the
	 * total is known past the last page too. */
	STMT(ST_ADMIN_USERS_LIST) = { "admin_users_list",
	  "WITH f AS (SELECT u.id, u.email, u.display_name, u.role, u.status, u.created_at"
	  "  FROM users u WHERE " SCOPE("u") " AND ($3 = '' OR"
	  "  lower(u.display_name) || ' ' || u.email LIKE '%' || replace(replace(replace("
	  "   lower($3), '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%')"
	  "  AND ($4::bigint = 0 OR EXISTS (SELECT 1 FROM team_members f"
	  "   WHERE f.team_id = $4::bigint AND f.user_id = u.id))"
	  "  AND ($5 = '' OR u.role = $5)),"
	  " pg AS (SELECT * FROM f ORDER BY lower(display_name), id LIMIT $6::int OFFSET $7::int)"
	  " SELECT p.id, p.email, p.display_name, p.role, p.status,"
	  " to_char(p.created_at, 'YYYY-MM-DD'),"
	  " coalesce((SELECT string_agg(t.name, ', ' ORDER BY lower(t.name))"
	  "  FROM team_members m JOIN teams t ON t.id = m.team_id"
	  "  WHERE m.user_id = p.id AND " TEAM_SCOPE("t") "), ''),"
	  " (SELECT count(*) FROM f)"
	  " FROM (SELECT 1) one LEFT JOIN pg p ON true"
	  " ORDER BY lower(p.display_name), p.id", 7, 1 },
	STMT(ST_ADMIN_USER_GET) = { "admin_user_get",
	  "SELECT u.id, u.email, u.display_name, u.role, u.status, u.timezone,"
	  " to_char(u.created_at, 'YYYY-MM-DD'),"
	  " (SELECT wt_local_time(max(s.last_seen_at), $4) FROM web_sessions s"
	  "  WHERE s.user_id = u.id),"
	  /* The last active admin: the page offers no way to lock them out. */
	  " u.role = 'admin' AND u.status = 'active' AND NOT EXISTS (SELECT 1 FROM users o"
	  "  WHERE o.role = 'admin' AND o.status = 'active' AND o.id <> u.id)"
	  " FROM users u WHERE u.id = $3 AND " SCOPE("u"), 4, 1 },
	/* The row for the audit log, and the e-mail and role the handlers
	 * check, from one read. */
	STMT(ST_ADMIN_USER_JSON) = { "admin_user_json",
	  "SELECT " USER_JSON("u") ", u.email, u.role FROM users u WHERE u.id = $1", 1, 1 },
	/* A person's teams, as far as the caller may see teams. */
	STMT(ST_ADMIN_USER_TEAMS) = { "admin_user_teams",
	  "SELECT t.id, t.name, m.role FROM team_members m JOIN teams t ON t.id = m.team_id"
	  " WHERE m.user_id = $3 AND " TEAM_SCOPE("t") " ORDER BY lower(t.name)", 3, 1 },
	STMT(ST_ADMIN_USER_BY_EMAIL) = { "admin_user_by_email",
	  "SELECT id, email FROM users WHERE email = email_normalize($1)", 1, 1 },
	STMT(ST_ADMIN_USER_UPDATE) = { "admin_user_update",
	  "UPDATE users SET display_name = $2, role = $3, updated_at = now() WHERE id = $1", 3, 0 },
	STMT(ST_ADMIN_USER_DISABLE) = { "admin_user_disable",
	  "UPDATE users SET status = 'disabled', token_version = token_version + 1,"
	  " updated_at = now() WHERE id = $1 AND status <> 'disabled'", 1, 0 },
	STMT(ST_ADMIN_USER_ENABLE) = { "admin_user_enable",
	  "UPDATE users SET status = 'active', updated_at = now()"
	  " WHERE id = $1 AND status = 'disabled'", 1, 0 },
	STMT(ST_ADMIN_USER_SESSIONS_END) = { "admin_user_sessions_end",
	  "DELETE FROM web_sessions WHERE user_id = $1", 1, 0 },
	STMT(ST_ADMIN_USER_DELETE) = { "admin_user_delete", "DELETE FROM users WHERE id = $1", 1, 0 },
	/* Other active admins, locked: of two admins demoting each other at
	 * once, the second sees the first already gone. */
	STMT(ST_ADMIN_OTHER_ADMINS) = { "admin_other_admins",
	  "SELECT id FROM users WHERE role = 'admin' AND status = 'active' AND id <> $1"
	  " FOR UPDATE", 1, 0 },
	STMT(ST_ADMIN_USER_MANAGES) = { "admin_user_manages",
	  "SELECT CASE WHEN count(*) > 0 THEN json_build_object('manages',"
	  " json_agg(t.name ORDER BY lower(t.name)))::text END"
	  " FROM team_members m JOIN teams t ON t.id = m.team_id"
	  " WHERE m.user_id = $1 AND m.role = 'manager'", 1, 1 },
	STMT(ST_ADMIN_INVITE_INSERT) = { "admin_invite_insert",
	  "INSERT INTO invites (token_hash, email, role, invited_by, team_id, expires_at)"
	  " VALUES ($1, email_normalize($2), $3, $4, NULLIF($5, '0')::bigint,"
	  " now() + " INVITE_TTL("$3") ")"
	  " RETURNING id", 5, 0 },

	/* invitations: pending ones, and those that ran out in the last 30
	 * days (a resend gives them a new link) */
	STMT(ST_ADMIN_INVITES_LIST) = { "admin_invites_list",
	  "SELECT i.id, i.email, i.role, coalesce(i.team_id::text, ''), coalesce(t.name, ''),"
	  " coalesce(s.display_name, ''), wt_local_time(i.sent_at, $3),"
	  " wt_local_time(i.expires_at, $3), i.expires_at <= now(), i.sent_count"
	  " FROM invites i LEFT JOIN teams t ON t.id = i.team_id"
	  " LEFT JOIN users s ON s.id = i.invited_by"
	  " WHERE " INVITE_LIVE("i") " AND i.expires_at > now() - interval '30 days'"
	  " AND " INVITE_SCOPE("i")
	  " ORDER BY i.expires_at <= now(), i.sent_at DESC, i.id DESC", 3, 1 },
	STMT(ST_ADMIN_INVITE_GET) = { "admin_invite_get",
	  "SELECT i.email, i.role, " INVITE_LIVE("i") ", " INVITE_JSON("i")
	  " FROM invites i WHERE i.id = $3 AND " INVITE_SCOPE("i") " FOR UPDATE", 3, 0 },
	STMT(ST_ADMIN_INVITE_REVOKE) = { "admin_invite_revoke",
	  "UPDATE invites SET revoked_at = now(), revoked_reason = 'revoked', revoked_by = $2"
	  " WHERE id = $1 AND " INVITE_LIVE("invites"), 2, 0 },
	STMT(ST_ADMIN_INVITE_RESEND) = { "admin_invite_resend",
	  "UPDATE invites i SET token_hash = $2, sent_at = now(), sent_count = sent_count + 1,"
	  " expires_at = now() + " INVITE_TTL("i.role")
	  " WHERE i.id = $1 AND " INVITE_LIVE("i")
	  " RETURNING wt_local_time(i.expires_at, $3), " INVITE_JSON("i"), 3, 0 },
	STMT(ST_ADMIN_INVITE_SHOWN) = { "admin_invite_shown",
	  "SELECT i.email FROM invites i WHERE i.id = $3 AND " INVITE_SCOPE("i"), 3, 1 },

	/* the installation */
	STMT(ST_ADMIN_SYSTEM) = { "admin_system",
	  "SELECT coalesce(max(version), ''), count(*),"
	  " coalesce(wt_local_time(max(applied_at), $1), ''), current_setting('server_version')"
	  " FROM schema_migrations", 1, 1 },

	/* teams */
	STMT(ST_ADMIN_TEAMS_LIST) = { "admin_teams_list",
	  "SELECT t.id, t.name, (SELECT count(*) FROM team_members c WHERE c.team_id = t.id),"
	  " coalesce((SELECT string_agg(u.display_name, ', ' ORDER BY lower(u.display_name))"
	  "  FROM team_members m JOIN users u ON u.id = m.user_id"
	  "  WHERE m.team_id = t.id AND m.role = 'manager'), '')"
	  " FROM teams t WHERE " TEAM_SCOPE("t") " ORDER BY lower(t.name)", 2, 1 },
	STMT(ST_ADMIN_TEAM_GET) = { "admin_team_get",
	  "SELECT t.id, t.name, to_char(t.created_at, 'YYYY-MM-DD') FROM teams t"
	  " WHERE t.id = $3 AND " TEAM_SCOPE("t"), 3, 1 },
	STMT(ST_ADMIN_TEAM_JSON) = { "admin_team_json",
	  "SELECT json_build_object('id', id, 'name', name)::text, name FROM teams"
	  " WHERE id = $1", 1, 1 },
	STMT(ST_ADMIN_TEAM_MEMBERS) = { "admin_team_members",
	  "SELECT u.id, u.display_name, u.email, m.role, u.status"
	  " FROM team_members m JOIN users u ON u.id = m.user_id WHERE m.team_id = $1"
	  " ORDER BY m.role = 'manager' DESC, lower(u.display_name)", 1, 1 },
	STMT(ST_ADMIN_TEAM_INSERT) = { "admin_team_insert",
	  "INSERT INTO teams (name) VALUES ($1) RETURNING id", 1, 0 },
	STMT(ST_ADMIN_TEAM_RENAME) = { "admin_team_rename",
	  "UPDATE teams SET name = $2 WHERE id = $1", 2, 0 },
	STMT(ST_ADMIN_TEAM_DELETE) = { "admin_team_delete", "DELETE FROM teams WHERE id = $1", 1, 0 },
	STMT(ST_ADMIN_MEMBER_GET) = { "admin_member_get",
	  "SELECT m.role, u.email FROM team_members m JOIN users u ON u.id = m.user_id"
	  " WHERE m.team_id = $1 AND m.user_id = $2", 2, 1 },
	STMT(ST_ADMIN_MEMBER_UPSERT) = { "admin_member_upsert",
	  "INSERT INTO team_members (team_id, user_id, role) VALUES ($1, $2, $3)"
	  " ON CONFLICT (team_id, user_id) DO UPDATE SET role = EXCLUDED.role", 3, 0 },
	STMT(ST_ADMIN_MEMBER_DELETE) = { "admin_member_delete",
	  "DELETE FROM team_members WHERE team_id = $1 AND user_id = $2", 2, 0 },
	STMT(ST_ADMIN_PROMOTE_MANAGER) = { "admin_promote_manager",
	  "UPDATE users SET role = 'manager', updated_at = now()"
	  " WHERE id = $1 AND role = 'member'", 1, 0 },

	/* devices */
	STMT(ST_ADMIN_DEVICES_LIST) = { "admin_devices_list",
	  "SELECT d.id, d.name, d.kind, d.hostname, d.os, d.agent_version, u.id,"
	  " u.display_name, coalesce(wt_local_time(d.last_seen_at, $3), ''), " DEVICE_STATUS
	  " FROM devices d JOIN users u ON u.id = d.user_id"
	  " WHERE " SCOPE("u") " AND ($4::bigint = 0 OR u.id = $4::bigint)"
	  " ORDER BY lower(u.display_name), lower(d.name), d.id", 4, 1 },
	STMT(ST_ADMIN_CODES_LIST) = { "admin_codes_list",
	  "SELECT c.id, c.device_name, c.kind, u.id, u.display_name,"
	  " wt_local_time(c.expires_at, $3)"
	  " FROM enrollment_codes c JOIN users u ON u.id = c.user_id"
	  " WHERE " SCOPE("u") " AND c.used_at IS NULL AND c.revoked_at IS NULL"
	  " AND c.expires_at > now() AND ($4::bigint = 0 OR u.id = $4::bigint)"
	  " ORDER BY c.created_at DESC", 4, 1 },
	STMT(ST_ADMIN_CODE_INSERT) = { "admin_code_insert",
	  "INSERT INTO enrollment_codes (code_hash, user_id, kind, device_name, created_by,"
	  " expires_at) VALUES ($1, $2, $3, $4, $5, now() + interval '24 hours')"
	  " RETURNING id, to_char(expires_at, 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
	  " wt_local_time(expires_at, $6)", 6, 0 },
	STMT(ST_ADMIN_CODE_GET) = { "admin_code_get",
	  "SELECT c.user_id, c.device_name, c.used_at IS NULL AND c.revoked_at IS NULL, "
	  ACTS("u") " FROM enrollment_codes c JOIN users u ON u.id = c.user_id"
	  " WHERE c.id = $3 AND " SCOPE("u"), 3, 1 },
	STMT(ST_ADMIN_CODE_REVOKE) = { "admin_code_revoke",
	  "UPDATE enrollment_codes SET revoked_at = now()"
	  " WHERE id = $1 AND used_at IS NULL AND revoked_at IS NULL", 1, 0 },
	STMT(ST_ADMIN_DEVICE_GET) = { "admin_device_get",
	  "SELECT d.user_id, d.name, d.revoked_at IS NULL, " ACTS("u") " FROM devices d"
	  " JOIN users u ON u.id = d.user_id WHERE d.id = $3 AND " SCOPE("u"), 3, 1 },
	STMT(ST_ADMIN_DEVICE_REVOKE) = { "admin_device_revoke",
	  "UPDATE devices SET revoked_at = now(), token_hash = NULL, hmac_secret = NULL"
	  " WHERE id = $1 AND revoked_at IS NULL", 1, 0 },

	/* settings */
	STMT(ST_ADMIN_SETTINGS_GET) = { "admin_settings_get",
	  "SELECT registration_mode, retention_days, screenshot_mode, screenshot_interval_min,"
	  " screenshot_from_hour, screenshot_to_hour, screenshot_blur, screenshot_visibility,"
	  " idle_timeout_s, day_gap_min, array_to_json(title_exclude)::text, upload_interval_s,"
	  " heartbeat_interval_s, pulsetime_s FROM settings", 0, 1 },
	STMT(ST_ADMIN_SETTINGS_JSON) = { "admin_settings_json",
	  "SELECT (to_jsonb(s) - 'id' - 'updated_at')::text FROM settings s", 0, 1 },
	STMT(ST_ADMIN_SETTINGS_UPDATE) = { "admin_settings_update",
	  "UPDATE settings SET registration_mode = $1, retention_days = $2,"
	  " screenshot_mode = $3, screenshot_interval_min = $4, screenshot_from_hour = $5,"
	  " screenshot_to_hour = $6, screenshot_blur = $7, screenshot_visibility = $8,"
	  " idle_timeout_s = $9, day_gap_min = $10,"
	  " title_exclude = ARRAY(SELECT e FROM json_array_elements_text($11::json)"
	  "  WITH ORDINALITY AS t(e, n) ORDER BY n),"
	  " upload_interval_s = $12, heartbeat_interval_s = $13, pulsetime_s = $14,"
	  " updated_at = now()", 14, 0 },

	/* categories: how many windows each names is counted from windows,
	 * which has no index on category_id (sql/005): one scan. */
	STMT(ST_ADMIN_CATEGORIES_LIST) = { "admin_categories_list",
	  "WITH w AS (SELECT category_id, count(*) AS n FROM windows GROUP BY category_id)"
	  " SELECT " CATEGORY_COLS ", coalesce(w.n, 0),"
	  " (SELECT coalesce(sum(n), 0) FROM w WHERE category_id IS NULL)"
	  " FROM (SELECT 1) one LEFT JOIN categories c ON true"
	  " LEFT JOIN w ON w.category_id = c.id ORDER BY lower(c.name), c.id", 0, 1 },
	STMT(ST_ADMIN_CATEGORY_ONE) = { "admin_category_one",
	  "SELECT " CATEGORY_COLS ", (SELECT count(*) FROM windows w WHERE w.category_id = c.id)"
	  " FROM categories c WHERE c.id = $1", 1, 1 },
	STMT(ST_ADMIN_CATEGORY_JSON) = { "admin_category_json",
	  "SELECT " CATEGORY_JSON("c") " FROM categories c WHERE c.id = $1", 1, 1 },
	STMT(ST_ADMIN_CATEGORY_LOCK) = { "admin_category_lock",
	  "SELECT c.name, c.app_re, c.title_re, c.url_re, c.priority, c.productivity, c.colour, "
	  CATEGORY_JSON("c") " FROM categories c WHERE c.id = $1 FOR UPDATE", 1, 0 },
	STMT(ST_ADMIN_CATEGORY_INSERT) = { "admin_category_insert",
	  "INSERT INTO categories (name, app_re, title_re, url_re, priority, productivity, colour)"
	  " VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id", 7, 0 },
	STMT(ST_ADMIN_CATEGORY_UPDATE) = { "admin_category_update",
	  "UPDATE categories SET name = $2, app_re = $3, title_re = $4, url_re = $5,"
	  " priority = $6, productivity = $7, colour = $8, updated_at = now() WHERE id = $1", 8, 0 },
	STMT(ST_ADMIN_CATEGORY_DELETE) = { "admin_category_delete",
	  "DELETE FROM categories WHERE id = $1", 1, 0 },
	/* Active time of the spans that began in the last 7 days, per
	 * window (kept by the hour, sql/024), then per category.  Path
	 * order: by level, so a rule's children follow it ("Work > Docs"
	 * before "Work-Life"). */
	STMT(ST_ADMIN_CATEGORIES_TREE) = { "admin_categories_tree",
	  "WITH wk AS (SELECT w.category_id, count(*) AS windows, sum(s.ms)::bigint AS ms"
	  "  FROM window_active_ms(now() - interval '7 days') s JOIN windows w ON w.id = s.window_id"
	  "  GROUP BY w.category_id)"
	  " SELECT c.id, c.name, lower(c.name), c.depth, c.app_re, c.title_re, c.url_re,"
	  " c.priority, c.productivity, c.colour, coalesce(wk.windows, 0), coalesce(wk.ms, 0),"
	  " (SELECT coalesce(sum(windows), 0) FROM wk WHERE category_id IS NULL),"
	  " (SELECT coalesce(sum(ms), 0) FROM wk WHERE category_id IS NULL)"
	  " FROM (SELECT 1) one LEFT JOIN categories c ON true"
	  " LEFT JOIN wk ON wk.category_id = c.id"
	  " ORDER BY string_to_array(lower(c.name), ' > '), c.id", 0, 1 },
	/* The preview's week kept before its transaction, which is rolled
	 * back (sql/024). */
	STMT(ST_ADMIN_CATEGORY_KEEP_WEEK) = { "admin_category_keep_week",
	  "SELECT window_hours_fill(now() - interval '7 days')", 0, 1 },
	STMT(ST_ADMIN_CATEGORY_TIMEOUT) = { "admin_category_timeout",
	  "SELECT set_config('statement_timeout', $1, true)", 1, 0 },
	STMT(ST_ADMIN_CATEGORY_REGEX_CHECK) = { "admin_category_regex_check",
	  "SELECT regex_check($1, 'categories', 'app_re'), regex_check($2, 'categories', 'title_re'),"
	  " regex_check($3, 'categories', 'url_re')", 3, 1 },
	/* The windows active in the last 7 days that the patterns match
	 * (the test of category_match, sql/005), with the category they
	 * have, whether the rule would take them (deepest, then priority,
	 * then smallest id wins), and how many of the rule's own windows it
	 * would let go of. */
	STMT(ST_ADMIN_CATEGORY_PREVIEW) = { "admin_category_preview",
	  "WITH wk AS (SELECT k.window_id, k.ms FROM window_active_ms(now() - interval '7 days') k),"
	  " ww AS MATERIALIZED (SELECT w.id, w.app, w.title, w.url, w.category_id, wk.ms,"
	  "  coalesce(w.app ~* $1 OR w.title ~* $2 OR (w.url <> '' AND w.url ~* $3), false) AS hit"
	  "  FROM wk JOIN windows w ON w.id = wk.window_id),"
	  " r AS (SELECT ww.*, c.name AS cname, c.colour AS ccolour,"
	  "  (ww.category_id IS NOT NULL AND ww.category_id <> $4::int) AS other,"
	  "  (ww.category_id IS NULL OR ww.category_id = $4::int"
	  "   OR ROW(c.depth::int, c.priority, -c.id) < ROW($5::int, $6::int, -$4::int)) AS takes"
	  "  FROM ww LEFT JOIN categories c ON c.id = ww.category_id WHERE ww.hit),"
	  " lost AS (SELECT count(*) AS n FROM ww WHERE ww.category_id = $4::int AND NOT ww.hit)"
	  " SELECT r.app, r.title, r.url, r.ms, r.cname, coalesce(r.ccolour, ''), r.other, r.takes,"
	  " count(r.id) OVER (), coalesce(sum(r.ms) OVER (), 0),"
	  " count(r.id) FILTER (WHERE r.other) OVER (),"
	  " coalesce(sum(r.ms) FILTER (WHERE r.other) OVER (), 0),"
	  " count(r.id) FILTER (WHERE r.takes) OVER (),"
	  " coalesce(sum(r.ms) FILTER (WHERE r.takes) OVER (), 0), lost.n"
	  " FROM lost LEFT JOIN r ON true ORDER BY r.ms DESC NULLS LAST, r.id LIMIT $7::int", 7, 1 },
	/* The uncategorised windows of the range (days in the time zone $3),
	 * their applications, and the words of their titles (see the top of
	 * categories_builder.c), each list by active time. */
	STMT(ST_ADMIN_CATEGORY_BUILDER) = { "admin_category_builder",
	  "WITH wk AS (SELECT k.window_id, k.ms FROM window_active_ms("
	  "  coalesce($1::date, (now() AT TIME ZONE $3)::date - 6)::timestamp AT TIME ZONE $3,"
	  "  (coalesce($2::date, (now() AT TIME ZONE $3)::date) + 1)::timestamp AT TIME ZONE $3) k),"
	  " u AS MATERIALIZED (SELECT w.id, w.app, w.title, w.url, wk.ms FROM wk"
	  "  JOIN windows w ON w.id = wk.window_id WHERE w.category_id IS NULL),"
	  " x AS ("
	  "  (SELECT 'w' AS kind, u.app AS a, u.title AS t, u.url AS l, u.ms, 1::bigint AS n FROM u"
	  "   ORDER BY u.ms DESC, u.id LIMIT $4::int)"
	  "  UNION ALL"
	  "  (SELECT 'a', u.app, '', '', sum(u.ms)::bigint, count(*) FROM u GROUP BY u.app"
	  "   ORDER BY 5 DESC, 2 LIMIT $4::int)"
	  "  UNION ALL"
	  "  (SELECT 'k', k.word, '', '', sum(k.ms)::bigint, count(*)"
	  "   FROM (SELECT DISTINCT u.id, u.ms, m[1] AS word FROM u,"
	  "    regexp_matches(lower(u.title),"
	  "     '[[:alnum:]_](?:[[:alnum:]_.''&+#-]*[[:alnum:]_+#])?', 'g') m) k"
	  "   WHERE char_length(k.word) >= 2 AND k.word ~ '[[:alpha:]]'"
	  "    AND k.word <> ALL ('{the,and,for,with,from,this,that,you,your,are,was,not,but,all,"
	  "new,tab,of,to,in,on,at,by,is,it,an,or,be,as,my,de,la,le,les,et,du,des,un,une,der,die,"
	  "das,und,mit,von,den,dem,ein,eine,untitled,unbenannt}'::text[])"
	  "   GROUP BY k.word ORDER BY 5 DESC, 2 LIMIT $4::int))"
	  " SELECT coalesce($1::date, (now() AT TIME ZONE $3)::date - 6)::text,"
	  " coalesce($2::date, (now() AT TIME ZONE $3)::date)::text,"
	  " (SELECT count(*) FROM u), (SELECT coalesce(sum(ms), 0) FROM u),"
	  " (SELECT coalesce(sum(ms), 0) FROM wk), x.kind, x.a, x.t, x.l, x.ms, x.n"
	  " FROM (SELECT 1) one LEFT JOIN x ON true", 4, 1 },

	/* audit */
	STMT(ST_ADMIN_AUDIT_INSERT) = { "admin_audit_insert",
	  "INSERT INTO audit_log (actor_id, actor_email, action, target_type, target_id,"
	  " target_label, before, after, ip)"
	  " VALUES ($1, $2, $3, $4, NULLIF($5, '')::bigint, $6, $7::jsonb, $8::jsonb, $9)", 9, 0 },
	STMT(ST_ADMIN_AUDIT_LIST) = { "admin_audit_list",
	  "WITH f AS (SELECT * FROM audit_log WHERE ($2 = '' OR strpos(actor_email, lower($2)) > 0)"
	  "  AND ($3 = '' OR action = $3) AND ($4 = '' OR target_type = $4)"
	  "  AND ($5 = '' OR target_id = NULLIF($5, '')::bigint)"
	  "  AND ($6 = '' OR at >= ($6::date::timestamp AT TIME ZONE $1))"
	  "  AND ($7 = '' OR at < (($7::date + 1)::timestamp AT TIME ZONE $1))),"
	  " pg AS (SELECT * FROM f ORDER BY at DESC, id DESC LIMIT $8::int OFFSET $9::int)"
	  " SELECT p.id, wt_local_time(p.at, $1), p.actor_email,"
	  " p.action, p.target_type, coalesce(p.target_id::text, ''), p.target_label,"
	  " coalesce(p.before::text, ''), coalesce(p.after::text, ''), p.ip,"
	  " (SELECT count(*) FROM f),"
	  " coalesce(au.display_name, ''),"
	  " coalesce(CASE p.target_type"
	  "  WHEN 'user' THEN (SELECT display_name FROM users WHERE id = p.target_id)"
	  "  WHEN 'team' THEN (SELECT name FROM teams WHERE id = p.target_id) END, ''),"
	  " " AUDIT_CHANGES("p")
	  " FROM (SELECT 1) one LEFT JOIN pg p ON true LEFT JOIN users au ON au.id = p.actor_id"
	  " ORDER BY p.at DESC, p.id DESC", 9, 1 },
};

/* Constraints a person can run into, in words. */
const struct wt_constraint admin_constraints[] = {
	/* Team names are unique whatever their case (teams_name_key is a
	 * unique index on lower(name)).  team_create and team_rename say
	 * which name at the call site; this is the wording anywhere else. */
	{ "teams_name_key", 409, "name", "A team of that name exists already" },
	{ "teams_name_plain", 400, "name", "Name must be one line without control characters" },
	{ "users_display_name_plain", 400, "display_name",
	  "Name must be one line without control characters" },
	{ "team_members_manager_role", 409, "role",
	  "A member cannot manage a team; make them a manager first" },
	/* settings_post checks the hours first; two partial changes at once
	 * can still meet here. */
	{ "screenshot_hours_ordered", 400, "screenshot_to_hour",
	  "Screenshots until (hour) must be later than the hour they start" },
	/* Consecutive heartbeats of one window merge only within pulsetime. */
	{ "pulsetime_covers_heartbeat", 400, "pulsetime_s",
	  "Pulsetime (seconds) must be at least the heartbeat interval, or the "
	  "heartbeats of one window never merge into one span" },
	/* Category rules: the route's fields are checked first (categories.c);
	 * these say the same should a value get past them. */
	{ "categories_name_key", 409, "name",
	  "A category of that name exists already (names are compared without "
	  "regard to case)" },
	{ "categories_name_check", 400, "name",
	  "Name must be levels separated by \" > \", at most 200 characters" },
	{ "categories_priority_check", 400, "priority",
	  "Priority must be an integer from -1000 to 1000" },
	{ "categories_productivity_check", 400, "productivity",
	  "Productivity must be productive, neutral or distracting" },
	{ "categories_colour_check", 400, "colour", "Colour must be a colour as #rrggbb" },
	{ "categories_app_re_check", 400, "app_re",
	  "Application pattern must be 1 to 1000 characters long" },
	{ "categories_title_re_check", 400, "title_re",
	  "Title pattern must be 1 to 1000 characters long" },
	{ "categories_url_re_check", 400, "url_re",
	  "URL pattern must be 1 to 1000 characters long" },
	{ NULL, 0, NULL, NULL }
};
