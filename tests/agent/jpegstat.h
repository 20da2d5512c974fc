/* For the screenshot tests: a JPEG decoded to grey (libjpeg), and how much
 * of its signal is fine detail.
 *
 * The measure is the mean squared 4-neighbour Laplacian of the grey
 * image: it answers to changes over one or two pixels (the strokes and
 * edges of letters) and hardly at all to the broad shapes a blur keeps
 * (windows, colours).  A blur that leaves text unreadable removes nearly
 * all of it; a blur too weak to do so leaves a good part. */
#ifndef WT_JPEGSTAT_H
#define WT_JPEGSTAT_H

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>

#include <jpeglib.h>

struct grey {
	int		 w, h;
	unsigned char	*px;
};

struct js_err {
	struct jpeg_error_mgr	 pub;
	jmp_buf			 jb;
};

static void
js_on_error(j_common_ptr c)
{
	longjmp(((struct js_err *)c->err)->jb, 1);
}

/* 0, or -1 if data is not a JPEG libjpeg reads. */
static int
grey_decode(const unsigned char *data, size_t len, struct grey *g)
{
	struct jpeg_decompress_struct d;
	struct js_err err;

	g->px = NULL;
	d.err = jpeg_std_error(&err.pub);
	err.pub.error_exit = js_on_error;
	if (setjmp(err.jb)) {
		jpeg_destroy_decompress(&d);
		free(g->px);
		g->px = NULL;
		return -1;
	}
	jpeg_create_decompress(&d);
	jpeg_mem_src(&d, data, (unsigned long)len);
	jpeg_read_header(&d, TRUE);
	d.out_color_space = JCS_GRAYSCALE;
	jpeg_start_decompress(&d);
	g->w = (int)d.output_width;
	g->h = (int)d.output_height;
	g->px = malloc((size_t)g->w * g->h);
	while (d.output_scanline < d.output_height) {
		JSAMPROW row = g->px + (size_t)d.output_scanline * g->w;

		jpeg_read_scanlines(&d, &row, 1);
	}
	jpeg_finish_decompress(&d);
	jpeg_destroy_decompress(&d);
	return 0;
}

static double
grey_hf(const struct grey *g)
{
	double sum = 0;
	long n = 0;

	for (int y = 1; y < g->h - 1; y++)
		for (int x = 1; x < g->w - 1; x++) {
			const unsigned char *p = g->px + (size_t)y * g->w + x;
			double l = 4.0 * p[0] - p[-1] - p[1] - p[-g->w] - p[g->w];

			sum += l * l;
			n++;
		}
	return n ? sum / n : 0;
}

static double
grey_mean(const struct grey *g)
{
	double sum = 0;

	for (size_t i = 0; i < (size_t)g->w * g->h; i++)
		sum += g->px[i];
	return g->w && g->h ? sum / ((double)g->w * g->h) : 0;
}

#endif
