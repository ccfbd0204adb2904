/* What every command shares: the parsed global options, the configuration
 * and the database, opened on first use. */
#ifndef KMREP_CLI_H
#define KMREP_CLI_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"

/* Exit statuses (SPEC §2), the same for every command. */
enum exit_status {
	EXIT_DONE = 0,
	EXIT_PARTIAL = 1, /* at least one source or page failed; the rest is stored */
	EXIT_USAGE = 2,
	EXIT_INTERNAL = 3, /* database or internal error; nothing half-written */
	EXIT_LOCKED = 4,   /* another refresh holds the lock */
	EXIT_THRESHOLD = 10, /* check --fail-on: verdict at or past the threshold */
	EXIT_INTERRUPTED = 130, /* Ctrl-C (SIGINT): stopped, what was done is stored */
};

struct store;

struct cli {
	struct config cfg;   /* read-only after startup */
	char *db_path;
	char *config_path;
	bool config_explicit; /* --config or $KMREP_CONFIG: a missing file is an error */
	int64_t now;          /* KMREP_NOW or the clock, fixed for the whole run */
	struct store *store;  /* NULL until cli_store() or cli_store_read() */
	bool store_readonly;  /* store was opened by cli_store_read() */
	bool lang_en;         /* --lang en: the html format in English (default zh) */
};

/* Opens the database (creating its directory) on first use.  Returns NULL
 * after printing the reason. */
struct store *cli_store(struct cli *cli);
/* The same for commands that only read (list, report, complaints, check of
 * a known platform): an existing database that this process cannot write
 * (file or directory) is opened read-only, so they work in a read-only
 * directory; a later cli_store() reopens it for writing. */
struct store *cli_store_read(struct cli *cli);

/* Prints "kmrep: MSG" and "Try 'kmrep --help'." (SPEC §2) to stderr;
 * returns EXIT_USAGE. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Runs a refresh of platforms ids[0..n) from the selected sources (by
 * registry position), prints the lock holder or the summary line (when
 * summary), records each platform's score for the trend history, and
 * returns the exit status. */
int cli_refresh(struct cli *cli, const int64_t *ids, size_t n, const bool *sources, bool full,
		bool summary);

/* Lists a command's --help takes from the registry of sources. */
enum { CLI_LIST_SOURCES = 1, CLI_LIST_PINS = 2 };

/* One entry per command; each lives in cli/cmd_NAME.c. */
struct command {
	const char *name;
	int (*run)(struct cli *cli, int argc, char **argv);
	const char *synopsis; /* after "kmrep NAME " */
	const char *summary;
	const char *help;     /* the options, shown by `kmrep NAME --help` */
	unsigned lists;       /* what --help lists from the registry (CLI_LIST_*) */
	unsigned formats;     /* the render_view whose renderers --format takes
			       * (report/render.h), listed after help; 0 none */
};

extern const struct command cmd_add, cmd_list, cmd_remove, cmd_rename, cmd_refresh, cmd_check,
	cmd_report, cmd_complaints, cmd_import, cmd_reparse, cmd_discover;

/* Prints a command's --help text to stdout; returns EXIT_DONE. */
int cli_command_help(const struct command *cmd);

#endif
