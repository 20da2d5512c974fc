/* CSV cells for the exports (export.c, hours.c). */
#ifndef WT_DASH_CSV_H
#define WT_DASH_CSV_H

struct wt_stream;

/* Writes ",v": quoted when v holds a comma, semicolon, tab, quote or
 * line break, and
 * with a leading ' when a spreadsheet would run it as a formula
 * (starting with = + - @, tab or CR). */
void	csv_cell(struct wt_stream *, const char *v);

#endif
