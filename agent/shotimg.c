#include "config.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>

#include "shotimg.h"

int
img_alloc(struct img *im, int w, int h)
{
	im->w = w;
	im->h = h;
	im->px = malloc((size_t)w * (size_t)h * 3);
	return im->px ? 0 : -1;
}

void
img_free(struct img *im)
{
	free(im->px);
	im->px = NULL;
	im->w = im->h = 0;
}

void
img_fit(int w, int h, int maxw, int *dw, int *dh)
{
	if (w <= maxw) {
		*dw = w;
		*dh = h;
		return;
	}
	*dw = maxw;
	*dh = (int)(((int64_t)h * maxw + w / 2) / w);
	if (*dh < 1)
		*dh = 1;
}

void
blur_size(int w, int h, int *bw, int *bh)
{
	*bw = (w + BLUR_BLOCK - 1) / BLUR_BLOCK;
	*bh = (h + BLUR_BLOCK - 1) / BLUR_BLOCK;
}

/* --- the box shrink ----------------------------------------------------------- */

int
shrink_begin(struct shrink *s, int sw, int sh, struct img *out)
{
	memset(s, 0, sizeof(*s));
	if (out->w < 1 || out->h < 1 || out->w > sw || out->h > sh)
		return -1;
	s->sw = sw;
	s->sh = sh;
	s->out = out;
	s->col = malloc((size_t)sw * sizeof(int));
	s->cw = calloc((size_t)out->w, sizeof(int));
	s->acc = calloc((size_t)out->w * 3, sizeof(uint32_t));
	if (!s->col || !s->cw || !s->acc) {
		shrink_end(s);
		return -1;
	}
	/* Output column ox takes source columns [ox*sw/dw, (ox+1)*sw/dw). */
	for (int ox = 0; ox < out->w; ox++) {
		int x0 = (int)((int64_t)ox * sw / out->w), x1 = (int)((int64_t)(ox + 1) * sw / out->w);

		for (int x = x0; x < x1; x++)
			s->col[x] = ox;
		s->cw[ox] = x1 - x0;
	}
	return 0;
}

void
shrink_row(struct shrink *s, const unsigned char *rgb)
{
	struct img *o = s->out;
	int y1;

	if (s->y >= s->sh)
		return;
	for (int x = 0; x < s->sw; x++) {
		uint32_t *a = s->acc + 3 * s->col[x];

		a[0] += rgb[3 * x];
		a[1] += rgb[3 * x + 1];
		a[2] += rgb[3 * x + 2];
	}
	s->y++;
	y1 = (int)((int64_t)(s->oy + 1) * s->sh / o->h);
	if (s->y == y1) {
		int rows = y1 - (int)((int64_t)s->oy * s->sh / o->h);
		unsigned char *d = o->px + (size_t)s->oy * o->w * 3;

		for (int ox = 0; ox < o->w; ox++) {
			uint32_t n = (uint32_t)(s->cw[ox] * rows);

			for (int c = 0; c < 3; c++)
				d[3 * ox + c] = (unsigned char)((s->acc[3 * ox + c] + n / 2) / n);
		}
		memset(s->acc, 0, (size_t)o->w * 3 * sizeof(uint32_t));
		s->oy++;
	}
}

void
shrink_end(struct shrink *s)
{
	free(s->col);
	free(s->cw);
	free(s->acc);
	s->col = s->cw = NULL;
	s->acc = NULL;
}

int
img_shrink(const struct img *src, int dw, int dh, struct img *out)
{
	struct shrink s;

	if (img_alloc(out, dw, dh) != 0)
		return -1;
	if (shrink_begin(&s, src->w, src->h, out) != 0) {
		img_free(out);
		return -1;
	}
	for (int y = 0; y < src->h; y++)
		shrink_row(&s, src->px + (size_t)y * src->w * 3);
	shrink_end(&s);
	return 0;
}

/* --- the blur ------------------------------------------------------------------ */

/* One 3-tap box along rows (dx = 3, n = w) or columns, edges clamped. */
static void
box3(unsigned char *p, int n, size_t step, unsigned char *tmp)
{
	for (int i = 0; i < n; i++)
		for (int c = 0; c < 3; c++)
			tmp[3 * i + c] = p[(size_t)i * step + c];
	for (int i = 0; i < n; i++) {
		int a = i > 0 ? i - 1 : 0, b = i < n - 1 ? i + 1 : n - 1;

		for (int c = 0; c < 3; c++)
			p[(size_t)i * step + c] = (unsigned char)((tmp[3 * a + c] + tmp[3 * i + c] +
			    tmp[3 * b + c] + 1) / 3);
	}
}

void
blur_small(struct img *im)
{
	unsigned char *tmp = malloc((size_t)(im->w > im->h ? im->w : im->h) * 3);

	if (tmp == NULL)
		abort();	/* a few hundred bytes: the machine is out of memory */
	for (int pass = 0; pass < BLUR_PASSES; pass++) {
		for (int y = 0; y < im->h; y++)
			box3(im->px + (size_t)y * im->w * 3, im->w, 3, tmp);
		for (int x = 0; x < im->w; x++)
			box3(im->px + (size_t)x * 3, im->h, (size_t)im->w * 3, tmp);
	}
	free(tmp);
}

/* --- JPEG ----------------------------------------------------------------------- */

struct jerr {
	struct jpeg_error_mgr	 pub;
	jmp_buf			 jb;
};

static void
on_jpeg_error(j_common_ptr c)
{
	longjmp(((struct jerr *)c->err)->jb, 1);
}

