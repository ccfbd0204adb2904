/* The records kmrep passes from parse/ to store/ and report/: the contract
 * between the stages, documented field by field like a file format (sfeed.5).
 *
 * Conventions for every record here:
 * - strings are UTF-8, owned by the record, NULL when the source did not say;
 * - times are UTC seconds since 1970 (int64), 0 when unknown;
 * - money is in fen (int64), -1 when unknown;
 * - source ids (黑猫 sn and couid, MIIT ids) are decimal TEXT: they exceed
 *   32 bits and are never used for arithmetic.
 * Each record has an init (zeroes it) and a finish (frees what it owns;
 * accepts a record that was only initialised). */
#ifndef KMREP_PARSE_RECORD_H
#define KMREP_PARSE_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Normalised complaint status (SCORING §1).  Stored as the lowercase names
 * below; never guessed: an unseen raw value is STATUS_UNKNOWN. */
enum complaint_status {
	STATUS_UNKNOWN = 0,
	STATUS_UNANSWERED,
	STATUS_ANSWERED,
	STATUS_RESOLVED,
	STATUS_CLOSED,
	STATUS_COUNT
};

/* "unknown", "unanswered", ... (static strings). */
const char *complaint_status_name(enum complaint_status s);
/* Inverse of complaint_status_name; STATUS_UNKNOWN for anything else. */
enum complaint_status complaint_status_from_name(const char *name);

/* One complaint as a list page shows it (黑猫 list item).  Detail pages add
 * to it through struct complaint_detail. */
struct complaint {
	const char *source;   /* static: "heimao" */
	char *source_id;      /* 黑猫 main.sn, e.g. "17382167486" */
	char *merchant_id;    /* 黑猫 main.couid; NULL when absent */
	char *merchant_name;  /* main.cotitle, tags and entities removed */
	char *title;          /* main.title, tags (search highlights) and entities removed */
	char *summary;        /* main.summary, likewise; may end in "..." (truncated by the site) */
	char *issue;          /* 投诉问题: items split on , and ，, trimmed, joined with "\n" */
	char *appeal;         /* 投诉要求: likewise */
	int64_t amount_fen;   /* main.cost "187.38" -> 18738; -1 when empty, missing or malformed */
	int raw_status;       /* main.status as given; -1 when missing */
	enum complaint_status status; /* normalised from raw_status (SCORING §1) */
	int64_t filed_at;     /* main.timestamp (unix seconds; string or number); 0 unknown */
	char *url;            /* evidence: main.url made absolute ("https:" + "//tousu..."), kept
				 exactly otherwise (sld included); NULL when absent */
	char *complainant_key; /* hex SHA-256 of "heimao:" + author nickname; NULL when the
				  author has no nickname.  The nickname itself is never kept. */
	int satisfaction;     /* 0-10 from evaluate_u stars (satisfaction*2); -1 unknown */
};

void complaint_init(struct complaint *c);
void complaint_finish(struct complaint *c);

/* How far a source's clock may run ahead of kmrep's "now".  A complaint
 * filed later than that carries a time kmrep does not recognise (a year-5138
 * timestamp would count as "recent" forever): it is skipped, not stored. */
#define COMPLAINT_FUTURE_SLACK_S 86400
/* True when t is known (non-zero) and more than COMPLAINT_FUTURE_SLACK_S
 * after now.  The parsers are pure (no clock): callers pass "now". */
bool time_in_future(int64_t t, int64_t now);

struct complaint_list {
	struct complaint *items;
	size_t len, cap;
};

void complaint_list_init(struct complaint_list *l);
/* Returns a new, initialised element at the end. */
struct complaint *complaint_list_add(struct complaint_list *l);
void complaint_list_finish(struct complaint_list *l);

/* What a complaint site's list page (or merchant search) turned out to be:
 * every body is classified, so a login wall or a changed layout never looks
 * like "no complaints". */
enum page_kind {
	PAGE_OK = 0,         /* at least one record (黑猫: code 0) */
	PAGE_EMPTY,          /* a known empty shape (黑猫: complaints null / [] or lists []) */
	PAGE_LOGIN_REQUIRED, /* the login wall (黑猫: code 10005, or an HTML login page) */
	PAGE_LIMIT,          /* login needed past a depth (黑猫: code 10017 past page 50) */
	PAGE_BLOCKED,        /* captcha page, or an empty page while the pager
				claims items (risk control) */
	PAGE_API_ERROR,      /* any other error code; msg kept */
	PAGE_NOT_JSON,       /* empty body, other HTML, broken JSON */
	PAGE_LAYOUT_CHANGED, /* no known data shape, or items none of which has an id */
	PAGE_KIND_COUNT
};

