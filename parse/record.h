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
	DETAIL_UNRECOGNISED /* 200 but none of the known shapes: layout drift */
};

/* What a 黑猫 detail page /complaint/view/{sn}/ adds to a complaint. */
struct complaint_detail {
	enum detail_kind kind;
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
	bool user_confirmed;    /* 确认完成 by the user */
	bool auto_completed;    /* 自动完成 by the platform */
	int stars[3];           /* 服务态度, 处理速度, 满意度 (0-5); -1 unknown */
};

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
