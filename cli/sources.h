/* The sources kmrep reads, by the names used in config sections, the
 * database and --source lists. */
#ifndef KMREP_CLI_SOURCES_H
#define KMREP_CLI_SOURCES_H

#include <stdbool.h>
#include <stddef.h>

enum source { SOURCE_HEIMAO = 0, SOURCE_ICP, SOURCE_SITE, N_SOURCES };

extern const char *const source_names[N_SOURCES];

/* Parses "heimao,icp" into a set; returns -1 with err on an unknown name. */
int sources_parse(const char *list, bool set[N_SOURCES], char *err);

#endif
