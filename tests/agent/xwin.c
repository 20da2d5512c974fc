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
