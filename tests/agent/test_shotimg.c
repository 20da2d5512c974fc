/* Screenshot pixels (agent/shotimg.c) on synthetic screens: the box
 * shrink averages exactly and counts every pixel once, at any ratio;
 * sizes fit 1920 and 320 wide; a 3840x2160 screen of fine stripes and
 * text-sized glyphs becomes a 1920x1080 JPEG and a 320x180 thumbnail,
 * both JPEGs libjpeg reads back; blurred, the fine detail (the measure of
 * tests/agent/jpegstat.h) drops below 1 % of the unblurred image's while
 * the average brightness stays, and two screens that differ only in their
 * "text" give blurred images closer to each other than JPEG noise. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "jpegstat.h"
#include "shotimg.h"
#include "tap.h"

struct screen {
	int	 w, h, variant, rows_fed;
};

/* A screen: a light page with dark 2-pixel strokes in 12x16 cells (the
 * size of text), the strokes' pattern depending on the cell and variant,
 * and a blue bar on top. */
static int
feed(void *ctx, struct shrink *s)
{
	struct screen *sc = ctx;
	unsigned char *row = malloc((size_t)sc->w * 3);

	for (int y = 0; y < sc->h; y++) {
		for (int x = 0; x < sc->w; x++) {
			unsigned char *p = row + 3 * x;
			int cx = x / 12, cy = y / 16, ix = x % 12, iy = y % 16;
			unsigned h = (unsigned)(cx * 31 + cy * 17 + sc->variant * 7);
			int ink = (h % 3 != 0) && ((ix < 2 && (h & 4)) || (iy < 2 && (h & 8)) ||
			    (ix == iy && (h & 16)) || (iy >= 8 && iy < 10 && (h & 32)));

			if (y < sc->h / 10) {
				p[0] = 40; p[1] = 60; p[2] = 200;
			} else {
				p[0] = p[1] = p[2] = ink ? 20 : 235;
			}
		}
		shrink_row(s, row);
		sc->rows_fed++;
	}
	free(row);
	return 0;
}

static double
hf_of(const struct buf *b, int *w, int *h, double *mean)
{
	struct grey g;
	double hf;

	if (grey_decode((const unsigned char *)b->p, b->len, &g) != 0)
		return -1;
	*w = g.w;
	*h = g.h;
	hf = grey_hf(&g);
	if (mean)
		*mean = grey_mean(&g);
	free(g.px);
	return hf;
}

/* Mean absolute difference of two decoded JPEGs of the same size. */
static double
diff_of(const struct buf *a, const struct buf *b)
{
	struct grey ga, gb;
	double sum = 0;

	if (grey_decode((const unsigned char *)a->p, a->len, &ga) != 0)
		return -1;
	if (grey_decode((const unsigned char *)b->p, b->len, &gb) != 0 || ga.w != gb.w ||
	    ga.h != gb.h) {
		free(ga.px);
		return -1;
	}
	for (size_t i = 0; i < (size_t)ga.w * ga.h; i++)
		sum += abs(ga.px[i] - gb.px[i]);
	free(ga.px);
	free(gb.px);
	return sum / ((double)ga.w * ga.h);
}

