/* Discover: what the complaint sites say about merchants nobody tracks yet.
 * Each selected complaint site is searched for the category's own words
 * ([discover] keywords) and its anonymous feed read, through the same HTTP
 * client, intervals, lock and failure rules as a refresh; a site whose
 * keyword hits name no merchant (聚投诉) has their details read too, within
 * [discover] max_details.  Every response is archived; no complaint is
 * stored (an untracked merchant is no platform's).  Which of the merchants
 * look like card platforms is report/discover.c's rule. */
#ifndef KMREP_SYNC_DISCOVER_H
#define KMREP_SYNC_DISCOVER_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "parse/record.h"
#include "refresh.h"
#include "registry.h"

struct store;

struct discover_options {
	const struct config *cfg;
	int64_t now;
	const char *db_path;      /* the refresh lock */
	bool sources[SOURCE_MAX]; /* by registry position; only complaint sites are read */
	int64_t since;            /* complaints filed before this are left out */
};

struct discover_hits {
	/* Every distinct complaint found, filed since o->since, with its
	 * merchant's name and id when the site (or the detail) said. */
	struct complaint_list hits;
	bool read[SOURCE_MAX];     /* the site was searched */
	char *failure[SOURCE_MAX]; /* why it could not be read whole; NULL: it was */
	unsigned long requests;
	long lock_holder;          /* REFRESH_LOCKED: the pid holding the lock */
};

/* Runs the searches.  Failures are printed as they happen (one line per
 * site) and kept in out->failure.  Returns REFRESH_DONE, REFRESH_PARTIAL (a
 * site failed: what it found before is kept), REFRESH_ERROR or
 * REFRESH_LOCKED.  Finish out with discover_hits_finish either way. */
enum refresh_status sync_discover(struct store *st, const struct discover_options *o,
				  struct discover_hits *out);
void discover_hits_finish(struct discover_hits *h);

#endif
