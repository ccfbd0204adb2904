/* SIGINT and SIGTERM ask a long run (refresh, import, reparse) to stop: no
 * request starts after the signal and the one in flight is dropped whole; a
 * second signal exits at once (status 128 + signal).  The flag is the one
 * global besides the configuration. */
#ifndef KMREP_INTERRUPT_H
#define KMREP_INTERRUPT_H

#include <stdbool.h>

/* Installs the handlers that set the flag. */
void interrupt_install(void);

/* True once SIGINT or SIGTERM arrived. */
bool interrupt_requested(void);

/* The signal that arrived first (SIGINT, SIGTERM), or 0. */
int interrupt_signal(void);

#endif
