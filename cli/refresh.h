/* The refresh engine, shared by `refresh` and `check --refresh` / check of an
 * unknown platform. */
#ifndef KMREP_CLI_REFRESH_H
#define KMREP_CLI_REFRESH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli.h"
#include "sources.h"

/* Refreshes the platforms ids[0..n) from the selected sources and records
 * their scores.  summary: print the summary line.  Returns an exit status. */
int refresh_platforms(struct cli *cli, const int64_t *ids, size_t n,
		      const bool sources[N_SOURCES], bool full, bool summary);

#endif
