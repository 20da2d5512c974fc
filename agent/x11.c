/* The X11 backend: _NET_ACTIVE_WINDOW on the root window names the window
 * in front; its title is _NET_WM_NAME (UTF-8), else WM_NAME (Latin-1 or
 * compound text); the application is WM_CLASS's class; the idle time is
 * the XScreenSaver extension's.  Three round trips a poll while the same
 * window stays in front (its class is read once).
 *
 * Screenshots read the root window with XGetImage in bands of rows, each
 * converted to RGB and handed to the shrink at once, so the agent holds
 * one band of the screen (64 rows), never all of it. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <X11/Xatom.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/extensions/scrnsaver.h>

#include "backend.h"
#include "shotimg.h"
#include "util.h"

struct x11 {
	Display		*dpy;
	Window		 root;
	Atom		 net_active, net_wm_name, utf8;
	XScreenSaverInfo *ssi;
	Window		 cached;	/* the window whose class is in app */
	char		*app, *title;
	int		 lost;
};

/* A window can be destroyed between reading _NET_ACTIVE_WINDOW and
 * reading its properties: such errors mean "no such window", nothing
 * more, and must not end the program as Xlib's default handler would. */
static int x_error;

static int
on_error(Display *dpy, XErrorEvent *e)
{
	(void)dpy;
	x_error = e->error_code;
	return 0;
}

/* The X server went away.  Xlib's default handler would exit: this one
 * returns, and so does the exit handler below, which Xlib calls instead
 * of exit(); the poll that was running returns and the agent opens a new
 * connection later. */
static int
on_io_error(Display *dpy)
{
	(void)dpy;
	return 0;
}

static void
on_io_exit(Display *dpy, void *data)
{
	struct x11 *x = data;

	(void)dpy;
	x->lost = 1;
}

static void *
x11_open(char *why, int whysz)
{
	struct x11 *x;
	int ev, err;
	Display *dpy;
	const char *name = getenv("DISPLAY");

	if (name == NULL || name[0] == '\0') {
		snprintf(why, (size_t)whysz, "DISPLAY is not set");
		return NULL;
	}
	if ((dpy = XOpenDisplay(NULL)) == NULL) {
		snprintf(why, (size_t)whysz, "cannot open display %s", name);
		return NULL;
	}
	if (!XScreenSaverQueryExtension(dpy, &ev, &err)) {
		snprintf(why, (size_t)whysz, "display %s has no MIT-SCREEN-SAVER extension (idle "
		    "time)", name);
		XCloseDisplay(dpy);
		return NULL;
	}
	x = xcalloc(1, sizeof(*x));
	x->dpy = dpy;
	XSetErrorHandler(on_error);
	XSetIOErrorHandler(on_io_error);
	XSetIOErrorExitHandler(dpy, on_io_exit, x);
	x->root = DefaultRootWindow(dpy);
	x->net_active = XInternAtom(dpy, "_NET_ACTIVE_WINDOW", False);
	x->net_wm_name = XInternAtom(dpy, "_NET_WM_NAME", False);
	x->utf8 = XInternAtom(dpy, "UTF8_STRING", False);
	x->ssi = XScreenSaverAllocInfo();
	return x;
}

static Window
active_window(struct x11 *x)
{
	Atom type;
	int format;
	unsigned long n, after;
	unsigned char *data = NULL;
	Window w = None;

	if (XGetWindowProperty(x->dpy, x->root, x->net_active, 0, 1, False, XA_WINDOW, &type,
	    &format, &n, &after, &data) == Success && data != NULL && type == XA_WINDOW &&
	    format == 32 && n == 1)
		w = (Window)*(unsigned long *)data;
	if (data)
		XFree(data);
	return w;
}

/* Latin-1 to UTF-8 (WM_NAME of type STRING). */
static char *
latin1(const unsigned char *s, size_t n)
{
	struct buf b = { 0 };

	buf_add(&b, "", 0);
	for (size_t i = 0; i < n; i++) {
		char u[2];

		if (s[i] < 0x80)
			buf_add(&b, s + i, 1);
		else {
			u[0] = (char)(0xc0 | s[i] >> 6);
			u[1] = (char)(0x80 | (s[i] & 0x3f));
			buf_add(&b, u, 2);
		}
	}
	return b.p;
}

static char *
window_title(struct x11 *x, Window w)
{
	Atom type;
	int format;
	unsigned long n, after;
	unsigned char *data = NULL;
	XTextProperty tp;
	char *out = NULL;

	/* Up to 16 KiB of title (4096 32-bit units): the server keeps 1 KiB. */
	if (XGetWindowProperty(x->dpy, w, x->net_wm_name, 0, 4096, False, x->utf8, &type,
	    &format, &n, &after, &data) == Success && data != NULL && type == x->utf8 &&
	    format == 8) {
		out = utf8_clean((const char *)data, n);
		XFree(data);
		return out;
	}
	if (data)
		XFree(data);
	if (x->lost || !XGetWMName(x->dpy, w, &tp) || tp.value == NULL)
		return xstrdup("");
	if (tp.encoding == XA_STRING && tp.format == 8)
		out = latin1(tp.value, tp.nitems);
	else if (tp.encoding == x->utf8 && tp.format == 8)
		out = utf8_clean((const char *)tp.value, tp.nitems);
	else {
		char **list = NULL;
		int count = 0;

		/* Compound text and the like: Xlib converts. */
		if (Xutf8TextPropertyToTextList(x->dpy, &tp, &list, &count) >= Success &&
		    count > 0 && list != NULL)
			out = utf8_clean(list[0], strlen(list[0]));
		if (list)
			XFreeStringList(list);
	}
	XFree(tp.value);
	if (out == NULL) {
		out = xstrdup("");
	}
	return out;
}