int
main(void)
{
	struct img src, out;
	int w, h, ok1 = 1;

	/* 4x4 -> 2x2: each output pixel the mean of its 2x2 box. */
	img_alloc(&src, 4, 4);
	for (int i = 0; i < 16; i++)
		src.px[3 * i] = src.px[3 * i + 1] = src.px[3 * i + 2] = (unsigned char)(i * 10);
	img_shrink(&src, 2, 2, &out);
	is_int(out.px[0], (0 + 10 + 40 + 50) / 4, "box shrink 4x4 to 2x2: top left is the mean of its box");
	is_int(out.px[3 * 3], (100 + 110 + 140 + 150) / 4, "... bottom right too");
	img_free(&out);
	img_free(&src);

	/* 7x5 -> 3x2 of a ramp: every source pixel counted once (the
	 * weighted mean of the output equals the source's). */
	img_alloc(&src, 7, 5);
	for (int i = 0; i < 35; i++)
		for (int c = 0; c < 3; c++)
			src.px[3 * i + c] = (unsigned char)(i * 7);
	img_shrink(&src, 3, 2, &out);
	{
		/* Columns [0,2) [2,4) [4,7); rows [0,2) [2,5). */
		int want = (0 + 1 + 7 + 8) * 7 / 4;

		is_int(out.px[0], want, "7x5 to 3x2: uneven boxes, the first is columns 0-1 of rows 0-1");
		want = ((18 + 19 + 20) + (25 + 26 + 27) + (32 + 33 + 34)) * 7 / 9;
		ok(abs(out.px[3 * 5] - want) <= 1, "... the last is columns 4-6 of rows 2-4 (%d, %d)",
		    out.px[15], want);
	}
	img_free(&out);
	img_free(&src);

	img_fit(3840, 2160, SHOT_MAX_WIDTH, &w, &h);
	ok(w == 1920 && h == 1080, "3840x2160 is sent at 1920x1080");
	img_fit(1024, 768, SHOT_MAX_WIDTH, &w, &h);
	ok(w == 1024 && h == 768, "1024x768 as it is");
	img_fit(5000, 3, SHOT_MAX_WIDTH, &w, &h);
	ok(w == 1920 && h == 1, "5000x3: 1920 wide and at least a pixel tall (%dx%d)", w, h);
	img_fit(1920, 1080, THUMB_WIDTH, &w, &h);
	ok(w == 320 && h == 180, "the thumbnail of 1920x1080: 320x180");

	{
		struct screen a = { 3840, 2160, 0, 0 }, b = { 3840, 2160, 1, 0 };
		struct shot_out plain, blur, blur2;
		double hp, hb, mp, mb, d_text, d_noise;
		int pw, ph, bw, bh, tw, th;

		ok(shot_make(a.w, a.h, 0, feed, &a, &plain) == 0, "a 3840x2160 screen, unblurred");
		is_int(a.rows_fed, 2160, "... fed a row at a time, every row");
		ok(plain.image.len > 2 && (unsigned char)plain.image.p[0] == 0xff &&
		    (unsigned char)plain.image.p[1] == 0xd8, "... a JPEG (%zu bytes)", plain.image.len);
		hp = hf_of(&plain.image, &pw, &ph, &mp);
		ok(pw == 1920 && ph == 1080, "... 1920x1080 when read back (%dx%d)", pw, ph);
		hf_of(&plain.thumb, &tw, &th, NULL);
		ok(tw == 320 && th == 180, "... its thumbnail 320x180 (%dx%d, %zu bytes)", tw, th,
		    plain.thumb.len);

		a.rows_fed = 0;
		ok(shot_make(a.w, a.h, 1, feed, &a, &blur) == 0, "the same screen, blurred");
		hb = hf_of(&blur.image, &bw, &bh, &mb);
		ok(bw == 1920 && bh == 1080, "... sent at the same size (%dx%d, %zu bytes)", bw, bh,
		    blur.image.len);
		ok(hp > 1000, "the unblurred image is full of fine detail (Laplacian energy %.0f)", hp);
		ok(hb < hp / 100, "blurred, less than 1 %% of it is left (%.2f, %.4f %%)", hb,
		    100 * hb / hp);
		ok(mb > mp - 8 && mb < mp + 8, "... the average brightness stays (%.1f, %.1f): "
		    "a blur, not a blank", mp, mb);
		hf_of(&blur.thumb, &tw, &th, NULL);
		ok(tw == 320 && th == 180, "... its thumbnail 320x180 too");

		/* Other "text" on the same page: blurred, the two are nearly the
		 * same image; unblurred they are far apart. */
		ok(shot_make(b.w, b.h, 1, feed, &b, &blur2) == 0, "a screen with other text, blurred");
		d_text = diff_of(&blur.image, &blur2.image);
		{
			struct shot_out p2;

			shot_make(b.w, b.h, 0, feed, &b, &p2);
			d_noise = diff_of(&plain.image, &p2.image);
			shot_out_free(&p2);
		}
		ok(d_noise > 20, "unblurred, other text changes the image a lot (%.1f levels a pixel)",
		    d_noise);
		ok(d_text < 3, "blurred, it hardly does (%.2f levels): the text is not in the image",
		    d_text);
		shot_out_free(&plain);
		shot_out_free(&blur);
		shot_out_free(&blur2);
	}

	/* A screen narrower than the thumbnail, and one a pixel tall. */
	{
		struct screen s = { 200, 1, 0, 0 };
		struct shot_out o;

		ok1 = shot_make(200, 1, 1, feed, &s, &o) == 0 && o.w == 200 && o.h == 1 &&
		    o.tw == 200 && o.th == 1;
		ok(ok1, "a 200x1 screen, blurred: 200x1 with a 200x1 thumbnail");
		shot_out_free(&o);
	}
	return done_testing();
}
