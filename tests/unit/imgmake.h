/* Test images made in the test: real PNGs (zlib and its crc32), and the
 * liars the screenshot upload must refuse.  Header-only, static: every
 * test that includes it gets its own copy.
 *
 *	size_t n; unsigned char *p = png_make(64, 32, 6, 0, 1, &n);
 *
 * The JPEGs in tests/fixtures/ were encoded with libjpeg (quality 75, a
 * pattern of bands and gradients), 640x360 and 320x180. */
#ifndef WT_TEST_IMGMAKE_H
#define WT_TEST_IMGMAKE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

static void
img_put32(unsigned char *p, unsigned long v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* Appends a chunk (length, type, data, CRC) at *n. */
static void
img_chunk(unsigned char *out, size_t *n, const char *type, const unsigned char *data,
    size_t len)
{
	unsigned long crc;

	img_put32(out + *n, (unsigned long)len);
	memcpy(out + *n + 4, type, 4);
	if (len > 0)
		memcpy(out + *n + 8, data, len);
	crc = crc32(crc32(0L, Z_NULL, 0), out + *n + 4, (uInt)(len + 4));
	img_put32(out + *n + 8 + len, crc);
	*n += 12 + len;
}

/* A PNG whose header says w x h of colour type ct (depth 8), with an
 * IDAT that inflates to raw_len bytes of a pattern (zeros if seed < 0) (raw_len 0: exactly
 * what w x h calls for, non-interlaced).  Compressed at level 9, so a
 * large raw_len of repeated bytes makes a small file (a bomb). */
static unsigned char *
png_make_raw(unsigned long w, unsigned long h, int ct, size_t raw_len, int seed, size_t *outlen)
{
	static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	unsigned ch = ct == 2 ? 3 : ct == 6 ? 4 : ct == 4 ? 2 : 1;
	size_t row = 1 + w * ch, i;
	unsigned char ihdr[13], *raw, *z, *out;
	uLongf zlen;
	size_t n = 0;

	if (raw_len == 0)
		raw_len = row * h;
	raw = calloc(1, raw_len ? raw_len : 1);
	for (i = 0; i < raw_len; i++)
		raw[i] = i % row == 0 || seed < 0 ? 0 :
		    (unsigned char)((i / row + i % row / 8 + (size_t)seed +
		    ((size_t)seed >> 8) * (i % row)) & 0xff);
	zlen = compressBound((uLong)raw_len);
	z = malloc(zlen);
	compress2(z, &zlen, raw, (uLong)raw_len, 9);
	free(raw);
	out = malloc(8 + 25 + 12 + zlen + 12);
	memcpy(out, sig, 8);
	n = 8;
	img_put32(ihdr, w);
	img_put32(ihdr + 4, h);
	ihdr[8] = 8;
	ihdr[9] = (unsigned char)ct;
	ihdr[10] = ihdr[11] = ihdr[12] = 0;
	img_chunk(out, &n, "IHDR", ihdr, 13);
	img_chunk(out, &n, "IDAT", z, zlen);
	img_chunk(out, &n, "IEND", NULL, 0);
	free(z);
	*outlen = n;
	return out;
}

static unsigned char *
png_make(unsigned long w, unsigned long h, int ct, int seed, size_t *outlen)
{
	return png_make_raw(w, h, ct, 0, seed, outlen);
}

/* A file's bytes (tests/fixtures/NAME under WT_SRCDIR, or relative to
 * this file), NULL if it cannot be read. */
static unsigned char *
img_fixture(const char *name, size_t *outlen)
{
	const char *src = getenv("WT_SRCDIR"), *me = __FILE__, *cut = strstr(me, "/tests/unit/");
	char path[4096];
	unsigned char *buf = NULL;
	long len;
	FILE *f;

	if (src != NULL && *src != '\0')
		snprintf(path, sizeof(path), "%s/tests/fixtures/%s", src, name);
	else if (cut != NULL)
		snprintf(path, sizeof(path), "%.*s/tests/fixtures/%s", (int)(cut - me), me, name);
	else
		snprintf(path, sizeof(path), "tests/fixtures/%s", name);
	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)len)) != NULL && fread(buf, 1, (size_t)len, f) != (size_t)len) {
		free(buf);
		buf = NULL;
	}
	if (buf != NULL)
		*outlen = (size_t)len;
	fclose(f);
	return buf;
}

#endif
