/* The signed-in person as the programs see them. */
#ifndef WT_USER_H
#define WT_USER_H

#include <libpq-fe.h>

#include "http.h"

/* The columns user_from_row reads, in this order, from users u. */
#define USER_COLUMNS \
	"u.id, u.email, u.display_name, u.role, u.timezone, u.target_pace_min"
enum { USER_NCOLUMNS = 6 };

void		 user_free(struct wt_user *);
/* USER_COLUMNS of row, starting at column col, to a user. */
struct wt_user	*user_from_row(PGresult *, int row, int col);
void		 device_free(struct wt_device *);
/* A pace in minutes per task (at most 2 decimal places) as JSON: an
 * integer when whole (30), else a number (5.5); and as text ("5.5"). */
json_t		*pace_json(double minutes);
void		 pace_text(double minutes, char out[32]);

#endif
