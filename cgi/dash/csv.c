/* CSV cells (csv.h). */
#include "config.h"

#include <string.h>

#include "buf.h"
#include "csv.h"
#include "stream.h"

void
csv_cell(struct wt_buf *b, const char *v)
{
	/* Quoted also when it holds ; or a tab: a spreadsheet set to split
	 * on those would otherwise start a new cell, unguarded, inside it
	 * ("x;=HYPERLINK(...)"). */
	int quote = strpbrk(v, ",;\"\t\r\n") != NULL;

	buf_puts(b, ",");
	if (quote)
		buf_puts(b, "\"");
	if (strchr("=+-@\t\r", v[0]) != NULL && v[0] != '\0')
		buf_puts(b, "'");
	for (const char *p = v; *p; p++) {
		const char *q = strchr(p, '"');

		if (q == NULL) {
			buf_puts(b, p);
			break;
		}
		buf_append(b, p, (size_t)(q - p));
		buf_puts(b, "\"\"");
		p = q;
	}
	if (quote)
		buf_puts(b, "\"");
}

void
csv_stream_cell(struct wt_stream *s, const char *v)
{
	struct wt_buf b;

	buf_init(&b);
	csv_cell(&b, v);
	stream_write(s, b.data, b.len);
	buf_free(&b);
}
