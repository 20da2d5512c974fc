/* For bench/screenshots.sh: one screenshot of $DISPLAY as the agent takes
 * it (agent/x11.c's capture, agent/shotimg.c's shrink, blur and JPEG),
 * with what it cost this process:
 *
 *   shotone [--plain] [OUT.jpg]
 *
 * prints "WxH -> wxh, N bytes (thumbnail M bytes), cpu MS ms, peak +KB kB"
 * (CPU time of the capture, blur and encoding, user and system, and how
 * much the peak resident size grew for it).  Blurred unless --plain; the
 * image goes to OUT when given (the test display's, never a person's). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "backend.h"
#include "shotimg.h"

static int
feed(void *ctx, struct shrink *s)
{
	return x11_backend.capture(ctx, s);
}

static double
cpu_ms(const struct rusage *u)
{
	return u->ru_utime.tv_sec * 1e3 + u->ru_utime.tv_usec / 1e3 + u->ru_stime.tv_sec * 1e3 +
	    u->ru_stime.tv_usec / 1e3;
}

int
main(int argc, char **argv)
{
	int blur = 1, w, h;
	const char *out = NULL;
	char why[256];
	void *x;
	struct rusage a, b;
	struct shot_out o;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--plain") == 0)
			blur = 0;
		else
			out = argv[i];
	}
	if ((x = x11_backend.open(why, sizeof(why))) == NULL) {
		fprintf(stderr, "shotone: %s\n", why);
		return 1;
	}
	if (x11_backend.screen_size(x, &w, &h) != 0)
		return 1;
	getrusage(RUSAGE_SELF, &a);
	if (shot_make(w, h, blur, feed, x, &o) != 0) {
		fprintf(stderr, "shotone: the screenshot failed\n");
		return 1;
	}
	getrusage(RUSAGE_SELF, &b);
	printf("%dx%d -> %dx%d%s, %zu bytes (thumbnail %zu bytes), cpu %.1f ms, peak +%ld kB\n",
	    w, h, o.w, o.h, blur ? " blurred" : "", o.image.len, o.thumb.len, cpu_ms(&b) - cpu_ms(&a),
	    b.ru_maxrss - a.ru_maxrss);
	if (out) {
		FILE *f = fopen(out, "wb");

		if (f == NULL || fwrite(o.image.p, 1, o.image.len, f) != o.image.len || fclose(f) != 0) {
			fprintf(stderr, "shotone: cannot write %s\n", out);
			return 1;
		}
	}
	shot_out_free(&o);
	x11_backend.close(x);
	return 0;
}
