/* What `refresh` and `check` do around a refresh run: the lock message, the
 * summary line, the exit status, and each platform's score for the trend
 * history (SCORING §5 compares a warning with the previous refreshes'). */
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "i18n.h"
#include "interrupt.h"
#include "msg.h"
#include "report/view.h"
#include "store.h"
#include "sync/refresh.h"
#include "xalloc.h"

/* Records the scores of the refreshed platforms; false on a database error. */
static bool
record_scores(struct cli *cli, struct store *st, const int64_t *ids, size_t n)
{
	char err[ERRBUF_SIZE];
	bool ok = true;
	for (size_t i = 0; i < n; i++) {
		struct platform_view v;
		if (platform_view_load(st, &cli->cfg, ids[i], cli->now, false, &v, err) < 0 ||
		    platform_view_record_score(st, &v, err) < 0) {
			msg_error("scoring: %s", err);
			ok = false;
		}
		platform_view_finish(&v);
	}
	return ok;
}

int
cli_refresh(struct cli *cli, const int64_t *ids, size_t n, const bool *sources, bool full,
	    bool summary)
{
	struct store *st = cli_store(cli);
	if (!st)
		return EXIT_INTERNAL;
	struct refresh_options o = {
		.cfg = &cli->cfg,
		.now = cli->now,
		.db_path = cli->db_path,
		.full = full,
		.progress = msg_level() >= MSG_NORMAL && isatty(STDERR_FILENO),
	};
	memcpy(o.sources, sources, sizeof(o.sources));
	struct refresh_result r;
	enum refresh_status status = sync_refresh(st, &o, ids, n, &r);
	if (status == REFRESH_LOCKED) {
		msg_error(_("another refresh (pid %ld) is running on %s"), r.lock_holder, cli->db_path);
		return EXIT_LOCKED;
	}
	if (status == REFRESH_ERROR && !r.platforms)
		return EXIT_INTERNAL;
	if (!record_scores(cli, st, ids, n))
		status = REFRESH_ERROR;
	if (r.interrupted) {
		/* One line, whatever -q says: the user asked and waits for it. */
		msg_error(_("interrupted: %u new and %u updated complaints stored, %lu requests, "
			    "%.1f s; the page in flight was dropped whole (run it again to go on)"),
			  r.new_complaints, r.updated_complaints, r.requests, r.seconds);
		if (status == REFRESH_ERROR)
			return EXIT_INTERNAL;
		return interrupt_signal() == SIGINT ? EXIT_INTERRUPTED : EXIT_PARTIAL;
	}
	if (summary) {
		char *failures = xasprintf(ngettext("%u failure", "%u failures", r.failures),
					   r.failures);
		msg_info(ngettext("refreshed %u platform: %u new and %u updated complaints, "
				  "%lu requests, %s, %.1f s",
				  "refreshed %u platforms: %u new and %u updated complaints, "
				  "%lu requests, %s, %.1f s",
				  r.platforms),
			 r.platforms, r.new_complaints, r.updated_complaints, r.requests, failures,
			 r.seconds);
		free(failures);
	}
	return status == REFRESH_ERROR ? EXIT_INTERNAL
	       : status == REFRESH_PARTIAL ? EXIT_PARTIAL : EXIT_DONE;
}
