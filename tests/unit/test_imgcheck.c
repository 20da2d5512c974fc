/* img_check: what a screenshot upload must be, from its bytes alone.
 * Real PNGs (made here) and JPEGs (tests/fixtures) pass; wrong magic,
 * every truncation, damaged checksums, padding, huge dimensions and
 * decompression bombs are refused before anything decodes them. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "imgcheck.h"
#include "imgmake.h"
#include "tap.h"

static const struct img_rules RULES = { 16777216ULL, 0 };

/* The status img_check answers (0: accepted), and its message in *msg. */
static int
check(const unsigned char *p, size_t n, const char *ct, const struct img_rules *rules,
    struct img_info *info, char *msg, size_t msglen)
{
	struct img_info dummy;
	struct wt_err *e = img_check(p, n, ct, rules ? rules : &RULES, info ? info : &dummy);
	int st = 0;

	if (msg != NULL)
		msg[0] = '\0';
	if (e != NULL) {
		st = e->status;
		if (msg != NULL)
			snprintf(msg, msglen, "%s", e->msg ? e->msg : "");
		err_free(e);
	}
	return st;
}

static void
fix_crc(unsigned char *chunk, size_t len)
{
	img_put32(chunk + 8 + len, crc32(crc32(0L, Z_NULL, 0), chunk + 4, (uInt)(len + 4)));
}

static void
test_good(void)
{
	struct img_info info;
	size_t n;
	unsigned char *p = png_make(64, 32, 6, 1, &n);

	is_int(check(p, n, "image/png", NULL, &info, NULL, 0), 0, "an RGBA PNG passes");
	is_str(info.mime, "image/png", "... as image/png");
	ok(info.width == 64 && info.height == 32, "... 64 x 32");
	is_int(check(p, n, "image/png; charset=binary", NULL, NULL, NULL, 0), 0,
	    "a parameter on the media type is fine");
	free(p);
	p = png_make(1, 1, 0, 0, &n);
	is_int(check(p, n, "image/png", NULL, NULL, NULL, 0), 0, "a 1 x 1 grey PNG passes");
	free(p);
	p = png_make(333, 7, 2, 3, &n);
	is_int(check(p, n, "image/png", NULL, NULL, NULL, 0), 0, "an RGB PNG of odd width passes");
	free(p);

	/* Interlaced (Adam7): 10 x 10 grey is 120 bytes raw, not 110. */
	p = png_make_raw(10, 10, 0, 120, 0, &n);
	p[28] = 1;
	fix_crc(p + 8, 13);
	is_int(check(p, n, "image/png", NULL, NULL, NULL, 0), 0,
	    "an interlaced PNG with its seven passes' bytes passes");
	free(p);
	p = png_make_raw(10, 10, 0, 110, 0, &n);
	p[28] = 1;
	fix_crc(p + 8, 13);
	is_int(check(p, n, "image/png", NULL, NULL, NULL, 0), 400,
	    "... and with a non-interlaced image's bytes is refused");
	free(p);

	if ((p = img_fixture("shot-640x360.jpg", &n)) == NULL) {
		ok(0, "tests/fixtures/shot-640x360.jpg is readable");
		return;
	}
	is_int(check(p, n, "image/jpeg", NULL, &info, NULL, 0), 0, "a JPEG from libjpeg passes");
	ok(info.width == 640 && info.height == 360 && strcmp(info.ext, "jpg") == 0,
	    "... 640 x 360, stored as .jpg");
	free(p);
}

static void
test_lies(void)
{
	static const unsigned char gif[] = "GIF89a\x01\x00\x01\x00\x00\x00\x00;";
	static const unsigned char text[] = "<html><body>not an image</body></html>";
	char msg[512];
	size_t n, jn;
	unsigned char *png = png_make(8, 8, 2, 0, &n), *jpg = img_fixture("shot-640x360.jpg", &jn);

	is_int(check(gif, sizeof(gif) - 1, "image/png", NULL, NULL, msg, sizeof(msg)), 400,
	    "a GIF sent as image/png: 400");
	has_str(msg, "GIF", "... the message says what it is");
	is_int(check(text, sizeof(text) - 1, "image/jpeg", NULL, NULL, msg, sizeof(msg)), 400,
	    "HTML sent as image/jpeg: 400");
	has_str(msg, "not a JPEG", "... not a JPEG");
	is_int(check(png, n, "image/jpeg", NULL, NULL, msg, sizeof(msg)), 400,
	    "a PNG sent as image/jpeg: 400");
	has_str(msg, "PNG image, not the JPEG", "... says both");
	if (jpg != NULL)
		is_int(check(jpg, jn, "image/png", NULL, NULL, NULL, 0), 400,
		    "a JPEG sent as image/png: 400");
	is_int(check(png, n, "image/gif", NULL, NULL, NULL, 0), 415, "image/gif: 415");
	is_int(check(png, n, "application/octet-stream", NULL, NULL, NULL, 0), 415,
	    "application/octet-stream: 415");
	is_int(check(png, n, NULL, NULL, NULL, NULL, 0), 415, "no Content-Type: 415");
	is_int(check(png, 0, "image/png", NULL, NULL, NULL, 0), 400, "an empty body: 400");
	free(png);
	free(jpg);
}

