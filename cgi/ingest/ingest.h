/* ingest.fcgi: everything machines send.  Devices authenticate with the
 * bearer token they got from the enrollment exchange; only its SHA-256
 * is stored, and a revoked device's token stops working at once. */
#ifndef WT_INGEST_H
#define WT_INGEST_H

#include "app.h"

extern const struct wt_stmt ingest_stmts[];

struct device {
	long long	id;
	long long	user_id;
	char		kind[8];
	char		name[104];
};

/* 0 with the device behind r's bearer token; -1 after answering 401
 * (no token, unknown, revoked, owner disabled) or 503. */
int	device_auth(struct wt_req *, struct device *);

extern const struct wt_field enroll_fields[];
void	enroll_post(struct wt_req *);
void	agent_config(struct wt_req *);

#endif
