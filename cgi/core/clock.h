/* The clocks: elapsed time for budgets (one that neither NTP nor an
 * admin can step backwards), and the wall clock. */
#ifndef WT_CLOCK_H
#define WT_CLOCK_H

/* Milliseconds (with their fraction) since some fixed moment. */
double		 clock_mono_ms(void);
/* Now on the wall clock: microseconds since 1970 UTC (what agents'
 * timestamps are checked against). */
long long	 clock_real_us(void);

#endif
