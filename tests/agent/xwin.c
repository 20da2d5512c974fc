/* Test helper for the agent suite: makes windows with known titles and
 * classes on the X server in $DISPLAY (Xvfb, no window manager) and plays
 * a script read from stdin, one command a line:
 *
 *   new ID CLASS TITLE...     a mapped window; title in _NET_WM_NAME (UTF-8)
 *                             and WM_NAME
 *   legacy ID CLASS TITLE...  the same with only WM_NAME, as Latin-1 STRING
 *                             (the title must be Latin-1-encodable)
 *   title ID TITLE...         changes a window's title
 *   activate ID               sets _NET_ACTIVE_WINDOW on the root window
 *   none                      removes _NET_ACTIVE_WINDOW
 *   sleep MS                  waits
 *   mark NAME                 prints NAME and the time, nothing else
 *   wait FILE                 waits until FILE exists (the test's go-ahead)
 *   text ID SCALE WORDS...    a window over the whole screen, white, with
 *                             WORDS in black, several to a line, in the
 *                             server's built-in "fixed" font magnified SCALE
 *                             times (a screenshot's known text; Xvfb has no
 *                             other fonts here)
 *   saver on|off              turns the screen saver on (as a locker does) or off
 *
 * For every command that changes what is in front it prints
 * "<wall ms> <command line>" on stdout, flushed, taken right after the X
 * server has the change (XSync), so the test knows when things happened. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <X11/Xatom.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>

#define MAXWIN 64

static Display *dpy;
static Window wins[MAXWIN];
static Atom net_active, net_wm_name, utf8;

static long long
now_ms(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (long long)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

static void
set_title(Window w, const char *title, int legacy)
{
	if (!legacy)
		XChangeProperty(dpy, w, net_wm_name, utf8, 8, PropModeReplace,
		    (const unsigned char *)title, (int)strlen(title));
	else {
		/* UTF-8 in, Latin-1 STRING out (the test keeps to Latin-1). */
		unsigned char out[1024];
		size_t n = 0;

		for (const unsigned char *p = (const unsigned char *)title; *p && n < sizeof(out); p++) {
			if (*p < 0x80)
				out[n++] = *p;
			else if ((*p & 0xe0) == 0xc0 && p[1]) {
				out[n++] = (unsigned char)(((*p & 0x1f) << 6) | (p[1] & 0x3f));
				p++;
			}
		}
		XChangeProperty(dpy, w, XA_WM_NAME, XA_STRING, 8, PropModeReplace, out, (int)n);
		return;
	}
	XStoreName(dpy, w, title);
}

/* The words drawn with "fixed" into a pixmap, read back and painted
 * SCALE times larger as the window's background, which the X server then
 * keeps on screen by itself (no Expose handling). */
static Window
text_window(Window root, int scale, const char *words)
{
	int sw = DisplayWidth(dpy, DefaultScreen(dpy)), sh = DisplayHeight(dpy, DefaultScreen(dpy));
	int depth = DefaultDepth(dpy, DefaultScreen(dpy));
	unsigned long black = BlackPixel(dpy, DefaultScreen(dpy));
	unsigned long white = WhitePixel(dpy, DefaultScreen(dpy));
	XFontStruct *f = XLoadQueryFont(dpy, "fixed");
	int cw, ch, cols, line = 0, x = 0, lw;
	Pixmap small, big;
	GC gc;
	XImage *im;
	Window w;
	char buf[2048];

	if (f == NULL) {
		fprintf(stderr, "xwin: no font \"fixed\"\n");
		exit(2);
	}
	cw = f->max_bounds.width;
	ch = f->ascent + f->descent;
	cols = (sw / scale - 8) / cw;
	small = XCreatePixmap(dpy, root, (unsigned)(sw / scale), (unsigned)(sh / scale),
	    (unsigned)depth);
	gc = XCreateGC(dpy, small, 0, NULL);
	XSetFont(dpy, gc, f->fid);
	XSetForeground(dpy, gc, white);
	XFillRectangle(dpy, small, gc, 0, 0, (unsigned)(sw / scale), (unsigned)(sh / scale));
	XSetForeground(dpy, gc, black);
	snprintf(buf, sizeof(buf), "%s", words);
	/* Word by word, wrapped, a blank line between lines of text. */
	for (char *save = NULL, *wd = strtok_r(buf, " ", &save); wd; wd = strtok_r(NULL, " ", &save)) {
		lw = (int)strlen(wd);
		if (x > 0 && x + 1 + lw > cols) {
			x = 0;
			line++;
		}
		if (x > 0)
			x++;
		XDrawString(dpy, small, gc, 4 + x * cw, 4 + f->ascent + line * ch * 2, wd, lw);
		x += lw;
	}
	im = XGetImage(dpy, small, 0, 0, (unsigned)(sw / scale), (unsigned)(sh / scale), AllPlanes,
	    ZPixmap);
	big = XCreatePixmap(dpy, root, (unsigned)sw, (unsigned)sh, (unsigned)depth);
	XSetForeground(dpy, gc, white);
	XFillRectangle(dpy, big, gc, 0, 0, (unsigned)sw, (unsigned)sh);
	XSetForeground(dpy, gc, black);
	for (int y = 0; y < sh / scale; y++)
		for (int i = 0; i < sw / scale; i++)
			if (XGetPixel(im, i, y) == black)
				XFillRectangle(dpy, big, gc, i * scale, y * scale, (unsigned)scale,
				    (unsigned)scale);
	XDestroyImage(im);
	w = XCreateSimpleWindow(dpy, root, 0, 0, (unsigned)sw, (unsigned)sh, 0, black, white);
	XSetWindowBackgroundPixmap(dpy, w, big);
	XFreePixmap(dpy, big);
	XFreePixmap(dpy, small);
	XFreeGC(dpy, gc);
	XFreeFont(dpy, f);
	return w;
}