static void
test_truncated(void)
{
	size_t n, jn, bad = 0, first_bad = 0;
	unsigned char *png = png_make(40, 30, 6, 5, &n), *jpg = img_fixture("shot-640x360.jpg", &jn);

	for (size_t cut = 1; cut < n; cut++)
		if (check(png, cut, "image/png", NULL, NULL, NULL, 0) != 400 && bad++ == 0)
			first_bad = cut;
	ok(bad == 0, "every one of the %zu prefixes of a PNG is refused with 400 (first "
	    "accepted: %zu)", n - 1, first_bad);
	if (jpg != NULL) {
		bad = 0;
		/* Every cut in the headers and the last 2 KiB, every 97th between. */
		for (size_t cut = 1; cut < jn; cut += cut < 700 || cut > jn - 2048 ? 1 : 97)
			if (check(jpg, cut, "image/jpeg", NULL, NULL, NULL, 0) != 400 && bad++ == 0)
				first_bad = cut;
		ok(bad == 0, "every truncated JPEG is refused with 400 (first accepted: %zu)",
		    first_bad);
	}
	free(png);
	free(jpg);
}

static void
test_damaged(void)
{
	char msg[512];
	size_t n, jn;
	unsigned char *png = png_make(16, 16, 6, 2, &n), *p2, *jpg = img_fixture("shot-640x360.jpg", &jn);

	png[8 + 8 + 13 + 4 + 8 + 3] ^= 0x40;	/* a byte inside the IDAT */
	is_int(check(png, n, "image/png", NULL, NULL, msg, sizeof(msg)), 400,
	    "a PNG with a damaged byte: 400");
	has_str(msg, "checksum", "... its checksum says so");
	free(png);

	png = png_make(16, 16, 6, 2, &n);
	p2 = malloc(n + 5);
	memcpy(p2, png, n);
	memcpy(p2 + n, "extra", 5);
	is_int(check(p2, n + 5, "image/png", NULL, NULL, msg, sizeof(msg)), 400,
	    "bytes after IEND: 400");
	has_str(msg, "after its end marker", "... named");
	free(p2);
	free(png);
	if (jpg != NULL) {
		p2 = malloc(jn + 3);
		memcpy(p2, jpg, jn);
		memcpy(p2 + jn, "abc", 3);
		is_int(check(p2, jn + 3, "image/jpeg", NULL, NULL, NULL, 0), 400,
		    "bytes after EOI: 400");
		free(p2);
	}
	free(jpg);
}

static void
test_dimensions(void)
{
	char msg[512];
	struct img_rules thumb = { 320ULL * 1280, 320 };
	size_t n, jn;
	unsigned char *png = png_make(8, 8, 0, 0, &n), *jpg = img_fixture("shot-640x360.jpg", &jn);

	/* The header claims 100000 x 100000; the data is still 8 x 8. */
	img_put32(png + 16, 100000);
	img_put32(png + 20, 100000);
	fix_crc(png + 8, 13);
	is_int(check(png, n, "image/png", NULL, NULL, msg, sizeof(msg)), 400,
	    "a PNG header of 100000 x 100000: 400");
	has_str(msg, "100000 x 100000", "... the message names the dimensions");
	img_put32(png + 16, 0);
	fix_crc(png + 8, 13);
	is_int(check(png, n, "image/png", NULL, NULL, NULL, 0), 400, "a width of 0: 400");
	free(png);

	png = png_make(400, 100, 2, 0, &n);
	is_int(check(png, n, "image/png", &thumb, NULL, msg, sizeof(msg)), 400,
	    "a 400 px wide thumbnail: 400");
	has_str(msg, "at most 320", "... at most 320 wide");
	free(png);

	if (jpg != NULL) {
		/* The frame header (SOF0) of the fixture says 65535 x 65535. */
		for (size_t i = 2; i + 9 < jn; i++)
			if (jpg[i] == 0xff && jpg[i + 1] == 0xc0) {
				jpg[i + 5] = jpg[i + 6] = jpg[i + 7] = jpg[i + 8] = 0xff;
				break;
			}
		is_int(check(jpg, jn, "image/jpeg", NULL, NULL, msg, sizeof(msg)), 400,
		    "a JPEG frame of 65535 x 65535: 400");
		has_str(msg, "65535 x 65535", "... named");
		free(jpg);
	}
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
test_bombs(void)
{
	char msg[512];
	size_t n;
	unsigned char *p;
	double t0;

	/* The classic: 30000 x 30000 RGBA (3.6 GB decoded) in a small file. */
	p = png_make_raw(30000, 30000, 6, 4u << 20, -1, &n);
	ok(n < 64 * 1024, "a 30000 x 30000 PNG bomb is %zu bytes", n);
	t0 = now_s();
	is_int(check(p, n, "image/png", NULL, NULL, msg, sizeof(msg)), 400,
	    "... refused with 400");
	has_str(msg, "pixels", "... for its pixels");
	diag("refused in %.3f ms (no byte inflated)", (now_s() - t0) * 1000);
	free(p);

	/* Disguised: a 64 x 64 header over 64 MiB of zeros. */
	p = png_make_raw(64, 64, 6, 64u << 20, -1, &n);
	ok(n < 256 * 1024, "a 64 x 64 PNG hiding 64 MiB of image data is %zu bytes", n);
	t0 = now_s();
	is_int(check(p, n, "image/png", NULL, NULL, msg, sizeof(msg)), 400,
	    "... refused with 400");
	has_str(msg, "inflates to more", "... for making more than its header allows");
	diag("refused after inflating at most 64 KiB past its %d bytes, in %.3f ms",
	    64 * (1 + 64 * 4), (now_s() - t0) * 1000);
	free(p);

	/* Short: a 64 x 64 header over too little data. */
	p = png_make_raw(64, 64, 6, 1000, 0, &n);
	is_int(check(p, n, "image/png", NULL, NULL, msg, sizeof(msg)), 400,
	    "a PNG whose data is shorter than its header says: 400");
	has_str(msg, "truncated", "... truncated");
	free(p);
}

int
main(void)
{
	test_good();
	test_lies();
	test_truncated();
	test_damaged();
	test_dimensions();
	test_bombs();
	return done_testing();
}
