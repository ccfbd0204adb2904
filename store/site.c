/* Probes of a platform's own home page and the ICP number it claims. */
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "host.h"
#include "internal.h"

static const char SQL_PROBE_INSERT[] =
	"INSERT INTO site_probes (platform_id, domain, probed_at, http_status, ok, error, title,"
	" charset, icp_raw, icp_canonical, icp_main, icp_kind, icp_year, icp_placeholder,"
	" police_number) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)";

/* Records a probe; 0 or -1. */
int
store_site_probe_put(struct store *s, int64_t platform_id, const char *domain, int http_status,
		     const char *error, const struct site_page *p, int64_t at, char *err)
{
	char *d = host_normalise(domain);
	if (!d)
		return set_err(err, "not a domain: \"%s\"", domain ? domain : "");
	sqlite3_stmt *st = stmt_get(s, SQL_PROBE_INSERT, err);
	if (!st) {
		free(d);
		return -1;
	}
	int has_icp = p && p->icp.kind != LICENCE_NONE;
	bind_i64(st, 1, platform_id);
	bind_text(st, 2, d);
	bind_i64(st, 3, at);
	bind_i64_nonzero(st, 4, http_status);
	bind_i64(st, 5, p != NULL);
	bind_text(st, 6, error);
	bind_text(st, 7, p ? p->title : NULL);
	bind_text(st, 8, p ? p->charset : NULL);
	bind_text(st, 9, p ? p->icp_raw : NULL);
	bind_text(st, 10, has_icp ? p->icp.canonical : NULL);
	bind_text(st, 11, has_icp ? p->icp.main : NULL);
	bind_i64(st, 12, has_icp ? p->icp.kind : LICENCE_NONE);
	bind_i64_nonzero(st, 13, has_icp ? p->icp.year : 0);
	bind_i64(st, 14, p && (p->icp_placeholder || (has_icp && p->icp.placeholder)));
	bind_text(st, 15, p ? p->police_number : NULL);
	int rc = stmt_run(s, st, "storing a site probe", err);
	free(d);
	return rc;
}

#define PROBE_COLUMNS                                                                     \
	"probed_at, domain, http_status, ok, error, title, charset, icp_raw, icp_canonical," \
	" icp_main, icp_kind, icp_year, icp_placeholder, police_number"

static const char SQL_PROBE_LATEST[] =
	"SELECT " PROBE_COLUMNS " FROM site_probes WHERE platform_id = ?1"
	" ORDER BY probed_at DESC, id DESC LIMIT 1";
static const char SQL_PROBE_LATEST_DOMAIN[] =
	"SELECT " PROBE_COLUMNS " FROM site_probes WHERE platform_id = ?1 AND domain = ?2"
	" ORDER BY probed_at DESC, id DESC LIMIT 1";

/* The latest probe; 1 and *out, 0 none, -1. */
int
store_site_probe_latest(struct store *s, int64_t platform_id, const char *domain,
			struct site_probe *out, char *err)
{
	memset(out, 0, sizeof(*out));
	char *d = NULL;
	if (domain && !(d = host_normalise(domain)))
		return 0;
	sqlite3_stmt *st = stmt_get(s, d ? SQL_PROBE_LATEST_DOMAIN : SQL_PROBE_LATEST, err);
	if (!st) {
		free(d);
		return -1;
	}
	bind_i64(st, 1, platform_id);
	if (d)
		bind_text(st, 2, d);
	int r = stmt_step(s, st, "reading site probes", err);
	if (r == 1) {
		out->probed_at = sqlite3_column_int64(st, 0);
		out->domain = col_dup(st, 1);
		out->http_status = (int)col_i64(st, 2, 0);
		out->ok = sqlite3_column_int(st, 3);
		out->error = col_dup(st, 4);
		out->title = col_dup(st, 5);
		out->charset = col_dup(st, 6);
		out->icp_raw = col_dup(st, 7);
		out->icp_canonical = col_dup(st, 8);
		out->icp_main = col_dup(st, 9);
		out->icp_kind = sqlite3_column_int(st, 10);
		out->icp_year = (int)col_i64(st, 11, 0);
		out->icp_placeholder = sqlite3_column_int(st, 12);
		out->police_number = col_dup(st, 13);
		sqlite3_reset(st);
	}
	free(d);
	return r;
}

/* Frees what p owns. */
void
site_probe_finish(struct site_probe *p)
{
	if (!p)
		return;
	free(p->domain);
	free(p->error);
	free(p->title);
	free(p->charset);
	free(p->icp_raw);
	free(p->icp_canonical);
	free(p->icp_main);
	free(p->police_number);
	memset(p, 0, sizeof(*p));
}
