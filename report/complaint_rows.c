#include "complaint_rows.h"

#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "i18n.h"
#include "parse/category.h"
#include "text.h"
#include "timeutil.h"
#include "words.h"

const char *const complaint_columns[COMPLAINT_COLUMNS] = {
	"source", "id", "filed", "status_raw", "status", "category", "amount_yuan",
	"first_reply", "merchant", "title", "url", "excluded_reason",
};

int
complaint_row_write(struct table_writer *w, const struct stored_complaint *c)
{
	char filed[17] = "", reply[17] = "", raw[16] = "", amount[32] = "";
	if (c->filed_at)
		time_format_shanghai(c->filed_at, filed);
	if (c->first_reply_at)
		time_format_shanghai(c->first_reply_at, reply);
	if (c->raw_status >= 0)
		snprintf(raw, sizeof(raw), "%d", c->raw_status);
	if (c->amount_fen >= 0)
		snprintf(amount, sizeof(amount), "%lld.%02lld", (long long)(c->amount_fen / 100),
			 (long long)(c->amount_fen % 100));
	struct cell cells[COMPLAINT_COLUMNS] = {
		{CELL_STRING, c->source},
		{CELL_STRING, c->source_id},
		{*filed ? CELL_STRING : CELL_NULL, filed},
		{*raw ? CELL_NUMBER : CELL_NULL, raw},
		{CELL_STRING, complaint_status_name(c->status)},
		{CELL_STRING, category_name_zh(c->category)},
		{*amount ? CELL_NUMBER : CELL_NULL, amount},
		{*reply ? CELL_STRING : CELL_NULL, reply},
		{c->merchant_name ? CELL_STRING : CELL_NULL, c->merchant_name},
		{c->title ? CELL_STRING : CELL_NULL, c->title},
		{c->url ? CELL_STRING : CELL_NULL, c->url},
		{c->excluded_reason ? CELL_STRING : CELL_NULL, c->excluded_reason},
	};
	return w->format->row(w, cells);
}

/* The buyer's word for a normalised status, in the chosen language. */
static const char *
status_words(enum complaint_status s)
{
	static const char *const words[] = {
		[STATUS_UNANSWERED] = NC_("status", "unanswered"),
		[STATUS_ANSWERED] = NC_("status", "answered"),
		[STATUS_RESOLVED] = NC_("status", "resolved"),
		[STATUS_CLOSED] = NC_("status", "closed"),
		[STATUS_UNKNOWN] = NC_("status", "unknown"),
	};
	if ((unsigned)s >= sizeof(words) / sizeof(words[0]) || !words[s])
		s = STATUS_UNKNOWN;
	return i18n_pgettext("status", words[s]);
}

/* s padded with spaces to columns display columns, then two spaces. */
static void
put_cell(FILE *out, const char *s, size_t columns)
{
	size_t w = text_display_width(s);
	fputs(s, out);
	for (; w < columns + 2; w++)
		fputc(' ', out);
}

/* s (escaped for the terminal) into out, cut to at most columns display
 * columns with "..." at the end when it is wider. */
static void
cut_to_width(struct buf *out, const char *s, size_t columns)
{
	struct buf shown;
	buf_init(&shown);
	text_sanitize_display(&shown, s, strlen(s), TEXT_DISPLAY_LINE);
	const char *p = buf_cstr(&shown);
	if (text_display_width(p) <= columns) {
		buf_append(out, p, strlen(p));
		buf_finish(&shown);
		return;
	}
	size_t room = columns > 3 ? columns - 3 : 0;
	buf_append(out, p, text_fit_columns(p, room, NULL));
	buf_append(out, "...", 3);
	buf_finish(&shown);
}

static int
text_check(FILE *out)
{
	return ferror(out) ? -1 : 0;
}

/* See complaint_rows.h. */
int
complaint_text_begin(struct complaint_text *t, FILE *out)
{
	*t = (struct complaint_text){.out = out};
	t->status_w = text_display_width(_("STATUS"));
	for (int s = 0; s < STATUS_COUNT; s++) {
		size_t w = text_display_width(status_words((enum complaint_status)s));
		if (w > t->status_w)
			t->status_w = w;
	}
	t->category_w = text_display_width(_("CATEGORY"));
	for (int c = 0; c < CAT_COUNT; c++) {
		size_t w = text_display_width(category_words((enum category)c));
		if (w > t->category_w)
			t->category_w = w;
	}
	put_cell(out, _("FILED"), 16);
	put_cell(out, _("STATUS"), t->status_w);
	put_cell(out, _("CATEGORY"), t->category_w);
	fprintf(out, "%s\n", _("TITLE"));
	return text_check(out);
}

/* See complaint_rows.h. */
int
complaint_text_row(struct complaint_text *t, const struct stored_complaint *c)
{
	char filed[17] = "-";
	if (c->filed_at)
		time_format_shanghai(c->filed_at, filed);
	put_cell(t->out, filed, 16);
	put_cell(t->out, status_words(c->status), t->status_w);
	put_cell(t->out, category_words(c->category), t->category_w);
	size_t used = 16 + 2 + t->status_w + 2 + t->category_w + 2;
	size_t room = used + 8 < COMPLAINT_TEXT_COLUMNS ? COMPLAINT_TEXT_COLUMNS - used : 8;
	struct buf title;
	buf_init(&title);
	cut_to_width(&title, c->title && *c->title ? c->title : "-", room);
	fprintf(t->out, "%s\n", buf_cstr(&title));
	buf_finish(&title);
	if (c->url) {
		struct buf url;
		buf_init(&url);
		text_sanitize_display(&url, c->url, strlen(c->url), TEXT_DISPLAY_LINE);
		fprintf(t->out, "  %s\n", buf_cstr(&url));
		buf_finish(&url);
	}
	if (c->excluded_reason) {
		if (!strcmp(c->excluded_reason, COMPLAINT_UNCONFIRMED)) {
			fprintf(t->out, "  %s\n",
				_("not counted: its merchant is not confirmed yet"));
		} else {
			struct buf why;
			buf_init(&why);
			text_sanitize_display(&why, c->excluded_reason, strlen(c->excluded_reason),
					      TEXT_DISPLAY_LINE);
			fprintf(t->out, _("  not counted: %s\n"), buf_cstr(&why));
			buf_finish(&why);
		}
		t->excluded++;
	}
	t->rows++;
	return text_check(t->out);
}

/* See complaint_rows.h. */
int
complaint_text_end(struct complaint_text *t, bool read)
{
	if (!t->rows && !read)
		fprintf(t->out, "%s\n", _("complaints unknown: no complaint source has been read for "
					  "this platform yet (kmrep refresh)"));
	else if (!t->rows)
		fprintf(t->out, "%s\n", _("no complaints"));
	else if (t->excluded)
		fprintf(t->out,
			ngettext("%zu complaint, newest first; %zu not counted in the score\n",
				 "%zu complaints, newest first; %zu not counted in the score\n",
				 t->rows),
			t->rows, t->excluded);
	else
		fprintf(t->out, ngettext("%zu complaint, newest first\n",
					 "%zu complaints, newest first\n", t->rows),
			t->rows);
	return fflush(t->out) != 0 || ferror(t->out) ? -1 : 0;
}