int
jpeg_rows(int w, int h, int quality, img_row_fn row, void *ctx, struct buf *out)
{
	struct jpeg_compress_struct c;
	struct jerr err;
	unsigned char *mem = NULL, *line;
	unsigned long size = 0;
	JSAMPROW rows[1];

	if ((line = malloc((size_t)w * 3)) == NULL)
		return -1;
	c.err = jpeg_std_error(&err.pub);
	err.pub.error_exit = on_jpeg_error;
	if (setjmp(err.jb)) {
		jpeg_destroy_compress(&c);
		free(mem);
		free(line);
		return -1;
	}
	jpeg_create_compress(&c);
	jpeg_mem_dest(&c, &mem, &size);
	c.image_width = (JDIMENSION)w;
	c.image_height = (JDIMENSION)h;
	c.input_components = 3;
	c.in_color_space = JCS_RGB;
	jpeg_set_defaults(&c);
	jpeg_set_quality(&c, quality, TRUE);
	jpeg_start_compress(&c, TRUE);
	rows[0] = line;
	for (int y = 0; y < h; y++) {
		row(ctx, y, line);
		jpeg_write_scanlines(&c, rows, 1);
	}
	jpeg_finish_compress(&c);
	jpeg_destroy_compress(&c);
	out->len = 0;
	buf_add(out, mem, size);
	free(mem);
	free(line);
	return 0;
}

static void
copy_row(void *ctx, int y, unsigned char *rgb)
{
	const struct img *im = ctx;

	memcpy(rgb, im->px + (size_t)y * im->w * 3, (size_t)im->w * 3);
}

int
img_jpeg(const struct img *im, int quality, struct buf *out)
{
	return jpeg_rows(im->w, im->h, quality, copy_row, (void *)im, out);
}

struct scaled {
	const struct img *src;
	int		 w, h;
};

/* Bilinear, pixel centres aligned: row y of src scaled to w x h. */
static void
scaled_row(void *ctx, int y, unsigned char *rgb)
{
	const struct scaled *s = ctx;
	const struct img *im = s->src;
	double fy = ((double)y + 0.5) * im->h / s->h - 0.5, ty;
	int y0, y1;

	if (fy < 0)
		fy = 0;
	y0 = (int)fy;
	y1 = y0 + 1 < im->h ? y0 + 1 : y0;
	ty = fy - y0;
	for (int x = 0; x < s->w; x++) {
		double fx = ((double)x + 0.5) * im->w / s->w - 0.5, tx;
		int x0, x1;

		if (fx < 0)
			fx = 0;
		x0 = (int)fx;
		x1 = x0 + 1 < im->w ? x0 + 1 : x0;
		tx = fx - x0;
		for (int c = 0; c < 3; c++) {
			const unsigned char *r0 = im->px + (size_t)y0 * im->w * 3;
			const unsigned char *r1 = im->px + (size_t)y1 * im->w * 3;
			double top = r0[3 * x0 + c] * (1 - tx) + r0[3 * x1 + c] * tx;
			double bot = r1[3 * x0 + c] * (1 - tx) + r1[3 * x1 + c] * tx;

			rgb[3 * x + c] = (unsigned char)(top * (1 - ty) + bot * ty + 0.5);
		}
	}
}

int
img_jpeg_scaled(const struct img *src, int w, int h, int quality, struct buf *out)
{
	struct scaled s = { src, w, h };

	return jpeg_rows(w, h, quality, scaled_row, &s, out);
}

/* --- one screenshot --------------------------------------------------------------- */

#define SHOT_QUALITY	80
#define THUMB_QUALITY	75

static int
capture_into(int sw, int sh, screen_feed_fn feed, void *ctx, struct img *im)
{
	struct shrink s;
	int rc;

	if (shrink_begin(&s, sw, sh, im) != 0)
		return -1;
	rc = feed(ctx, &s);
	if (rc == 0 && s.y != sh)
		rc = -1;	/* the screen gave fewer rows than it has */
	shrink_end(&s);
	return rc;
}

int
shot_make(int sw, int sh, int blur, screen_feed_fn feed, void *ctx, struct shot_out *o)
{
	struct img im = { 0 }, th = { 0 };
	int rc = -1;

	memset(o, 0, sizeof(*o));
	if (sw < 1 || sh < 1)
		return -1;
	img_fit(sw, sh, SHOT_MAX_WIDTH, &o->w, &o->h);
	img_fit(o->w, o->h, THUMB_WIDTH, &o->tw, &o->th);
	if (blur) {
		int bw, bh;

		blur_size(o->w, o->h, &bw, &bh);
		if (bw > sw)
			bw = sw;
		if (bh > sh)
			bh = sh;
		if (img_alloc(&im, bw, bh) != 0 || capture_into(sw, sh, feed, ctx, &im) != 0)
			goto out;
		blur_small(&im);
		if (img_jpeg_scaled(&im, o->w, o->h, SHOT_QUALITY, &o->image) != 0 ||
		    img_jpeg_scaled(&im, o->tw, o->th, THUMB_QUALITY, &o->thumb) != 0)
			goto out;
	} else {
		if (img_alloc(&im, o->w, o->h) != 0 || capture_into(sw, sh, feed, ctx, &im) != 0)
			goto out;
		if (img_jpeg(&im, SHOT_QUALITY, &o->image) != 0)
			goto out;
		if (img_shrink(&im, o->tw, o->th, &th) != 0 ||
		    img_jpeg(&th, THUMB_QUALITY, &o->thumb) != 0)
			goto out;
	}
	rc = 0;
out:
	/* The pixels go as soon as the JPEGs are made. */
	if (im.px)
		memset(im.px, 0, (size_t)im.w * im.h * 3);
	img_free(&im);
	img_free(&th);
	if (rc != 0)
		shot_out_free(o);
	return rc;
}

void
shot_out_free(struct shot_out *o)
{
	buf_free(&o->image);
	buf_free(&o->thumb);
}
