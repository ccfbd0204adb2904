/* Score history: every score computed, newest read first. */
#include <math.h>
#include <string.h>

#include "err.h"
#include "internal.h"

static const char SQL_SCORE_PUT[] =
	"INSERT INTO score_history (platform_id, at, score, grade, verdict, trend_level, formula)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";

/* Appends a score (NAN -> NULL); 0 or -1. */
int
store_score_put(struct store *s, int64_t platform_id, int64_t at, double score,
		const char *grade, const char *verdict, const char *trend_level,
		const char *formula, char *err)
{
	sqlite3_stmt *st = stmt_get(s, SQL_SCORE_PUT, err);
	if (!st)
		return -1;
	bind_i64(st, 1, platform_id);
	bind_i64(st, 2, at);
	if (isnan(score))
		sqlite3_bind_null(st, 3);
	else
		sqlite3_bind_double(st, 3, score);
	bind_text(st, 4, grade);
	bind_text(st, 5, verdict);
	bind_text(st, 6, trend_level);
	bind_text(st, 7, formula);
	return stmt_run(s, st, "storing a score", err);
}

/* One row of the columns below into *row. */
static void
row_read(sqlite3_stmt *st, struct score_row *row)
{
	row->at = sqlite3_column_int64(st, 0);
	row->score = sqlite3_column_type(st, 1) == SQLITE_NULL ? NAN : sqlite3_column_double(st, 1);
	copy_fixed(row->grade, sizeof(row->grade), col_text(st, 2));
	copy_fixed(row->verdict, sizeof(row->verdict), col_text(st, 3));
	copy_fixed(row->trend_level, sizeof(row->trend_level), col_text(st, 4));
	copy_fixed(row->formula, sizeof(row->formula), col_text(st, 5));
}

static const char SQL_SCORE_RECENT[] =
	"SELECT at, score, grade, verdict, trend_level, formula FROM score_history"
	" WHERE platform_id = ?1 ORDER BY at DESC, id DESC LIMIT ?2";

/* Up to n newest scores into out[]; 0 or -1. */
int
store_score_recent(struct store *s, int64_t platform_id, size_t n, struct score_row *out,
		   size_t *got, char *err)
{
	*got = 0;
	if (n == 0)
		return 0;
	sqlite3_stmt *st = stmt_get(s, SQL_SCORE_RECENT, err);
	if (!st)
		return -1;
	bind_i64(st, 1, platform_id);
	bind_i64(st, 2, n > INT64_MAX ? INT64_MAX : (int64_t)n);
	int r;
	while ((r = stmt_step(s, st, "reading scores", err)) == 1)
		row_read(st, &out[(*got)++]);
	return r;
}

static const char SQL_SCORE_LATEST_TREND[] =
	"SELECT at, score, grade, verdict, trend_level, formula FROM score_history"
	" WHERE platform_id = ?1 AND at <= ?2 AND trend_level IN (?3, ?4, ?5, ?6)"
	" ORDER BY at DESC, id DESC LIMIT 1";

/* The newest score at or before at_most with one of the trend levels; 1, 0
 * none, -1. */
int
store_score_latest_trend(struct store *s, int64_t platform_id, int64_t at_most,
			 const char *const *levels, size_t n_levels, struct score_row *out,
			 char *err)
{
	memset(out, 0, sizeof(*out));
	if (n_levels == 0)
		return 0;
	if (n_levels > 4)
		return set_err(err, "score history: at most 4 trend levels at once");
	sqlite3_stmt *st = stmt_get(s, SQL_SCORE_LATEST_TREND, err);
	if (!st)
		return -1;
	bind_i64(st, 1, platform_id);
	bind_i64(st, 2, at_most);
	for (size_t i = 0; i < 4; i++)
		bind_text(st, 3 + (int)i, levels[i < n_levels ? i : 0]);
	int r = stmt_step(s, st, "reading scores", err);
	if (r == 1) {
		row_read(st, out);
		sqlite3_reset(st);
	}
	return r;
}
