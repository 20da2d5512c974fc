/* User-Agent strings in words, from the browsers people use. */
#include "config.h"

#include <string.h>

#include "useragent.h"
#include "tap.h"

static void
says(const char *ua, const char *want)
{
	char out[64];

	ua_describe(ua, out, sizeof(out));
	is_str(out, want, want);
}

int
main(void)
{
	char tiny[4];

	says("Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
	    "Firefox on Linux");
	says("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
	    "Chrome/126.0.0.0 Safari/537.36", "Chrome on Windows");
	says("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
	    "Chrome/126.0.0.0 Safari/537.36 Edg/126.0.2592.87", "Edge on Windows");
	says("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like "
	    "Gecko) Version/17.5 Safari/605.1.15", "Safari on macOS");
	says("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, "
	    "like Gecko) Version/17.5 Mobile/15E148 Safari/604.1", "Safari on iOS");
	says("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
	    "Chrome/126.0.6478.122 Mobile Safari/537.36", "Chrome on Android");
	says("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
	    "Chrome/126.0.0.0 Safari/537.36 OPR/111.0.0.0", "Opera on Linux");
	says("Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) "
	    "Chrome/126.0.0.0 Safari/537.36", "Chrome on ChromeOS");
	says("curl/7.88.1", "curl");
	says("Mozilla/5.0 (X11; Linux x86_64) something new", "A browser on Linux");
	says("", "Unknown browser");
	says(NULL, "Unknown browser");
	says("\xe6\xbc\xa2\xe5\xad\x97", "Unknown browser");
	ua_describe("Firefox/1 Linux", tiny, sizeof(tiny));
	is_str(tiny, "Fir", "a short buffer is cut, never overrun");
	return done_testing();
}
