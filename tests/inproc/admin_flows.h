/* What the admin tests do again and again, in process: bearer requests
 * to admin.fcgi that read JSON, people made the way an admin makes them
 * (an invitation from the outbox, then the invitee registers through
 * auth.fcgi), teams, devices, and the audit log.  Linked with admin's and
 * auth's libraries. */
#ifndef WT_INPROC_ADMIN_FLOWS_H
#define WT_INPROC_ADMIN_FLOWS_H

#include "flows.h"

extern const struct wt_app admin_app;
#define ADMIN	(&admin_app)

/* The password every test person gets (>= 12 characters, passes cracklib). */
#define PERSON_PW	"Copper-Valley-Orchid-93"

/* A bearer request that reads JSON; a POST without a body sends {}. */
struct ip_resp	*api(const char *method, const char *path, const char *token,
		    const char *json);

/* This run's own admin (made with SQL, as wtctl create-admin does). */
struct admin {
	const char	*id, *email, *name, *token;
};
void		 make_admin(struct admin *);

/* --- the database ----------------------------------------------------------- */
const char	*uid_of(const char *email);
/* One users row as JSON, without updated_at: "nothing changed" checks. */
const char	*user_json(const char *id);
long long	 audit_max(void);
/* The newest audit row of an action (and target, if not NULL) as JSON. */
const char	*audit_last(const char *action, const char *target_id);
int		 audit_since(long long id);

/* --- people, teams, devices ----------------------------------------------- */
/* The admin invites; the invitation token from the message (NULL, with
 * a diagnostic, if that failed). */
const char	*invite(const struct admin *, const char *email, const char *role,
		    const char *team_id);
/* Registers through an invitation as the invitee's browser does; the
 * browser keeps the session.  0 on 201. */
int		 register_invited(const char *tok, const char *name, struct ip_jar *);
/* Invites, registers and signs in; the person's access token (NULL on
 * failure).  Their browser (from registering) in *jar if not NULL. */
const char	*make_person(const struct admin *, const char *email, const char *role,
		    const char *team_id, const char *name, struct ip_jar **jar);
const char	*make_team(const struct admin *, const char *name);
int		 add_member(const struct admin *, const char *team, const char *user,
		    const char *role);
/* A device row as the enrollment exchange would leave it; its id.
 * last_seen and revoked are SQL expressions (NULL: NULL). */
const char	*make_device(const char *uid, const char *name, const char *last_seen,
		    const char *revoked);

#endif
