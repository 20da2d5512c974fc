/* Test helper for the screenshot tests: for each JPEG named, one line
 * "WIDTH HEIGHT MEAN HF" (grey mean and fine-detail energy, as
 * tests/agent/jpegstat.h measures it), or "bad" when it is not a JPEG. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "jpegstat.h"

int
main(int argc, char **argv)
{
	int rc = 0;

	for (int i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		unsigned char *data = NULL;
		size_t len = 0, cap = 0, n;
		struct grey g;

		if (f == NULL) {
			printf("bad\n");
			rc = 1;
			continue;
		}
		do {
			if (len == cap) {
				cap = cap ? cap * 2 : 1 << 16;
				data = realloc(data, cap);
			}
			n = fread(data + len, 1, cap - len, f);
			len += n;
		} while (n > 0);
		fclose(f);
		if (grey_decode(data, len, &g) != 0) {
			printf("bad\n");
			rc = 1;
		} else {
			printf("%d %d %.2f %.3f\n", g.w, g.h, grey_mean(&g), grey_hf(&g));
			free(g.px);
		}
		free(data);
	}
	return rc;
}
