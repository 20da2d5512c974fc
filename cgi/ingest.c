/* ingest.fcgi: everything machines post: activity, heartbeats, screenshots.
 * Answers GET /healthz so nginx's routing to it can be checked. */
#include "config.h"

#include "app.h"

static const struct wt_route routes[] = {
	WT_CORE_ROUTES,
	WT_ROUTES_END
};

static const struct wt_app app = { .name = "ingest", .routes = routes };

int
main(int argc, char **argv)
{
	return wt_main(argc, argv, &app);
}
