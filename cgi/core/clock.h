/* Elapsed time for budgets: a clock that neither NTP nor an admin can
 * step backwards. */
#ifndef WT_CLOCK_H
#define WT_CLOCK_H

long long	 clock_mono_ms(void);

#endif