static char *
window_app(struct x11 *x, Window w)
{
	XClassHint ch = { NULL, NULL };
	char *out = NULL;

	if (XGetClassHint(x->dpy, w, &ch)) {
		const char *name = ch.res_class && ch.res_class[0] ? ch.res_class : ch.res_name;

		if (name && name[0])
			out = utf8_clean(name, strlen(name));
	}
	if (ch.res_class)
		XFree(ch.res_class);
	if (ch.res_name)
		XFree(ch.res_name);
	return out ? out : xstrdup("unknown");
}

static int
x11_poll(void *p, struct sample *s)
{
	struct x11 *x = p;
	Window w;

	if (x->lost)
		return -1;
	x_error = 0;
	w = active_window(x);
	free(x->title);
	x->title = NULL;
	if (w != None) {
		if (w != x->cached || x->app == NULL) {
			free(x->app);
			x->app = window_app(x, w);
			x->cached = w;
		}
		x->title = window_title(x, w);
		/* _NET_ACTIVE_WINDOW names a window that is gone. */
		if (x_error == BadWindow) {
			free(x->title);
			x->title = NULL;
			w = None;
		}
	}
	if (w == None) {
		free(x->app);
		x->app = xstrdup("(no window)");
		x->title = xstrdup("");
		x->cached = None;
	}
	if (!XScreenSaverQueryInfo(x->dpy, x->root, x->ssi)) {
		x->ssi->idle = 0;
		x->ssi->state = ScreenSaverOff;
	}
	if (x->lost)
		return -1;
	s->app = x->app;
	s->title = x->title;
	s->idle_ms = (int64_t)x->ssi->idle;
	s->locked = x->ssi->state == ScreenSaverOn;
	return 0;
}

static void
x11_close(void *p)
{
	struct x11 *x = p;

	if (x == NULL)
		return;
	/* After an I/O error the connection is dead: Xlib still frees its
	 * memory here, and the exit handler keeps it from exiting. */
	XCloseDisplay(x->dpy);
	XFree(x->ssi);
	free(x->app);
	free(x->title);
	free(x);
}

static int
x11_screen_size(void *p, int *w, int *h)
{
	struct x11 *x = p;
	XWindowAttributes wa;

	if (x->lost || !XGetWindowAttributes(x->dpy, x->root, &wa) || x->lost)
		return -1;
	*w = wa.width;
	*h = wa.height;
	return 0;
}

/* The shift that brings a colour mask's top 8 bits down to 0..255. */
static int
mask_shift(unsigned long m)
{
	int top = 0;

	while (top < (int)(8 * sizeof(m)) && (m >> top) > 1)
		top++;
	return top - 7;	/* the mask's highest bit, minus 7 */
}

static unsigned char
channel(unsigned long px, unsigned long mask, int shift)
{
	unsigned long v = px & mask;

	return (unsigned char)(shift >= 0 ? v >> shift : v << -shift);
}

#define BAND_ROWS	64

static int
x11_capture(void *p, struct shrink *s)
{
	struct x11 *x = p;
	unsigned char *rgb = malloc((size_t)s->sw * 3);
	int rc = 0;

	if (rgb == NULL)
		return -1;
	for (int y0 = 0; y0 < s->sh && rc == 0; y0 += BAND_ROWS) {
		int rows = s->sh - y0 < BAND_ROWS ? s->sh - y0 : BAND_ROWS;
		XImage *im;
		int rs, gs, bs, fast;

		x_error = 0;
		im = XGetImage(x->dpy, x->root, 0, y0, (unsigned)s->sw, (unsigned)rows, AllPlanes,
		    ZPixmap);
		if (im == NULL || x->lost) {
			if (im)
				XDestroyImage(im);
			rc = -1;
			break;
		}
		rs = mask_shift(im->red_mask);
		gs = mask_shift(im->green_mask);
		bs = mask_shift(im->blue_mask);
		/* The usual 24-bit TrueColor in 32-bit pixels, read directly;
		 * anything else through XGetPixel. */
		fast = im->bits_per_pixel == 32 && im->byte_order == LSBFirst &&
		    im->red_mask == 0xff0000 && im->green_mask == 0xff00 && im->blue_mask == 0xff;
		for (int y = 0; y < rows; y++) {
			if (fast) {
				const unsigned char *src = (const unsigned char *)im->data +
				    (size_t)y * im->bytes_per_line;

				for (int i = 0; i < s->sw; i++) {
					rgb[3 * i] = src[4 * i + 2];
					rgb[3 * i + 1] = src[4 * i + 1];
					rgb[3 * i + 2] = src[4 * i];
				}
			} else
				for (int i = 0; i < s->sw; i++) {
					unsigned long px = XGetPixel(im, i, y);

					rgb[3 * i] = channel(px, im->red_mask, rs);
					rgb[3 * i + 1] = channel(px, im->green_mask, gs);
					rgb[3 * i + 2] = channel(px, im->blue_mask, bs);
				}
			shrink_row(s, rgb);
		}
		/* The band leaves memory before the next is read. */
		memset(im->data, 0, (size_t)im->bytes_per_line * (size_t)im->height);
		XDestroyImage(im);
	}
	memset(rgb, 0, (size_t)s->sw * 3);
	free(rgb);
	return rc;
}

const struct backend x11_backend = { "x11", x11_open, x11_poll, x11_close, x11_screen_size,
    x11_capture };
