/* SIGINT and SIGTERM ask a long run (refresh, import, reparse) to stop after
 * the current page.  The flag is the one global besides the configuration. */
#ifndef KMREP_INTERRUPT_H
#define KMREP_INTERRUPT_H

#include <stdbool.h>

/* Installs the handlers that set the flag. */
void interrupt_install(void);

/* True once SIGINT or SIGTERM arrived. */
bool interrupt_requested(void);

#endif
