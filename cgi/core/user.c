#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "buf.h"
#include "user.h"

void
user_free(struct wt_user *u)
{
	if (u == NULL)
		return;
	free(u->email);
	free(u->display_name);
	free(u->role);
	free(u->timezone);
	free(u);
}

struct wt_user *
user_from_row(PGresult *res, int row, int c)
{
	struct wt_user *u = xcalloc(1, sizeof(*u));

	u->id = atoll(PQgetvalue(res, row, c));
	u->email = xstrdup(PQgetvalue(res, row, c + 1));
	u->display_name = xstrdup(PQgetvalue(res, row, c + 2));
	u->role = xstrdup(PQgetvalue(res, row, c + 3));
	u->timezone = xstrdup(PQgetvalue(res, row, c + 4));
	u->target_pace_min = strtod(PQgetvalue(res, row, c + 5), NULL);
	return u;
}

void
device_free(struct wt_device *d)
{
	if (d == NULL)
		return;
	free(d->kind);
	free(d->name);
	free(d);
}

json_t *
pace_json(double minutes)
{
	long long h = (long long)(minutes * 100 + 0.5);

	return h % 100 == 0 ? json_integer(h / 100) : json_real((double)h / 100);
}

void
pace_text(double minutes, char out[32])
{
	long long h = (long long)(minutes * 100 + 0.5);

	if (h % 100 == 0)
		snprintf(out, 32, "%lld", h / 100);
	else if (h % 10 == 0)
		snprintf(out, 32, "%lld.%lld", h / 100, (h % 100) / 10);
	else
		snprintf(out, 32, "%lld.%02lld", h / 100, h % 100);
}
