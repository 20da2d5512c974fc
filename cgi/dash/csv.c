/* CSV cells (csv.h). */
#include "config.h"

#include <string.h>

#include "csv.h"
#include "stream.h"

void
csv_cell(struct wt_stream *s, const char *v)
{
	/* Quoted also when it holds ; or a tab: a spreadsheet set to split
	 * on those would otherwise start a new cell, unguarded, inside it
	 * ("x;=HYPERLINK(...)"). */
	int quote = strpbrk(v, ",;\"\t\r\n") != NULL;

	stream_puts(s, ",");
	if (quote)
		stream_puts(s, "\"");
	if (strchr("=+-@\t\r", v[0]) != NULL && v[0] != '\0')
		stream_puts(s, "'");
	for (const char *p = v; *p; p++) {
		const char *q = strchr(p, '"');

		if (q == NULL) {
			stream_puts(s, p);
			break;
		}
		stream_write(s, p, (size_t)(q - p));
		stream_puts(s, "\"\"");
		p = q;
	}
	if (quote)
		stream_puts(s, "\"");
}
