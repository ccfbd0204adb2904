/* The registry: every source kmrep reads, in one list.  A source's name is
 * its config section, its --source name and the database's source column;
 * everything that lists sources (config, --source, messages, the views'
 * source health, the sample server) derives from this list, so adding a
 * source is one line in registry.c and its descriptor in sync/NAME.c. */
#ifndef KMREP_SYNC_REGISTRY_H
#define KMREP_SYNC_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>

/* What a source tells about a platform. */
enum source_kind {
	SOURCE_COMPLAINTS, /* a complaint site: merchants, their complaint lists, details */
	SOURCE_FILING,     /* the ICP registry: who the platform's domains are filed to */
	SOURCE_HOMEPAGE,   /* the platform's own home page: what it claims */
};

/* At most this many sources (arrays indexed by registry position). */
#define SOURCE_MAX 8

struct source_desc;

struct source_info {
	const char *name;        /* "heimao": config section, --source, database */
	const char *title;       /* "黑猫投诉": how people call it */
	const char *short_title; /* "黑猫": in running text */
	enum source_kind kind;
	const char *complain_url; /* complaint sites: where a buyer files one; else NULL */
	const char *pin_option;  /* complaint sites: the add option that binds a merchant
				    id ("heimao-couid"); else NULL */
	const char *pin_url_mark; /* ... which also takes a merchant page's URL: the id is
				     the digits after this mark ("couid=") */
	const struct source_desc *desc; /* how sync/ reads it (sync/source.h) */
};

/* The sources in display order; registry_count() entries. */
extern const struct source_info registry[];
size_t registry_count(void);

/* The index of the source named name, or -1. */
int registry_find(const char *name);

/* The first source of kind, or -1. */
int registry_first(enum source_kind kind);

/* Writes "heimao, icp, site" into out. */
void registry_names(char *out, size_t size);

/* Declares the config sections of the sources that have their own
 * (complaint sites); call after config_defaults, before config_load. */
struct config;
void registry_declare_config(struct config *cfg);

/* Parses "heimao,icp" into set[0..registry_count()); returns -1 with err on
 * an unknown name or an empty list. */
int registry_parse_list(const char *list, bool set[SOURCE_MAX], char *err);

#endif
