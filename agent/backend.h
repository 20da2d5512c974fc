/* A window system, as the agent sees it: which application and window
 * are in front, and how long since the last input.  X11 is the one there
 * is (x11.c); Wayland, Windows and macOS come behind this same interface. */
#ifndef WA_BACKEND_H
#define WA_BACKEND_H

#include <stdint.h>

struct sample {
	const char	*app;		/* the application (WM_CLASS's class) */
	const char	*title;		/* the window's title, UTF-8 */
	int64_t		 idle_ms;	/* since the last keyboard or mouse input */
	int		 locked;	/* the screen saver is on (blanked or locked) */
};

struct shrink;

struct backend {
	const char	*name;
	/* Connects; NULL (and a reason in why) when the window system is not
	 * there, which the agent tries again a little later. */
	void		*(*open)(char *why, int whysz);
	/* Reads one sample; its strings live until the next call.  -1 when
	 * the connection is lost: the agent closes it and opens again. */
	int		 (*poll)(void *, struct sample *);
	void		 (*close)(void *);
	/* The screen's size in pixels; 0 or -1. */
	int		 (*screen_size)(void *, int *w, int *h);
	/* Reads the whole screen into the shrink (shotimg.h), top to bottom,
	 * a band of rows at a time; 0 or -1. */
	int		 (*capture)(void *, struct shrink *);
};

extern const struct backend x11_backend;

#endif