/* "ok", "empty", "login_required", "page_limit", "blocked", "api_error",
 * "not_json", "layout_changed" (static strings). */
const char *page_kind_name(enum page_kind kind);

/* One list page of a complaint site.  Numbers are -1 when the body did not
 * say. */
struct list_page {
	enum page_kind kind;
	struct complaint_list complaints;
	int64_t page;        /* this page's number (黑猫 pager.current) */
	int64_t next;        /* the next page's (pager.next) */
	int64_t page_amount; /* pages in the list (pager.page_amount); inflated on
				黑猫's feed, never trust it as the real depth */
	int64_t item_count;  /* items in the list (pager.item_count); same caveat */
	int64_t code;        /* the site's status code; -1 when there is no envelope */
	char *msg;           /* the site's status message; NULL when absent or empty */
	size_t skipped;      /* items dropped because they had no usable id */
	/* Cursor paging (聚投诉's merchant lists pass back $.offset): what the
	 * next page's request carries; NULL when the site pages by number. */
	char *next_cursor;
	bool last;           /* the site marked this page the list's last (a short page) */
};

/* Zeroes p: no complaints, every number -1, msg NULL. */
void list_page_init(struct list_page *p);
/* Frees what the page owns and re-initialises it; accepts NULL. */
void list_page_finish(struct list_page *p);

/* Who acted in a timeline step. */
enum actor { ACTOR_UNKNOWN = 0, ACTOR_USER, ACTOR_MERCHANT, ACTOR_PLATFORM };

/* One step of a complaint's progress (黑猫 detail page ts-d-item). */
struct timeline_event {
	enum actor actor;
	char *actor_name; /* u-name; for users hashed like complainant_key, never plain */
	char *event;      /* u-status text: 发起投诉, 审核通过, 回复, 申请完成投诉, 确认完成, 自动完成, 评价 ... */
	int64_t at;       /* u-date, year inferred from the posting date across New Year */
	char *text;       /* the step's text, trimmed; may be NULL */
};

enum detail_kind {
	DETAIL_OK = 0,
	DETAIL_NOT_FOUND,   /* 页面不存在 / 投诉单不存在 */
	DETAIL_PRIVATE,     /* 当前投诉单只允许本人查看 */
	DETAIL_UNRECOGNISED, /* 200 but none of the known shapes: layout drift */
	DETAIL_LOGIN_REQUIRED /* the site's login wall instead of the page */
};

/* What a detail page adds to a complaint (黑猫 /complaint/view/{sn}/,
 * 聚投诉 getPostContent.do). */
struct complaint_detail {
	enum detail_kind kind;
	/* The whole complaint, when the detail carries it (聚投诉's post JSON
	 * has the full text, labels and demands a list lacks): stored through
	 * the list path, then the fields below applied.  NULL otherwise. */
	struct complaint *record;
	char *source_id;       /* 投诉编号 */
	char *merchant_id;     /* couid from the 投诉对象 link */
	char *merchant_name;   /* 投诉对象 without the 商家只有入驻... notice */
	char *title;
	char *progress;        /* 投诉进度 text: 处理中 / 已回复 / 已完成 ... */
	int64_t amount_fen;    /* 涉诉金额 "100元"; -1 unknown */
	int64_t posted_at;     /* 发布于 ...; 0 unknown */
	struct timeline_event *events;
	size_t n_events, cap_events;
	int64_t first_reply_at; /* first 回复 or 申请完成投诉 by the merchant; 0 never/unknown */
	bool merchant_replied;  /* the merchant replied (SCORING §1 "answered"), also when
				   the step has no date; the one place this rule lives */
	bool user_confirmed;    /* 确认完成 by the user */
	bool auto_completed;    /* 自动完成 by the platform */
	int stars[3];           /* 服务态度, 处理速度, 满意度 (0-5); -1 unknown */
};

/* True when a detail page of this kind told something about the complaint
 * (its facts, or that it is gone or private): the store applies it. */
bool detail_kind_known(enum detail_kind kind);

void complaint_detail_init(struct complaint_detail *d);
void complaint_detail_finish(struct complaint_detail *d);
struct timeline_event *complaint_detail_add_event(struct complaint_detail *d);

/* A merchant (黑猫 company) as /api/company/search returns it. */
struct merchant {
	char *id;             /* uid = couid */
	char *name;           /* title, tags removed */
	int64_t complaints;   /* complaint_amount; -1 unknown */
	int64_t recent_30d;   /* valid30d; -1 unknown */
};

struct merchant_list {
	struct merchant *items;
	size_t len, cap;
};

void merchant_list_init(struct merchant_list *l);
struct merchant *merchant_list_add(struct merchant_list *l);
void merchant_list_finish(struct merchant_list *l);

#endif
