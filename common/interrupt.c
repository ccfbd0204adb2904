#include <signal.h>
#include <string.h>

#include "interrupt.h"

/* The one global besides the configuration: set from the signal handler. */
static volatile sig_atomic_t interrupted;

static void
on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

bool
interrupt_requested(void)
{
	return interrupted != 0;
}

void
interrupt_install(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}
