/* Saved responses -> store, without the network: what `import` (pages saved
 * from a browser) and `reparse` (the raw archive, after a parser fix) share.
 * Each body goes to its source's replay (source.h) through the registry. */
#ifndef KMREP_SYNC_REPLAY_H
#define KMREP_SYNC_REPLAY_H

#include "source.h"

/* Stores r's body as a page of the source named source.  Returns 0,
 * -ERR_PARSE (not recognised), -ERR_USAGE (a platform or domain is needed)
 * or -ERR_DB, with err. */
int sync_replay(const char *source, struct replay *r, char *err);

#endif
