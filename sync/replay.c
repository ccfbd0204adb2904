#include "replay.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "parse/heimao.h"
#include "parse/icp.h"
#include "parse/site.h"
#include "store.h"
#include "xalloc.h"

static int
db_fail(int *db_error)
{
	*db_error = 1;
	return -1;
}

/* Drops the complaints of page that are not against platform_id. */
static int
keep_platform(struct sync *s, int64_t platform_id, struct heimao_list_page *page, char *err)
{
	struct platform p;
	struct merchant_ref *refs;
	size_t n;
	if (store_platform_get(s->st, platform_id, &p, err) < 0)
		return -1;
	if (store_merchant_list(s->st, platform_id, "heimao", &refs, &n, err) < 0) {
		platform_finish(&p);
		return -1;
	}
	char **couids = xcalloc(n ? n : 1, sizeof(char *));
	for (size_t i = 0; i < n; i++)
		couids[i] = refs[i].merchant_id;
	sync_heimao_keep_platform(page, &p, couids, n);
	free(couids);
	merchant_ref_list_free(refs, n);
	platform_finish(&p);
	return 0;
}

/* The complaint number in a /complaint/view/{sn}/ URL, malloc'd, or NULL. */
static char *
sn_from_url(const char *url)
{
	const char *p = url ? strstr(url, "/complaint/view/") : NULL;
	if (!p)
		return NULL;
	p += strlen("/complaint/view/");
	size_t n = strspn(p, "0123456789");
	return n ? xstrndup(p, n) : NULL;
}

int
ingest_heimao(struct sync *s, int64_t platform_id, bool only_platform, const char *url,
	      const char *body, size_t len, int *db_error, char *err)
{
	*db_error = 0;
	size_t i = 0;
	while (i < len && (body[i] == ' ' || body[i] == '\n' || body[i] == '\r' || body[i] == '\t'))
		i++;
	if (i < len && body[i] == '<') {
		struct complaint_detail d;
		complaint_detail_init(&d);
		int rc = heimao_detail_parse(body, len, &d, err);
		if (!d.source_id)
			d.source_id = sn_from_url(url);
		if (d.kind == DETAIL_NOT_FOUND || d.kind == DETAIL_PRIVATE) {
			/* A recognised answer: recorded when the page names its
			 * complaint, otherwise there is nothing to attach it to. */
			rc = 0;
			if (d.source_id && store_complaint_detail_apply(s->st, "heimao", d.source_id,
									  &d, s->now, err) < 0)
				rc = db_fail(db_error);
		} else if (rc == 0 && !d.source_id) {
			rc = set_err(err, "a detail page without a complaint number");
		} else if (rc == 0) {
			int applied = store_complaint_detail_apply(s->st, "heimao", d.source_id, &d,
								   s->now, err);
			if (applied < 0)
				rc = db_fail(db_error);
			else if (applied == 1)
				rc = set_err(err, "complaint %s is not stored yet: import its list "
						  "page first",
					     d.source_id);
		}
		complaint_detail_finish(&d);
		return rc;
	}
	struct heimao_list_page page;
	heimao_list_page_init(&page);
	int rc = heimao_list_parse(body, len, &page, err);
	bool all_known;
	if (rc >= 0 && only_platform && platform_id &&
	    keep_platform(s, platform_id, &page, err) < 0)
		rc = db_fail(db_error);
	else if (rc >= 0 && sync_heimao_store_page(s, platform_id, &page, &all_known, err) < 0)
		rc = db_fail(db_error);
	heimao_list_page_finish(&page);
	return rc < 0 ? -1 : 0;
}

int
ingest_icp(struct sync *s, const char *domain, const char *body, size_t len, int *db_error,
	   char *err)
{
	*db_error = 0;
	struct icp_query_page page;
	icp_query_page_init(&page);
	int rc = 0;
	icp_query_parse(body, len, &page, err);
	if (page.kind != ICP_OK) {
		rc = set_err(err, "not a usable registry answer (%s%s%s)",
			     icp_reply_kind_name(page.kind), *page.msg ? ": " : "", page.msg);
		goto out;
	}
	for (size_t i = 0; i < page.n_records && rc == 0; i++) {
		const struct icp_record *r = &page.records[i];
		if (r->domain && store_icp_put(s->st, r->domain, "filed", NULL, r, 1, s->now,
					       err) < 0)
			rc = db_fail(db_error);
	}
	if (page.n_records == 0 && domain &&
	    store_icp_put(s->st, domain, "not_filed", NULL, NULL, 0, s->now, err) < 0)
		rc = db_fail(db_error);
out:
	icp_query_page_finish(&page);
	return rc;
}

int
ingest_site(struct sync *s, int64_t platform_id, const char *domain, const char *body,
	    size_t len, const char *content_type, int *db_error, char *err)
{
	*db_error = 0;
	struct site_page page;
	site_page_init(&page);
	int rc = site_page_parse(body, len, content_type, &page, err);
	if (rc == 0 && store_site_probe_put(s->st, platform_id, domain, 200, NULL, &page,
					    s->now, err) < 0)
		rc = db_fail(db_error);
	site_page_finish(&page);
	return rc;
}
