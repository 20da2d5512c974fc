#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "http.h"

/* Matches one pattern against a path, segment by segment; ":name"
 * segments capture one non-empty segment into args. */
static int
pattern_match(const char *pat, const char *path, struct wt_kvlist *args)
{
	size_t start = args->n;

	while (*pat != '\0' && *path != '\0') {
		if (*pat == ':') {
			const char *pe = pat + 1, *se = path;

			while (*pe != '\0' && *pe != '/')
				pe++;
			while (*se != '\0' && *se != '/')
				se++;
			if (se == path)
				goto fail;
			kv_add_owned(args, xstrndup(pat + 1, (size_t)(pe - pat - 1)),
			    xstrndup(path, (size_t)(se - path)), (size_t)(se - path));
			pat = pe;
			path = se;
			continue;
		}
		if (*pat != *path)
			goto fail;
		pat++;
		path++;
	}
	if (*pat == '\0' && *path == '\0')
		return 1;
fail:
	while (args->n > start) {
		args->n--;
		free(args->items[args->n].key);
		free(args->items[args->n].val);
	}
	return 0;
}

int
route_path_match(const struct wt_route *rt, const char *path)
{
	struct wt_kvlist scratch;
	int m;

	kv_init(&scratch);
	m = pattern_match(rt->pattern, path, &scratch);
	kv_free(&scratch);
	return m;
}

/* Adds method to a comma-separated list unless it is already there. */
static void
allow_add(struct wt_buf *allow, const char *method)
{
	size_t n = strlen(method);
	const char *p = allow->data;

	while (p != NULL && *p != '\0') {
		if (strncmp(p, method, n) == 0 && (p[n] == ',' || p[n] == '\0'))
			return;
		p = strchr(p, ',');
		if (p != NULL)
			p += 2;
	}
	if (allow->len > 0)
		buf_puts(allow, ", ");
	buf_puts(allow, method);
}

int
route_match(const struct wt_route *routes, const char *method, const char *path,
    struct wt_kvlist *args, const struct wt_route **out, struct wt_buf *allow)
{
	int path_seen = 0;

	*out = NULL;
	for (const struct wt_route *rt = routes; rt->pattern != NULL; rt++) {
		struct wt_kvlist scratch;

		kv_init(&scratch);
		if (!pattern_match(rt->pattern, path, &scratch)) {
			kv_free(&scratch);
			continue;
		}
		if (strcmp(rt->method, method) == 0) {
			for (size_t i = 0; i < scratch.n; i++)
				kv_add_owned(args, scratch.items[i].key,
				    scratch.items[i].val, scratch.items[i].vlen);
			free(scratch.items);
			*out = rt;
			return 0;
		}
		kv_free(&scratch);
		/* Same path, other method: collect for the Allow header. */
		allow_add(allow, rt->method);
		if (strcmp(rt->method, "GET") == 0)
			allow_add(allow, "HEAD");
		path_seen = 1;
	}
	return path_seen ? 405 : 404;
}
