/* Screenshot pixels in memory: shrinking with a box filter (fed a row at
 * a time, so a capture never holds the screen at full size), the blur,
 * the thumbnail and JPEG encoding.  No window system, no files: the
 * unit test runs it on synthetic images.
 *
 * The blur never sees more than a 1/BLUR_BLOCK-scale image: the screen is
 * averaged over blocks of BLUR_BLOCK x BLUR_BLOCK pixels straight from the
 * capture, that small image is box-blurred three times more (about a
 * Gaussian of sigma 1.4 blocks, 23 screen pixels), and only then scaled up
 * again (bilinear) to the size sent.  Text 10-20 pixels tall becomes a
 * smudge a few blocks wide: what was written there is gone from the data,
 * not hidden under it. */
#ifndef WA_SHOTIMG_H
#define WA_SHOTIMG_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

#define SHOT_MAX_WIDTH	1920	/* what is sent: at most this wide */
#define THUMB_WIDTH	320	/* the thumbnail: at most this wide */
#define BLUR_BLOCK	16
#define BLUR_PASSES	3

struct img {
	int		 w, h;
	unsigned char	*px;		/* RGB, 3 bytes a pixel, rows packed */
};

int	 img_alloc(struct img *, int w, int h);
void	 img_free(struct img *);

/* A box-filter shrink from sw x sh into out (dw x dh, allocated by the
 * caller, dw <= sw, dh <= sh), fed one source row (RGB) at a time, top to
 * bottom: every source pixel counts once, in the output pixel whose box
 * holds it. */
struct shrink {
	int		 sw, sh, y;
	int		 oy;		/* the output row being summed */
	int		*col;		/* source column -> output column */
	int		*cw;		/* source columns in each output column */
	uint32_t	*acc;		/* sums of the output row, 3 per pixel */
	struct img	*out;
};
int	 shrink_begin(struct shrink *, int sw, int sh, struct img *out);
void	 shrink_row(struct shrink *, const unsigned char *rgb);
void	 shrink_end(struct shrink *);
/* The whole of src into out (allocated here, dw x dh). */
int	 img_shrink(const struct img *src, int dw, int dh, struct img *out);

/* The size an image of w x h is sent at (at most maxw wide, the height in
 * proportion, at least 1). */
void	 img_fit(int w, int h, int maxw, int *dw, int *dh);

/* The blur's small image for a shot sent at w x h: its size. */
void	 blur_size(int w, int h, int *bw, int *bh);
/* BLUR_PASSES passes of a 3x3 box over the small image, in place. */
void	 blur_small(struct img *);

/* JPEG of w x h from rows made on demand: row(ctx, y, rgb) fills row y. */
typedef void (*img_row_fn)(void *ctx, int y, unsigned char *rgb);
int	 jpeg_rows(int w, int h, int quality, img_row_fn row, void *ctx, struct buf *out);
/* JPEG of an image as it is. */
int	 img_jpeg(const struct img *, int quality, struct buf *out);
/* JPEG of src scaled up (bilinear) to w x h: the blurred shot and its
 * thumbnail from the small image. */
int	 img_jpeg_scaled(const struct img *src, int w, int h, int quality, struct buf *out);

/* One screenshot, made from a screen of sw x sh that feed() passes row
 * by row (top to bottom, RGB) into the shrink it is given: the image
 * (at most SHOT_MAX_WIDTH wide) and its thumbnail as JPEG, blurred when
 * blur is set, in which case no row of the screen is kept beyond the
 * block average it falls into.  Every buffer but the two JPEGs is freed
 * before this returns.  0, or -1 (out of memory, or feed failed). */
typedef int (*screen_feed_fn)(void *ctx, struct shrink *);
struct shot_out {
	struct buf	 image, thumb;
	int		 w, h, tw, th;
};
int	 shot_make(int sw, int sh, int blur, screen_feed_fn feed, void *ctx, struct shot_out *);
void	 shot_out_free(struct shot_out *);

#endif
