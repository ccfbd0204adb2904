#include "record.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

static const char *const status_names[STATUS_COUNT] = {
	[STATUS_UNKNOWN] = "unknown",     [STATUS_UNANSWERED] = "unanswered",
	[STATUS_ANSWERED] = "answered",   [STATUS_RESOLVED] = "resolved",
	[STATUS_CLOSED] = "closed",
};

const char *
complaint_status_name(enum complaint_status s)
{
	return (unsigned)s < STATUS_COUNT ? status_names[s] : "unknown";
}

enum complaint_status
complaint_status_from_name(const char *name)
{
	for (int i = 0; name && i < STATUS_COUNT; i++)
		if (name[0] == status_names[i][0] && !strcmp(name, status_names[i]))
			return (enum complaint_status)i;
	return STATUS_UNKNOWN;
}

void
complaint_init(struct complaint *c)
{
	memset(c, 0, sizeof(*c));
	c->source = "heimao";
	c->amount_fen = -1;
	c->raw_status = -1;
	c->satisfaction = -1;
}

bool
time_in_future(int64_t t, int64_t now)
{
	return t != 0 && now <= INT64_MAX - COMPLAINT_FUTURE_SLACK_S &&
	       t > now + COMPLAINT_FUTURE_SLACK_S;
}

void
complaint_finish(struct complaint *c)
{
	if (!c)
		return;
	free(c->source_id);
	free(c->merchant_id);
	free(c->merchant_name);
	free(c->title);
	free(c->summary);
	free(c->issue);
	free(c->appeal);
	free(c->url);
	free(c->complainant_key);
	complaint_init(c);
}

void
complaint_list_init(struct complaint_list *l)
{
	memset(l, 0, sizeof(*l));
}

struct complaint *
complaint_list_add(struct complaint_list *l)
{
	l->items = xgrow(l->items, &l->cap, l->len + 1, sizeof(*l->items));
	struct complaint *c = &l->items[l->len++];
	complaint_init(c);
	return c;
}

void
complaint_list_finish(struct complaint_list *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->len; i++)
		complaint_finish(&l->items[i]);
	free(l->items);
	complaint_list_init(l);
}

bool
detail_kind_known(enum detail_kind kind)
{
	return kind == DETAIL_OK || kind == DETAIL_NOT_FOUND || kind == DETAIL_PRIVATE;
}

void
complaint_detail_init(struct complaint_detail *d)
{
	memset(d, 0, sizeof(*d));
	d->amount_fen = -1;
	d->stars[0] = d->stars[1] = d->stars[2] = -1;
}

void
complaint_detail_finish(struct complaint_detail *d)
{
	if (!d)
		return;
	free(d->source_id);
	free(d->merchant_id);
	free(d->merchant_name);
	free(d->title);
	free(d->progress);
	for (size_t i = 0; i < d->n_events; i++) {
		free(d->events[i].actor_name);
		free(d->events[i].event);
		free(d->events[i].text);
	}
	free(d->events);
	if (d->record) {
		complaint_finish(d->record);
		free(d->record);
	}
	complaint_detail_init(d);
}

struct timeline_event *
complaint_detail_add_event(struct complaint_detail *d)
{
	d->events = xgrow(d->events, &d->cap_events, d->n_events + 1, sizeof(*d->events));
	struct timeline_event *e = &d->events[d->n_events++];
	memset(e, 0, sizeof(*e));
	return e;
}

void
merchant_list_init(struct merchant_list *l)
{
	memset(l, 0, sizeof(*l));
}

struct merchant *
merchant_list_add(struct merchant_list *l)
{
	l->items = xgrow(l->items, &l->cap, l->len + 1, sizeof(*l->items));
	struct merchant *m = &l->items[l->len++];
	memset(m, 0, sizeof(*m));
	m->complaints = -1;
	m->recent_30d = -1;
	return m;
}

void
merchant_list_finish(struct merchant_list *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->len; i++) {
		free(l->items[i].id);
		free(l->items[i].name);
	}
	free(l->items);
	merchant_list_init(l);
}

static const char *const page_kind_names[PAGE_KIND_COUNT] = {
	[PAGE_OK] = "ok",
	[PAGE_EMPTY] = "empty",
	[PAGE_LOGIN_REQUIRED] = "login_required",
	[PAGE_LIMIT] = "page_limit",
	[PAGE_BLOCKED] = "blocked",
	[PAGE_API_ERROR] = "api_error",
	[PAGE_NOT_JSON] = "not_json",
	[PAGE_LAYOUT_CHANGED] = "layout_changed",
};

const char *
page_kind_name(enum page_kind kind)
{
	return (unsigned)kind < PAGE_KIND_COUNT ? page_kind_names[kind] : "unknown";
}

void
list_page_init(struct list_page *p)
{
	memset(p, 0, sizeof(*p));
	complaint_list_init(&p->complaints);
	p->page = p->next = p->page_amount = p->item_count = p->code = -1;
}

void
list_page_finish(struct list_page *p)
{
	if (!p)
		return;
	complaint_list_finish(&p->complaints);
	free(p->msg);
	free(p->next_cursor);
	list_page_init(p);
}
