/* Elapsed time for budgets: a clock that neither NTP nor an admin can
 * step backwards. */
#ifndef WT_CLOCK_H
#define WT_CLOCK_H

/* Milliseconds (with their fraction) since some fixed moment. */
double		 clock_mono_ms(void);

#endif
