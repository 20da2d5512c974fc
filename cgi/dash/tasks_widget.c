/* /widget: installing the task widget (static/worktime-widget.user.js,
 * served by nginx as JavaScript, which Tampermonkey and Violentmonkey
 * recognise by its .user.js name and offer to install in one click). */
#include "config.h"

#include <string.h>

#include "conf.h"
#include "dash.h"
#include "view.h"

struct wt_err *
tasks_widget(struct wt_req *r)
{
	struct wt_view *v;
	char origins[1024];
	size_t n = 0;

	if (req_wants_json(r))
		return wt_json(r, 200, json_pack("{ss ss ss}", "script",
		    "/static/worktime-widget.user.js", "server", wt_cfg.site_url, "cors_origins",
		    wt_cfg.cors_origins ? wt_cfg.cors_origins : ""));
	v = req_view(r);
	view_set(v, "Page.Title", "The task widget");
	view_set(v, "Page.Nav", "sessions");
	view_set(v, "Widget.Server", wt_cfg.site_url);
	/* The origins as a list for the page. */
	for (const char *p = wt_cfg.cors_origins ? wt_cfg.cors_origins : ""; *p != '\0';) {
		size_t w = strcspn(p, " \t,");

		if (w > 0 && w < sizeof(origins)) {
			memcpy(origins, p, w);
			origins[w] = '\0';
			view_setf(v, origins, "Widget.Origins.%zu", n++);
		}
		p += w;
		p += strspn(p, " \t,");
	}
	return wt_html(r, 200, "task_widget.cs");
}
