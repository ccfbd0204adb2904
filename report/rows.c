/* The report's row: one platform view as the cells of SPEC §5a's columns,
 * shared by every report format built on table.h. */
#include <math.h>
#include <stdlib.h>

#include "buf.h"
#include "render.h"
#include "timeutil.h"
#include "xalloc.h"

const char *const report_columns[REPORT_COLUMNS] = {
	"name", "domains", "verdict", "verdict_zh", "score", "grade", "confidence", "complaints",
	"reply_rate", "completion_rate", "median_reply_hours", "trend", "icp_status",
	"icp_nature", "icp_unit", "icp_licence", "top_reasons", "last_refresh", "sources_state",
	"service_points", "severity_points", "volume_points", "identity_points", "trend_points",
	"gates", "unresolved", "resolved", "formula", "complaints_by_source", "merged",
};

/* The same columns under Chinese headers (report --headers zh), in the same
 * order: fixed words of the format, not the catalogue's, so a spreadsheet's
 * headers do not depend on the locale or on an installed translation. */
const char *const report_columns_zh[REPORT_COLUMNS] = {
	"名称", "域名", "结论代码", "结论", "得分", "等级", "可信度", "投诉数",
	"回复率", "完成率", "回复用时中位数（小时）", "趋势", "备案状态",
	"主办单位性质", "主办单位", "备案号", "主要原因", "最近刷新", "数据来源状态",
	"服务扣分", "严重程度扣分", "投诉量扣分", "身份扣分", "趋势扣分",
	"一票否决", "未解决", "已解决", "评分公式", "各来源投诉数", "跨站合并",
};

static char *
number(double v, int decimals)
{
	return isnan(v) ? NULL : xasprintf("%.*f", decimals, v);
}

void
report_row_fill(struct report_row *row, const struct platform_view *v, bool shanghai)
{
	const struct score_result *r = &v->score;
	struct buf b;
	size_t i = 0;
	enum cell_kind *k = row->kind;
	char **c = row->text;
	for (size_t n = 0; n < REPORT_COLUMNS; n++)
		k[n] = CELL_STRING;
	buf_init(&b);
	for (size_t d = 0; d < v->platform.n_domains; d++)
		buf_printf(&b, "%s%s", d ? " " : "", v->platform.domains[d]);
	c[i++] = xstrdup(v->platform.name);
	c[i++] = buf_steal(&b);
	c[i++] = xstrdup(verdict_key(r->verdict));
	c[i++] = xstrdup(verdict_zh(r->verdict));
	k[i] = CELL_NUMBER, c[i++] = r->rated ? number(r->score, 1) : NULL;
	c[i++] = xstrdup(r->grade);
	c[i++] = xstrdup(confidence_key(r->confidence));
	/* An unknown count is empty, as an unrated score is: never 0, and no
	 * trend or status counts from it either. */
	bool known = view_complaints_known(v);
	k[i] = CELL_NUMBER, c[i++] = known ? xasprintf("%zu", r->total) : NULL;
	k[i] = CELL_NUMBER, c[i++] = number(r->reply_rate, 3);
	k[i] = CELL_NUMBER, c[i++] = number(r->completion_rate, 3);
	k[i] = CELL_NUMBER, c[i++] = number(r->median_reply_hours, 1);
	c[i++] = known ? xstrdup(trend_level_key(r->trend.level)) : NULL;
	c[i++] = xstrdup(icp_status_key(v->input.identity.icp_status));
	c[i++] = xstrdup_or_null(v->filing ? v->filing->nature_name : NULL);
	c[i++] = xstrdup_or_null(v->filing ? v->filing->unit_name : NULL);
	c[i++] = xstrdup_or_null(v->filing ? v->filing->service_licence : NULL);
	/* The biggest deductions' reasons, gates first. */
	buf_init(&b);
	for (size_t g = 0; g < r->n_gates; g++)
		buf_printf(&b, "%s%s", b.len ? " | " : "", r->gates[g].reason);
	for (int n = 0, done = 0; n < 2; n++) { /* the two largest deductions shown */
		int best = -1;
		for (int d = 0; d < COMP_COUNT; d++)
			if (!(done & 1 << d) && deduction_shown(r, d) &&
			    (best < 0 || r->deductions[d].points > r->deductions[best].points))
				best = d;
		if (best < 0)
			break;
		done |= 1 << best;
		const struct score_deduction *d = &r->deductions[best];
		if (d->reason)
			buf_printf(&b, "%s%s -%.1f: %s", b.len ? " | " : "", d->component, d->points,
				   d->reason);
	}
	c[i++] = buf_steal(&b);
	if (v->last_refresh) {
		char t[26];
		if (shanghai)
			time_format_shanghai_iso(v->last_refresh, t);
		else
			time_format_utc(v->last_refresh, t);
		c[i++] = xstrdup(t);
	} else {
		c[i++] = NULL;
	}
	buf_init(&b);
	for (size_t s = 0; s < registry_count(); s++)
		buf_printf(&b, "%s%s:%s", s ? " " : "", registry[s].name,
			   source_health_key(v->health[s]));
	c[i++] = buf_steal(&b);
	for (int d = 0; d < COMP_COUNT; d++) {
		k[i] = CELL_NUMBER;
		c[i++] = xasprintf("%.1f", deduction_shown(r, d) ? r->deductions[d].points : 0.0);
	}
	buf_init(&b);
	for (size_t g = 0; g < r->n_gates; g++)
		buf_printf(&b, "%s%s", g ? " " : "", r->gates[g].gate);
	c[i++] = buf_steal(&b);
	k[i] = CELL_NUMBER;
	c[i++] = known ? xasprintf("%zu", r->by_status[STATUS_UNANSWERED] +
				       r->by_status[STATUS_ANSWERED] +
				       r->by_status[STATUS_CLOSED] + r->by_status[STATUS_UNKNOWN])
		       : NULL;
	k[i] = CELL_NUMBER, c[i++] = known ? xasprintf("%zu", r->by_status[STATUS_RESOLVED]) : NULL;
	c[i++] = xstrdup(FORMULA_ID);
	buf_init(&b);
	for (size_t n = 0; n < r->n_by_source; n++)
		buf_printf(&b, "%s%s:%zu", n ? " " : "", r->by_source[n].source, r->by_source[n].n);
	c[i++] = b.len ? buf_steal(&b) : (buf_finish(&b), NULL);
	k[i] = CELL_NUMBER, c[i++] = xasprintf("%zu", v->merged);
	for (size_t n = 0; n < REPORT_COLUMNS; n++)
		if (!c[n])
			k[n] = CELL_NULL;
}

void
report_row_finish(struct report_row *row)
{
	for (size_t k = 0; k < REPORT_COLUMNS; k++)
		free(row->text[k]);
}
