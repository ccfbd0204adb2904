/* The discover run both `discover` and `refresh --discover` start: search
 * the complaint sites, apply the card-platform rule, print the list (or, for
 * refresh, one line), and with add, track what it lists. */
#include "i18n.h"
#include "discover_run.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "msg.h"
#include "platform_input.h"
#include "report/discover.h"
#include "store.h"
#include "sync/discover.h"
#include "timeutil.h"

/* Tracks every listed merchant that has an id, bound to it; returns how
 * many were added, or -1. */
static int
add_all(struct cli *cli, struct store *st, const struct suggestions *s)
{
	char err[ERRBUF_SIZE];
	int added = 0;
	for (size_t i = 0; i < s->n; i++) {
		const struct suggestion *g = &s->items[i];
		if (!g->merchant_id) {
			msg_warn(_("discover: %s: not added: %s never gave its merchant id"), g->name,
				 g->source);
			continue;
		}
		struct platform_input in;
		platform_input_init(&in);
		int64_t id;
		int created = 0;
		/* A name or id the site gave that kmrep would refuse from a user
		 * (control characters, say) is not added, and said so. */
		int rc = platform_input_set_name(&in, g->name, err) < 0 ||
				 platform_input_add_pin(&in, (size_t)registry_find(g->source),
							g->merchant_id, err) < 0
			 ? -ERR_USAGE
			 : platform_input_save(&in, st, cli->now, &id, &created, err);
		platform_input_finish(&in);
		if (rc == -ERR_USAGE || rc == -ERR_CONFLICT) {
			msg_warn(_("discover: %s: not added: %s"), g->name, err);
			continue;
		}
		if (rc < 0) {
			msg_error("discover: %s", err);
			return -1;
		}
		if (created) {
			msg_info(_("tracking %s (%s %s)"), g->name, g->source, g->merchant_id);
			added++;
		}
	}
	return added;
}

int
cli_discover(struct cli *cli, const struct discover_request *rq, size_t *listed)
{
	char err[ERRBUF_SIZE];
	*listed = 0;
	struct store *st = cli_store(cli);
	if (!st)
		return EXIT_INTERNAL;
	struct discover_options o = {
		.cfg = &cli->cfg,
		.now = cli->now,
		.db_path = cli->db_path,
		.since = cli->now - rq->since_days * DAY_S,
	};
	memcpy(o.sources, rq->sources, sizeof(o.sources));
	struct discover_hits hits;
	enum refresh_status rs = sync_discover(st, &o, &hits);
	if (rs == REFRESH_LOCKED) {
		msg_error(_("another refresh is running (pid %ld); try again when it is done"),
			  hits.lock_holder);
		discover_hits_finish(&hits);
		return EXIT_LOCKED;
	}
	if (rs == REFRESH_ERROR) {
		discover_hits_finish(&hits);
		return EXIT_INTERNAL;
	}
	const char *failed[SOURCE_MAX];
	size_t n_failed = 0;
	for (size_t i = 0; i < registry_count(); i++)
		if (hits.failure[i])
			failed[n_failed++] = registry[i].name;
	struct suggestions s;
	int status = rs == REFRESH_PARTIAL ? EXIT_PARTIAL : EXIT_DONE;
	if (discover_suggest(st, &cli->cfg, &hits.hits, rq->min_complaints, &s, err) < 0) {
		msg_error("discover: %s", err);
		discover_hits_finish(&hits);
		return EXIT_INTERNAL;
	}
	*listed = s.n;
	if (rq->format && discover_render(stdout, rq->format, &s, failed, n_failed, rq->bom) < 0) {
		msg_error("discover: writing the list: %s", strerror(errno));
		status = EXIT_INTERNAL;
	}
	if (rq->add && status != EXIT_INTERNAL && add_all(cli, st, &s) < 0)
		status = EXIT_INTERNAL;
	suggestions_finish(&s);
	discover_hits_finish(&hits);
	return status;
}
