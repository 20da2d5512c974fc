/* Is an upload the image it claims to be?  Checked from its bytes alone,
 * before anything decodes it: the magic bytes, the header's dimensions
 * against a pixel limit (a decompression bomb is refused while it is
 * still a few hundred bytes), and the container's structure to its last
 * byte, so a truncated or padded file is refused too.
 *
 * PNG: the signature, IHDR first with a valid depth and colour type,
 * every chunk's length and CRC, at least one IDAT, IEND last and nothing
 * after it; then the IDAT stream is inflated into a small scratch buffer
 * (never into an image) and must produce exactly the bytes the header's
 * dimensions call for: a stream that ends early is truncated, one that
 * makes more is a bomb in disguise, and the work is bounded by the pixel
 * limit checked before it.
 * JPEG: SOI, the segments up to a frame header (SOF) with non-zero
 * dimensions, at least one scan, EOI at the very end. */
#ifndef WT_IMGCHECK_H
#define WT_IMGCHECK_H

#include <stddef.h>

#include "err.h"

struct img_info {
	const char	*mime;		/* image/png or image/jpeg */
	const char	*ext;		/* png or jpg */
	unsigned long	 width, height;
};

struct img_rules {
	unsigned long long	 max_pixels;
	unsigned long		 max_width;	/* 0: no limit of its own */
};

/* NULL and *out filled, or a 400 (or 415 for another image type) saying
 * what is wrong; content_type is what the client said it sent. */
struct wt_err	*img_check(const unsigned char *p, size_t n, const char *content_type,
		    const struct img_rules *, struct img_info *out);

#endif
