/* User-Agent strings in words.  Only the families a person recognises
 * are named; the order of the tests matters, since every Chromium-based
 * browser also says "Chrome" and "Safari", and Chrome also says
 * "Safari". */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "useragent.h"

struct family {
	const char	*needle;
	const char	*name;
};

static const struct family browsers[] = {
	{ "Edg/", "Edge" }, { "EdgA/", "Edge" }, { "EdgiOS/", "Edge" },
	{ "OPR/", "Opera" }, { "Opera", "Opera" },
	{ "SamsungBrowser/", "Samsung Internet" }, { "Vivaldi/", "Vivaldi" },
	{ "Firefox/", "Firefox" }, { "FxiOS/", "Firefox" },
	{ "Chromium/", "Chromium" }, { "CriOS/", "Chrome" }, { "Chrome/", "Chrome" },
	{ "Version/", "Safari" },	/* with "Safari/": Safari's own */
	{ "curl/", "curl" }, { "Wget/", "Wget" }, { "python-requests/", "Python" },
	{ "worktime-agent", "Worktime agent" },
	{ NULL, NULL }
};

static const struct family systems[] = {
	{ "Android", "Android" }, { "iPhone", "iOS" }, { "iPad", "iPadOS" },
	{ "CrOS", "ChromeOS" }, { "Windows", "Windows" }, { "Macintosh", "macOS" },
	{ "Mac OS X", "macOS" }, { "Linux", "Linux" }, { "FreeBSD", "FreeBSD" },
	{ "OpenBSD", "OpenBSD" },
	{ NULL, NULL }
};

static const char *
find(const struct family *f, const char *ua)
{
	for (; f->needle != NULL; f++)
		if (strstr(ua, f->needle) != NULL)
			return f->name;
	return NULL;
}

void
ua_describe(const char *ua, char *out, size_t n)
{
	const char *browser, *system;

	if (n == 0)
		return;
	if (ua == NULL || *ua == '\0') {
		snprintf(out, n, "Unknown browser");
		return;
	}
	browser = find(browsers, ua);
	if (browser != NULL && strcmp(browser, "Safari") == 0 && strstr(ua, "Safari/") == NULL)
		browser = NULL;
	system = find(systems, ua);
	if (browser != NULL && system != NULL)
		snprintf(out, n, "%s on %s", browser, system);
	else if (browser != NULL)
		snprintf(out, n, "%s", browser);
	else if (system != NULL)
		snprintf(out, n, "A browser on %s", system);
	else
		snprintf(out, n, "Unknown browser");
}