static int
win_id(const char *s)
{
	int id = atoi(s);

	if (id < 0 || id >= MAXWIN) {
		fprintf(stderr, "xwin: window id %s out of range\n", s);
		exit(2);
	}
	return id;
}

int
main(void)
{
	char line[2048];
	Window root;

	if ((dpy = XOpenDisplay(NULL)) == NULL) {
		fprintf(stderr, "xwin: cannot open display\n");
		return 1;
	}
	root = DefaultRootWindow(dpy);
	net_active = XInternAtom(dpy, "_NET_ACTIVE_WINDOW", False);
	net_wm_name = XInternAtom(dpy, "_NET_WM_NAME", False);
	utf8 = XInternAtom(dpy, "UTF8_STRING", False);
	while (fgets(line, sizeof(line), stdin) != NULL) {
		char cmd[32] = "", a[256] = "", b[256] = "";
		int off = 0;

		line[strcspn(line, "\n")] = '\0';
		if (sscanf(line, "%31s %n", cmd, &off) < 1 || cmd[0] == '#')
			continue;
		if (strcmp(cmd, "new") == 0 || strcmp(cmd, "legacy") == 0) {
			int o2 = 0, id;
			XClassHint ch;
			char inst[256];

			if (sscanf(line + off, "%255s %255s %n", a, b, &o2) < 2) {
				fprintf(stderr, "xwin: %s ID CLASS TITLE\n", cmd);
				return 2;
			}
			id = win_id(a);
			wins[id] = XCreateSimpleWindow(dpy, root, 10 * id, 10 * id, 200, 100, 0, 0, 0);
			snprintf(inst, sizeof(inst), "%s", b);
			for (char *p = inst; *p; p++)
				*p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
			ch.res_name = inst;
			ch.res_class = b;
			XSetClassHint(dpy, wins[id], &ch);
			set_title(wins[id], line + off + o2, strcmp(cmd, "legacy") == 0);
			XMapWindow(dpy, wins[id]);
			XSync(dpy, False);
		} else if (strcmp(cmd, "text") == 0) {
			int o2 = 0, id;
			XClassHint ch = { "text", "Text" };

			if (sscanf(line + off, "%255s %255s %n", a, b, &o2) < 2 || atoi(b) < 1) {
				fprintf(stderr, "xwin: text ID SCALE WORDS\n");
				return 2;
			}
			id = win_id(a);
			wins[id] = text_window(root, atoi(b), line + off + o2);
			XSetClassHint(dpy, wins[id], &ch);
			set_title(wins[id], "Known text", 0);
			XMapRaised(dpy, wins[id]);
			XSync(dpy, False);
			printf("%lld %s\n", now_ms(), line);
		} else if (strcmp(cmd, "saver") == 0) {
			XForceScreenSaver(dpy, strcmp(line + off, "on") == 0 ? ScreenSaverActive :
			    ScreenSaverReset);
			XSync(dpy, False);
			printf("%lld %s\n", now_ms(), line);
		} else if (strcmp(cmd, "title") == 0) {
			int o2 = 0;

			if (sscanf(line + off, "%255s %n", a, &o2) < 1)
				return 2;
			set_title(wins[win_id(a)], line + off + o2, 0);
			XSync(dpy, False);
			printf("%lld %s\n", now_ms(), line);
		} else if (strcmp(cmd, "activate") == 0) {
			Window w = wins[win_id(line + off)];

			XChangeProperty(dpy, root, net_active, XA_WINDOW, 32, PropModeReplace,
			    (unsigned char *)&w, 1);
			XSync(dpy, False);
			printf("%lld %s\n", now_ms(), line);
		} else if (strcmp(cmd, "none") == 0) {
			XDeleteProperty(dpy, root, net_active);
			XSync(dpy, False);
			printf("%lld %s\n", now_ms(), line);
		} else if (strcmp(cmd, "sleep") == 0) {
			long ms = atol(line + off);
			struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

			nanosleep(&ts, NULL);
		} else if (strcmp(cmd, "mark") == 0) {
			printf("%lld %s\n", now_ms(), line);
		} else if (strcmp(cmd, "wait") == 0) {
			while (access(line + off, F_OK) != 0) {
				struct timespec ts = { 0, 50 * 1000000L };

				nanosleep(&ts, NULL);
			}
		} else {
			fprintf(stderr, "xwin: unknown command %s\n", cmd);
			return 2;
		}
		fflush(stdout);
	}
	XCloseDisplay(dpy);
	return 0;
}
