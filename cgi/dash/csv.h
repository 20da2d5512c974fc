/* CSV cells for the exports (export.c, hours.c): one rule for every
 * cell a person's data goes into. */
#ifndef WT_DASH_CSV_H
#define WT_DASH_CSV_H

struct wt_buf;
struct wt_stream;

/* Appends ",v": quoted when v holds a comma, semicolon, tab, quote or
 * line break, and with a leading ' when a spreadsheet would run it as a
 * formula (starting with = + - @, tab or CR). */
void	csv_cell(struct wt_buf *, const char *v);
/* The same cell, written to a stream. */
void	csv_stream_cell(struct wt_stream *, const char *v);

#endif
