#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "interrupt.h"

/* The one global besides the configuration: set from the signal handler to
 * the signal that arrived first. */
static volatile sig_atomic_t interrupted;

static void
on_signal(int sig)
{
	if (interrupted) {
		/* The second one: the user does not want to wait for the
		 * clean-up.  SQLite's journal keeps the database whole. */
		static const char msg[] = "kmrep: interrupted again: exiting now\n";
		ssize_t ignored = write(STDERR_FILENO, msg, sizeof(msg) - 1);
		(void)ignored;
		_exit(128 + sig);
	}
	interrupted = sig;
}

bool
interrupt_requested(void)
{
	return interrupted != 0;
}

int
interrupt_signal(void)
{
	return interrupted;
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
