/* The configuration: SPEC §3 read from an INI file with inih, falling back to
 * built-in defaults.  After config_load it is read-only, and it is the only
 * global state kmrep has (besides the signal flag). */
#ifndef KMREP_CONFIG_H
#define KMREP_CONFIG_H

#include <stdbool.h>

#include "score_params.h"

/* [icp] captcha: who answers the registry's slider captcha. */
enum captcha_mode {
	CAPTCHA_BUILTIN = 0, /* the solver in parse/slider.c */
	CAPTCHA_COMMAND,     /* only captcha_command (none configured: no solver) */
	CAPTCHA_OFF          /* never: a captcha wall leaves the answer unknown */
};

#define CONFIG_MAX_SITES 8

struct config {
	char *path; /* the file that was read; NULL when built-in defaults */

	/* [general] */
	char *user_agent;
	long timeout_s;       /* whole-transfer limit */
	long connect_timeout_s;
	long max_body_kib;    /* also after decompression */
	long low_speed_bps;   /* slower than this ... */
	long low_speed_time_s; /* ... for this long aborts the transfer */
	long max_retries;     /* on timeouts, 5xx and 429 */
	long retry_base_ms;   /* first backoff; doubles each retry, with jitter */
	long retry_max_ms;    /* cap of one backoff, Retry-After included */

	/* One section per complaint site, declared by sync/ (the registry)
	 * with config_add_site before config_load; every site has these keys. */
	struct complaint_config {
		const char *section; /* the site's registry name; NULL: slot unused */
		bool enabled;
		char *base_url;
		char *cookie_file; /* NULL: anonymous */
		long min_interval_ms;
		long max_pages;
		/* SCORING §7: a failing complaint source holds the verdict at
		 * caution.  false: the user reads the site as a bonus; its state is
		 * still shown, it no longer holds the verdict back. */
		bool required;
	} sites[CONFIG_MAX_SITES];

	struct {
		bool enabled;
		char *base_url;
		long min_interval_ms;
		long cache_days;
		char *captcha_command; /* external slider solver; NULL: none (see cli/captcha.h) */
		enum captcha_mode captcha; /* captcha_command, when set, wins over it */
	} icp;

	struct {
		bool enabled;
		char *url_template; /* {domain} is replaced */
		long min_interval_ms;
	} site;

	/* `kmrep discover` (report/discover.c has the rule): the words it
	 * searches for, how deep, and what looks like a card platform. */
	struct {
		char *keywords;        /* comma-separated */
		long max_pages;        /* per word, and of a site's feed */
		long max_details;      /* detail pages per site whose hits name no merchant */
		char *name_pattern;    /* PCRE2: a merchant name that says card platform */
		char *text_pattern;    /* PCRE2: complaint text about cards and top-ups */
		char *exclude_pattern; /* PCRE2: names the text rule never lists (official
					  stores, banks, carriers) */
		char *ignore;          /* comma-separated merchant names never listed */
	} discover;

	struct score_params score;
};

/* Fills cfg with the built-in defaults (no complaint site yet). */
void config_defaults(struct config *cfg);

/* Declares complaint site section (a static string) with its defaults:
 * enabled, base_url, min_interval_ms, max_pages 50, no cookie file. */
void config_add_site(struct config *cfg, const char *section, const char *base_url,
		     long min_interval_ms);

/* The values of complaint site section, or NULL when it was not declared. */
const struct complaint_config *config_site(const struct config *cfg, const char *section);

/* Loads path over the defaults.  A missing file is not an error when
 * missing_ok (the default location); unknown keys are warned about with
 * their line number; a bad value fails with "FILE:LINE: reason" in err.
 * Returns 0 or -1.  cfg must be released with config_finish. */
int config_load(struct config *cfg, const char *path, bool missing_ok, char *err);

void config_finish(struct config *cfg);

/* The default paths of SPEC §2 (caller frees): $KMREP_DB, else
 * $XDG_DATA_HOME/kmrep/kmrep.db, else ~/.local/share/kmrep/kmrep.db; likewise
 * $KMREP_CONFIG / $XDG_CONFIG_HOME/kmrep/config.ini.  NULL when neither a
 * variable nor HOME is set. */
char *config_default_db_path(void);
char *config_default_config_path(void);

/* Writes the effective configuration as INI (for `kmrep config` / --explain). */
struct buf;
void config_dump(const struct config *cfg, struct buf *out);

#endif
