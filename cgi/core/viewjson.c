/* A JSON answer into a page's view: the JSON twin and the page are made
 * from one value, so they cannot say different things. */
#include "config.h"

#include <stdio.h>

#include "buf.h"
#include "view.h"

void
view_set_json(struct wt_view *v, const char *name, json_t *j)
{
	struct wt_buf b;
	const char *key;
	json_t *val;
	size_t i;

	switch (json_typeof(j)) {
	case JSON_OBJECT:
		json_object_foreach(j, key, val) {
			buf_init(&b);
			buf_printf(&b, "%s.%s", name, key);
			view_set_json(v, b.data, val);
			buf_free(&b);
		}
		break;
	case JSON_ARRAY:
		json_array_foreach(j, i, val) {
			buf_init(&b);
			buf_printf(&b, "%s.%zu", name, i);
			view_set_json(v, b.data, val);
			buf_free(&b);
		}
		break;
	case JSON_STRING:
		view_set(v, name, json_string_value(j));
		break;
	case JSON_INTEGER:
		view_set_int(v, name, (long long)json_integer_value(j));
		break;
	case JSON_REAL: {
		char num[64];

		snprintf(num, sizeof(num), "%g", json_real_value(j));
		view_set(v, name, num);
		break;
	}
	case JSON_TRUE:
		view_set(v, name, "1");
		break;
	case JSON_FALSE:
		view_set(v, name, "0");
		break;
	case JSON_NULL:
		break;
	}
}
