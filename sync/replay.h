/* Saved responses -> store, without the network: what `import` (pages saved
 * from a browser) and `reparse` (the raw archive, after a parser fix) share.
 * Each function parses one body and writes its records in the caller's
 * transaction. */
#ifndef KMREP_SYNC_REPLAY_H
#define KMREP_SYNC_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sync.h"

/* A 黑猫 body: a complaint list (JSON or JSONP) stored for platform_id (0: the
 * platform its merchant is mapped to), or a detail page (HTML) applied to
 * its complaint.  only_platform keeps just the complaints against that
 * platform (a keyword search also finds complaints that merely mention it).
 * url (may be NULL) is where the body came from: a detail page that does not
 * name its complaint (a private one) is attached by the number in its URL.
 * Returns 0, or -1 with err (not a recognised page, or a database error:
 * *db_error tells which). */
int ingest_heimao(struct sync *s, int64_t platform_id, bool only_platform, const char *url,
		  const char *body, size_t len, int *db_error, char *err);

/* A MIIT queryByCondition answer: each record is stored as its domain's
 * filing.  An answer without records says "not filed" only for domain (NULL:
 * it is skipped).  Returns 0 or -1. */
int ingest_icp(struct sync *s, const char *domain, const char *body, size_t len, int *db_error,
	       char *err);

/* A home page of the platform's domain.  Returns 0 or -1. */
int ingest_site(struct sync *s, int64_t platform_id, const char *domain, const char *body,
		size_t len, const char *content_type, int *db_error, char *err);

#endif
