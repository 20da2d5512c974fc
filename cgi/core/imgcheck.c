#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <zlib.h>

#include "buf.h"
#include "imgcheck.h"

static const unsigned char PNG_SIG[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

static unsigned long
be32(const unsigned char *p)
{
	return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 |
	    (unsigned long)p[2] << 8 | p[3];
}

static unsigned
be16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

/* "image/png; x=y" has media type image/png. */
static int
media_is(const char *ct, const char *type)
{
	size_t n = strlen(type);

	if (ct == NULL || strncasecmp(ct, type, n) != 0)
		return 0;
	return ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ';
}

static const char *
sniff(const unsigned char *p, size_t n)
{
	if (n >= 8 && memcmp(p, PNG_SIG, 8) == 0)
		return "PNG";
	if (n >= 3 && p[0] == 0xff && p[1] == 0xd8 && p[2] == 0xff)
		return "JPEG";
	if (n >= 6 && (memcmp(p, "GIF87a", 6) == 0 || memcmp(p, "GIF89a", 6) == 0))
		return "GIF";
	if (n >= 12 && memcmp(p, "RIFF", 4) == 0 && memcmp(p + 8, "WEBP", 4) == 0)
		return "WebP";
	return NULL;
}

static struct wt_err *
check_size(unsigned long w, unsigned long h, const struct img_rules *rules)
{
	if (w == 0 || h == 0)
		return wt_fail(400, NULL, "the image header says %lu x %lu pixels: an image "
		    "has at least one pixel each way", w, h);
	if (rules->max_width > 0 && w > rules->max_width)
		return wt_fail(400, NULL, "the image is %lu pixels wide; at most %lu are accepted",
		    w, rules->max_width);
	if ((unsigned long long)w * h > rules->max_pixels)
		return wt_fail(400, NULL, "the image header says %lu x %lu pixels; at most %llu "
		    "pixels are accepted", w, h, rules->max_pixels);
	return NULL;
}

/* --- PNG ------------------------------------------------------------------ */

/* Bytes of one filtered row of w pixels: the filter byte and the pixels;
 * 0 for a row of no pixels (an empty interlace pass has no rows). */
static unsigned long long
row_bytes(unsigned long long w, unsigned bits_per_pixel)
{
	return w == 0 ? 0 : 1 + (w * bits_per_pixel + 7) / 8;
}

/* What the IDAT stream must inflate to. */
static unsigned long long
png_raw_size(unsigned long w, unsigned long h, unsigned bpp, int interlaced)
{
	static const unsigned pass[7][4] = {	/* x0, y0, dx, dy (Adam7) */
		{ 0, 0, 8, 8 }, { 4, 0, 8, 8 }, { 0, 4, 4, 8 }, { 2, 0, 4, 4 },
		{ 0, 2, 2, 4 }, { 1, 0, 2, 2 }, { 0, 1, 1, 2 } };
	unsigned long long total = 0;

	if (!interlaced)
		return (unsigned long long)h * row_bytes(w, bpp);
	for (int i = 0; i < 7; i++) {
		unsigned long long pw = w > pass[i][0] ? (w - pass[i][0] + pass[i][2] - 1) / pass[i][2] : 0;
		unsigned long long ph = h > pass[i][1] ? (h - pass[i][1] + pass[i][3] - 1) / pass[i][3] : 0;

		if (pw > 0 && ph > 0)
			total += ph * row_bytes(pw, bpp);
	}
	return total;
}

/* Channels of a colour type and whether the depth suits it; 0: invalid. */
static unsigned
png_channels(unsigned ct, unsigned depth)
{
	switch (ct) {
	case 0: return depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16;
	case 2: return depth == 8 || depth == 16 ? 3 : 0;
	case 3: return depth == 1 || depth == 2 || depth == 4 || depth == 8;
	case 4: return depth == 8 || depth == 16 ? 2 : 0;
	case 6: return depth == 8 || depth == 16 ? 4 : 0;
	}
	return 0;
}

struct inflater {
	z_stream		 z;
	unsigned long long	 want, got;
	int			 ended, failed;
	unsigned char		 scratch[65536];
};

/* Feeds one IDAT's data; the output is counted and thrown away. */
static struct wt_err *
inflate_feed(struct inflater *f, const unsigned char *p, size_t n)
{
	if (f->ended)
		return n == 0 ? NULL :
		    wt_fail(400, NULL, "the PNG has image data after its compressed stream ended");
	f->z.next_in = (unsigned char *)p;
	f->z.avail_in = (uInt)n;
	while (f->z.avail_in > 0 && !f->ended) {
		int rc;

		f->z.next_out = f->scratch;
		f->z.avail_out = sizeof(f->scratch);
		rc = inflate(&f->z, Z_NO_FLUSH);
		f->got += sizeof(f->scratch) - f->z.avail_out;
		if (f->got > f->want)
			return wt_fail(400, NULL, "the PNG's image data inflates to more than its "
			    "%llu bytes for the dimensions in its header (a decompression bomb?)",
			    f->want);
		if (rc == Z_STREAM_END)
			f->ended = 1;
		else if (rc != Z_OK && rc != Z_BUF_ERROR)
			return wt_fail(400, NULL, "the PNG's image data is not a valid zlib stream (%s)",
			    f->z.msg ? f->z.msg : "corrupt");
		else if (rc == Z_BUF_ERROR && f->z.avail_out != 0)
			break;		/* needs the next IDAT */
	}
	if (f->ended && f->z.avail_in > 0)
		return wt_fail(400, NULL, "the PNG has image data after its compressed stream ended");
	return NULL;
}

static struct wt_err *
check_png(const unsigned char *p, size_t n, const struct img_rules *rules, struct img_info *out)
{
	struct inflater *f;
	struct wt_err *e = NULL;
	unsigned long w, h;
	unsigned depth, ct, ch, interlace;
	size_t off = 8;
	int idats = 0, idat_done = 0, plte = 0, iend = 0;

	if (n < 8 + 25 || be32(p + 8) != 13 || memcmp(p + 12, "IHDR", 4) != 0)
		return wt_fail(400, NULL, "the PNG is truncated or does not start with its header "
		    "(IHDR)");
	w = be32(p + 16);
	h = be32(p + 20);
	depth = p[24];
	ct = p[25];
	interlace = p[28];
	if (w > 0x7fffffffUL || h > 0x7fffffffUL)
		return wt_fail(400, NULL, "the PNG header's dimensions are out of range");
	if ((e = check_size(w, h, rules)) != NULL)
		return e;
	if ((ch = png_channels(ct, depth)) == 0 || p[26] != 0 || p[27] != 0 || interlace > 1)
		return wt_fail(400, NULL, "the PNG header is invalid (colour type %u with depth %u, "
		    "compression %u, filter %u, interlace %u)", ct, depth, p[26], p[27], interlace);

	f = xcalloc(1, sizeof(*f));
	f->want = png_raw_size(w, h, ch * depth, interlace);
	if (inflateInit(&f->z) != Z_OK) {
		free(f);
		return wt_fail(500, NULL, "could not start checking the PNG");
	}
	while (e == NULL && !iend) {
		unsigned long len;
		const unsigned char *type, *data;

		if (n - off < 12) {
			e = wt_fail(400, NULL, "the PNG is truncated: it ends at byte %zu, before its "
			    "end marker (IEND)", n);
			break;
		}
		len = be32(p + off);
		type = p + off + 4;
		data = p + off + 8;
		if (len > 0x7fffffffUL || len > n - off - 12) {
			e = wt_fail(400, NULL, "the PNG is truncated: a chunk at byte %zu claims %lu "
			    "bytes and the file ends before them", off, len);
			break;
		}
		for (int i = 0; i < 4; i++)
			if (!((type[i] >= 'A' && type[i] <= 'Z') || (type[i] >= 'a' && type[i] <= 'z'))) {
				e = wt_fail(400, NULL, "the PNG has a malformed chunk at byte %zu", off);
				break;
			}
		if (e != NULL)
			break;
		if (crc32(crc32(0L, Z_NULL, 0), type, (uInt)(len + 4)) != be32(data + len)) {
			e = wt_fail(400, NULL, "the PNG is damaged: chunk %.4s at byte %zu fails its "
			    "checksum", (const char *)type, off);
			break;
		}
		if (off > 8 && memcmp(type, "IHDR", 4) == 0)
			e = wt_fail(400, NULL, "the PNG has a second header (IHDR)");
		else if (memcmp(type, "PLTE", 4) == 0)
			plte = 1;
		else if (memcmp(type, "IDAT", 4) == 0) {
			if (idat_done)
				e = wt_fail(400, NULL, "the PNG's image data (IDAT) is not in one run");
			else if (ct == 3 && !plte)
				e = wt_fail(400, NULL, "the PNG has a palette colour type and no palette");
			else {
				idats++;
				e = inflate_feed(f, data, len);
			}
		} else if (memcmp(type, "IEND", 4) == 0) {
			iend = 1;
			if (len != 0)
				e = wt_fail(400, NULL, "the PNG's end marker (IEND) carries data");
		} else if (idats > 0)
			idat_done = 1;
		off += 12 + len;
	}
	if (e == NULL && idats == 0)
		e = wt_fail(400, NULL, "the PNG has no image data (IDAT)");
	if (e == NULL && (!f->ended || f->got != f->want))
		e = wt_fail(400, NULL, "the PNG is truncated: its image data makes %llu of the %llu "
		    "bytes its dimensions call for", f->got, f->want);
	if (e == NULL && off != n)
		e = wt_fail(400, NULL, "the PNG has %zu bytes after its end marker (IEND)", n - off);
	inflateEnd(&f->z);
	free(f);
	if (e != NULL)
		return e;
	out->mime = "image/png";
	out->ext = "png";
	out->width = w;
	out->height = h;
	return NULL;
}

/* --- JPEG ----------------------------------------------------------------- */

static int
is_sof(unsigned m)
{
	return m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc;
}

/* Skips a scan's entropy-coded data from i; the offset of the marker that
 * ends it, or n if the file ends first. */
static size_t
skip_scan(const unsigned char *p, size_t n, size_t i)
{
	while (i + 1 < n) {
		if (p[i] != 0xff) {
			i++;
			continue;
		}
		if (p[i + 1] == 0x00 || (p[i + 1] >= 0xd0 && p[i + 1] <= 0xd7))
			i += 2;		/* a stuffed 0xff, a restart marker */
		else if (p[i + 1] == 0xff)
			i++;		/* fill before a marker */
		else
			return i;
	}
	return n;
}

static struct wt_err *
check_jpeg(const unsigned char *p, size_t n, const struct img_rules *rules, struct img_info *out)
{
	unsigned long w = 0, h = 0;
	int sof = 0, scans = 0;
	size_t i = 2;
	struct wt_err *e;

	for (;;) {
		unsigned m, len;

		if (i >= n || p[i] != 0xff)
			return i >= n ?
			    wt_fail(400, NULL, "the JPEG is truncated: it ends at byte %zu, before "
			    "its end marker (EOI)", n) :
			    wt_fail(400, NULL, "the JPEG is malformed: no marker at byte %zu", i);
		while (i < n && p[i] == 0xff)
			i++;
		if (i >= n)
			return wt_fail(400, NULL, "the JPEG is truncated: it ends inside a marker");
		m = p[i];
		if (m == 0xd9) {
			if (!sof || scans == 0)
				return wt_fail(400, NULL, "the JPEG ends before its %s",
				    !sof ? "frame header (SOF)" : "image data (SOS)");
			if (i + 1 != n)
				return wt_fail(400, NULL, "the JPEG has %zu bytes after its end marker "
				    "(EOI)", n - i - 1);
			break;
		}
		if (m == 0xd8 || m == 0x00)
			return wt_fail(400, NULL, "the JPEG is malformed: marker 0x%02x at byte %zu", m, i);
		if ((m >= 0xd0 && m <= 0xd7) || m == 0x01) {
			i++;
			continue;
		}
		if (n - i < 3)
			return wt_fail(400, NULL, "the JPEG is truncated inside a segment header");
		len = be16(p + i + 1);
		if (len < 2 || len > n - i - 1)
			return wt_fail(400, NULL, "the JPEG is truncated: segment 0x%02x at byte %zu "
			    "claims %u bytes and the file ends before them", m, i, len);
		if (is_sof(m)) {
			if (sof)
				return wt_fail(400, NULL, "the JPEG has a second frame header (SOF)");
			if (len < 8 || len != 8 + 3u * p[i + 8])
				return wt_fail(400, NULL, "the JPEG's frame header (SOF) is malformed");
			h = be16(p + i + 4);
			w = be16(p + i + 6);
			if ((e = check_size(w, h, rules)) != NULL)
				return e;
			sof = 1;
		}
		i += 1 + len;
		if (m == 0xda) {
			if (!sof)
				return wt_fail(400, NULL, "the JPEG has image data (SOS) before its frame "
				    "header (SOF)");
			scans++;
			i = skip_scan(p, n, i);
		}
	}
	out->mime = "image/jpeg";
	out->ext = "jpg";
	out->width = w;
	out->height = h;
	return NULL;
}

struct wt_err *
img_check(const unsigned char *p, size_t n, const char *content_type,
    const struct img_rules *rules, struct img_info *out)
{
	int png = media_is(content_type, "image/png");
	int jpeg = media_is(content_type, "image/jpeg");
	const char *is = sniff(p, n);

	if (!png && !jpeg)
		return wt_fail(415, NULL, "send the image as image/png or image/jpeg");
	if (n == 0)
		return wt_fail(400, NULL, "the body is empty: send the image");
	if (is == NULL || strcmp(is, png ? "PNG" : "JPEG") != 0) {
		if (is != NULL)
			return wt_fail(400, NULL, "the body is a %s image, not the %s its Content-Type "
			    "says", is, png ? "PNG" : "JPEG");
		return wt_fail(400, NULL, "the body is not a %s image (its first bytes are not a "
		    "%s signature)", png ? "PNG" : "JPEG", png ? "PNG" : "JPEG");
	}
	return png ? check_png(p, n, rules, out) : check_jpeg(p, n, rules, out);
}
