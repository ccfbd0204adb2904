#include "config.h"

#include <errno.h>
#include <ini.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "err.h"
#include "i18n.h"
#include "msg.h"
#include "xalloc.h"

#define DEFAULT_UA                                                                   \
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) " \
	"Chrome/131.0.0.0 Safari/537.36"

void
score_params_defaults(struct score_params *p)
{
#define X(name, def, range, doc) p->name = (def);
	SCORE_PARAMS(X)
#undef X
	for (int i = 0; i < CAT_COUNT; i++)
		p->keywords_extra[i] = NULL;
}

void
config_defaults(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->user_agent = xstrdup(DEFAULT_UA);
	cfg->timeout_s = 30;
	cfg->connect_timeout_s = 10;
	cfg->max_body_kib = 8192;
	cfg->low_speed_bps = 100;
	cfg->low_speed_time_s = 10;
	cfg->max_retries = 3;
	cfg->retry_base_ms = 1000;
	cfg->retry_max_ms = 60000;

	cfg->icp.enabled = true;
	cfg->icp.base_url = xstrdup("https://hlwicpfwc.miit.gov.cn/icpproject_query/api");
	cfg->icp.min_interval_ms = 5000;
	cfg->icp.cache_days = 7;

	cfg->site.enabled = true;
	cfg->site.url_template = xstrdup("https://{domain}/");
	cfg->site.min_interval_ms = 1000;

	cfg->discover.keywords = xstrdup("卡盟,发卡,卡密,点卡,自动发卡,代充");
	cfg->discover.max_pages = 3;
	cfg->discover.max_details = 30;
	cfg->discover.name_pattern = xstrdup("卡盟|发卡|卡网|点卡|卡密|代充|寄售|卡商");
	cfg->discover.text_pattern = xstrdup("卡密|点卡|发卡|代充|充值卡|激活码|兑换码|卡盟");
	cfg->discover.exclude_pattern =
		xstrdup("官方|旗舰店|银行|信用卡|支付|电信|移动|联通|营业厅|游戏公司");
	cfg->discover.ignore = xstrdup("");

	score_params_defaults(&cfg->score);
}

void
config_finish(struct config *cfg)
{
	if (!cfg)
		return;
	free(cfg->path);
	free(cfg->user_agent);
	for (size_t i = 0; i < CONFIG_MAX_SITES; i++) {
		free(cfg->sites[i].base_url);
		free(cfg->sites[i].cookie_file);
	}
	free(cfg->icp.base_url);
	free(cfg->icp.captcha_command);
	free(cfg->site.url_template);
	free(cfg->discover.keywords);
	free(cfg->discover.name_pattern);
	free(cfg->discover.text_pattern);
	free(cfg->discover.exclude_pattern);
	free(cfg->discover.ignore);
	for (int i = 0; i < CAT_COUNT; i++)
		free(cfg->score.keywords_extra[i]);
	memset(cfg, 0, sizeof(*cfg));
}

enum key_type { KEY_STRING, KEY_URL, KEY_LONG, KEY_BOOL, KEY_CAPTCHA };

struct key {
	const char *section;
	const char *name;
	enum key_type type;
	size_t offset;
	long min, max; /* KEY_LONG only */
};

#define OFF(field) offsetof(struct config, field)
static const struct key keys[] = {
	{"general", "user_agent", KEY_STRING, OFF(user_agent), 0, 0},
	{"general", "timeout_s", KEY_LONG, OFF(timeout_s), 1, 3600},
	{"general", "connect_timeout_s", KEY_LONG, OFF(connect_timeout_s), 1, 600},
	{"general", "max_body_kib", KEY_LONG, OFF(max_body_kib), 1, 1024 * 1024},
	{"general", "low_speed_bps", KEY_LONG, OFF(low_speed_bps), 0, 1 << 30},
	{"general", "low_speed_time_s", KEY_LONG, OFF(low_speed_time_s), 1, 3600},
	{"general", "max_retries", KEY_LONG, OFF(max_retries), 0, 10},
	{"general", "retry_base_ms", KEY_LONG, OFF(retry_base_ms), 0, 600000},
	{"general", "retry_max_ms", KEY_LONG, OFF(retry_max_ms), 0, 3600000},
	{"icp", "enabled", KEY_BOOL, OFF(icp.enabled), 0, 0},
	{"icp", "base_url", KEY_URL, OFF(icp.base_url), 0, 0},
	{"icp", "min_interval_ms", KEY_LONG, OFF(icp.min_interval_ms), 0, 3600000},
	{"icp", "cache_days", KEY_LONG, OFF(icp.cache_days), 0, 3650},
	{"icp", "captcha_command", KEY_STRING, OFF(icp.captcha_command), 0, 0},
	{"icp", "captcha", KEY_CAPTCHA, OFF(icp.captcha), 0, 0},
	{"site", "enabled", KEY_BOOL, OFF(site.enabled), 0, 0},
	{"site", "url_template", KEY_URL, OFF(site.url_template), 0, 0},
	{"site", "min_interval_ms", KEY_LONG, OFF(site.min_interval_ms), 0, 3600000},
	{"discover", "keywords", KEY_STRING, OFF(discover.keywords), 0, 0},
	{"discover", "max_pages", KEY_LONG, OFF(discover.max_pages), 1, 50},
	{"discover", "max_details", KEY_LONG, OFF(discover.max_details), 0, 1000},
	{"discover", "name_pattern", KEY_STRING, OFF(discover.name_pattern), 0, 0},
	{"discover", "text_pattern", KEY_STRING, OFF(discover.text_pattern), 0, 0},
	{"discover", "exclude_pattern", KEY_STRING, OFF(discover.exclude_pattern), 0, 0},
	{"discover", "ignore", KEY_STRING, OFF(discover.ignore), 0, 0},
};
#undef OFF

/* The keys of every complaint site's section, at offsets in its struct. */
#define SITE(field) offsetof(struct complaint_config, field)
static const struct key site_keys[] = {
	{NULL, "enabled", KEY_BOOL, SITE(enabled), 0, 0},
	{NULL, "base_url", KEY_URL, SITE(base_url), 0, 0},
	{NULL, "cookie_file", KEY_STRING, SITE(cookie_file), 0, 0},
	{NULL, "min_interval_ms", KEY_LONG, SITE(min_interval_ms), 0, 3600000},
	{NULL, "max_pages", KEY_LONG, SITE(max_pages), 1, 10000},
	{NULL, "required", KEY_BOOL, SITE(required), 0, 0},
};
#undef SITE

enum score_param_index {
#define X(name, def, range, doc) PARAM_##name,
	SCORE_PARAMS(X)
#undef X
	N_SCORE_PARAMS
};

struct parse_state {
	struct config *cfg;
	const char *path;
	FILE *fp;
	int line;
	char *err;
	int failed;
	int score_line[N_SCORE_PARAMS]; /* where each [score] key was set; 0 default */
};

static int
fail(struct parse_state *st, const char *fmt, const char *a, const char *b)
{
	if (!st->failed) {
		char reason[ERRBUF_SIZE];
		snprintf(reason, sizeof(reason), fmt, a, b);
		set_err(st->err, "%s:%d: %s", st->path, st->line, reason);
	}
	st->failed = 1;
	return 0;
}

static int
parse_bool(const char *v, bool *out)
{
	static const char *yes[] = {"true", "yes", "on", "1"};
	static const char *no[] = {"false", "no", "off", "0"};
	for (size_t i = 0; i < 4; i++) {
		if (!strcasecmp(v, yes[i])) {
			*out = true;
			return 0;
		}
		if (!strcasecmp(v, no[i])) {
			*out = false;
			return 0;
		}
	}
	return -1;
}

/* Sets the key k of the struct at base (the config, or a site's section). */
static int
set_key(struct parse_state *st, void *base, const struct key *k, const char *value)
{
	char *field = (char *)base + k->offset;
	switch (k->type) {
	case KEY_URL:
		if (strncmp(value, "http://", 7) && strncmp(value, "https://", 8))
			return fail(st, "%s: '%s' is not an http:// or https:// URL", k->name, value);
		/* fall through */
	case KEY_STRING: {
		char **s = (char **)field;
		free(*s);
		*s = *value ? xstrdup(value) : NULL;
		if (!*s && k->type != KEY_STRING)
			return fail(st, "%s: %s must not be empty", k->name, "");
		return 1;
	}
	case KEY_LONG: {
		char *end;
		errno = 0;
		long v = strtol(value, &end, 10);
		if (errno || end == value || *end || v < k->min || v > k->max) {
			char range[64];
			snprintf(range, sizeof(range), "a whole number from %ld to %ld", k->min, k->max);
			return fail(st, "%s: expected %s", k->name, range);
		}
		*(long *)field = v;
		return 1;
	}
	case KEY_BOOL:
		if (parse_bool(value, (bool *)field) < 0)
			return fail(st, "%s: '%s' is not true or false", k->name, value);
		return 1;
	case KEY_CAPTCHA: {
		static const char *const modes[] = {"builtin", "command", "off"};
		for (int i = 0; i < 3; i++) {
			if (!strcasecmp(value, modes[i])) {
				*(enum captcha_mode *)field = (enum captcha_mode)i;
				return 1;
			}
		}
		return fail(st, "%s: '%s' is not builtin, command or off", k->name, value);
	}
	}
	return 1;
}

/* A plain decimal number ("180", "0.5", "2.5e1"): no hex floats, no inf
 * or nan, nothing strtod would take beyond that.  0 or -1. */
static int
parse_decimal(const char *s, double *out)
{
	size_t i = 0, digits = 0;
	if (s[i] == '+' || s[i] == '-')
		i++;
	for (; (s[i] >= '0' && s[i] <= '9') || s[i] == '.'; i++)
		digits += s[i] != '.';
	if (!digits)
		return -1;
	if (s[i] == 'e' || s[i] == 'E') {
		i++;
		if (s[i] == '+' || s[i] == '-')
			i++;
		if (!(s[i] >= '0' && s[i] <= '9'))
			return -1;
		while (s[i] >= '0' && s[i] <= '9')
			i++;
	}
	if (s[i])
		return -1;
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || *end || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

/* NULL when v lies in range r, else what the range allows. */
static const char *
range_refusal(enum score_range r, double v)
{
	switch (r) {
	case RANGE_DAYS:
		return v > 0 && v <= 36500 ? NULL : "a number of days above 0, at most 36500";
	case RANGE_HOURS:
		return v > 0 && v <= 87600 ? NULL : "a number of hours above 0, at most 87600";
	case RANGE_SHARE:
		return v >= 0 && v <= 1 ? NULL : "a share from 0 to 1";
	case RANGE_BELOW_ONE:
		return v >= 0 && v < 1 ? NULL : "a number from 0 to less than 1";
	case RANGE_PROBABILITY:
		return v > 0 && v < 1 ? NULL : "a probability above 0 and below 1";
	case RANGE_POINTS:
		return v >= 0 && v <= 100 ? NULL : "points from 0 to 100";
	case RANGE_COUNT:
		return v >= 0 && v <= 1000000 ? NULL : "a number from 0 to 1000000";
	case RANGE_POSITIVE:
		return v > 0 && v <= 1000000 ? NULL : "a number above 0, at most 1000000";
	}
	return "a valid value";
}

/* Pairs of constants whose order matters: lower must not exceed upper. */
static const struct {
	int lower, upper;
	const char *lower_name, *upper_name;
} score_orders[] = {
	{PARAM_reply_fast_hours, PARAM_reply_slow_hours, "reply_fast_hours", "reply_slow_hours"},
	{PARAM_avoid_below, PARAM_caution_below, "avoid_below", "caution_below"},
	{PARAM_confidence_medium, PARAM_confidence_high, "confidence_medium", "confidence_high"},
};

/* The value of constant index in p. */
static double
score_param(const struct score_params *p, int index)
{
	switch (index) {
#define X(name, def, range, doc)  \
	case PARAM_##name:        \
		return p->name;
		SCORE_PARAMS(X)
#undef X
	}
	return 0;
}

/* Refuses [score] values that are each in range but out of order, at the
 * line of the later of the two. */
static int
check_score_orders(const struct parse_state *st, char *err)
{
	const struct score_params *p = &st->cfg->score;
	for (size_t i = 0; i < sizeof(score_orders) / sizeof(score_orders[0]); i++) {
		double lo = score_param(p, score_orders[i].lower);
		double hi = score_param(p, score_orders[i].upper);
		if (lo <= hi)
			continue;
		int a = st->score_line[score_orders[i].lower], b = st->score_line[score_orders[i].upper];
		return set_err(err, "%s:%d: %s (%g) must not be above %s (%g)", st->path,
			       a > b ? a : b, score_orders[i].lower_name, lo,
			       score_orders[i].upper_name, hi);
	}
	return 0;
}

static int
set_score_key(struct parse_state *st, const char *name, const char *value)
{
	struct score_params *p = &st->cfg->score;
#define X(id, key, zh)                                                      \
	if (!strcmp(name, "keywords_" #key)) {                              \
		free(p->keywords_extra[id]);                                \
		p->keywords_extra[id] = *value ? xstrdup(value) : NULL;     \
		return 1;                                                   \
	}
	CATEGORIES(X)
#undef X
	double *slot = NULL;
	enum score_range range = RANGE_COUNT;
	int index = -1;
#define X(pname, def, rng, doc)              \
	if (!strcmp(name, #pname)) {         \
		slot = &p->pname;            \
		range = RANGE_##rng;         \
		index = PARAM_##pname;       \
	}
	SCORE_PARAMS(X)
#undef X
	if (!slot) {
		msg_warn(_("%s:%d: unknown key '%s' in [score] (ignored)"), st->path, st->line, name);
		return 1;
	}
	double v;
	if (parse_decimal(value, &v) < 0)
		return fail(st, "%s: '%s' is not a decimal number", name, value);
	const char *allowed = range_refusal(range, v);
	if (allowed)
		return fail(st, "%s: expected %s", name, allowed);
	*slot = v;
	st->score_line[index] = st->line;
	return 1;
}

static int
on_key(void *user, const char *section, const char *name, const char *value)
{
	struct parse_state *st = user;
	if (!strcmp(section, "score"))
		return set_score_key(st, name, value);
	int known_section = 0;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (strcmp(keys[i].section, section))
			continue;
		known_section = 1;
		if (!strcmp(keys[i].name, name))
			return set_key(st, st->cfg, &keys[i], value);
	}
	struct complaint_config *site = (struct complaint_config *)config_site(st->cfg, section);
	for (size_t i = 0; site && i < sizeof(site_keys) / sizeof(site_keys[0]); i++) {
		known_section = 1;
		if (!strcmp(site_keys[i].name, name))
			return set_key(st, site, &site_keys[i], value);
	}
	if (known_section)
		msg_warn(_("%s:%d: unknown key '%s' in [%s] (ignored)"), st->path, st->line, name,
			 section);
	else
		msg_warn(_("%s:%d: unknown section [%s] (ignored)"), st->path, st->line, section);
	return 1;
}

/* inih's line reader, wrapped to count lines (Debian builds inih without
 * INI_HANDLER_LINENO) and to refuse lines inih would silently split or cut:
 * longer than its buffer, or holding a NUL byte. */
static char *
read_line(char *str, int num, void *stream)
{
	struct parse_state *st = stream;
	size_t len = 0;
	int c = EOF, nul = 0;
	while (len + 1 < (size_t)num && (c = getc(st->fp)) != EOF) {
		nul |= c == '\0';
		str[len++] = (char)c;
		if (c == '\n')
			break;
	}
	if (len == 0)
		return NULL;
	str[len] = '\0';
	st->line++;
	int too_long = len + 1 == (size_t)num && c != '\n' && !feof(st->fp);
	if (too_long || nul) {
		if (too_long)
			fail(st, "line longer than %s bytes%s", "198", "");
		else
			fail(st, "a NUL byte in the line%s%s", "", "");
		while (c != '\n' && c != EOF)
			c = getc(st->fp);
		str[0] = '\0';
	}
	return str;
}

int
config_load(struct config *cfg, const char *path, bool missing_ok, char *err)
{
	FILE *fp = fopen(path, "r");
	if (!fp) {
		if (errno == ENOENT && missing_ok)
			return 0;
		return set_err(err, _("cannot read config %s: %s"), path, strerror(errno));
	}
	struct parse_state st = {.cfg = cfg, .path = path, .fp = fp, .err = err};
	int rc = ini_parse_stream(read_line, &st, on_key, &st);
	fclose(fp);
	if (st.failed)
		return -1;
	if (rc > 0)
		return set_err(err, _("%s:%d: not a key = value line or [section]"), path, rc);
	if (rc < 0)
		return set_err(err, "cannot parse config %s", path);
	if (check_score_orders(&st, err) < 0)
		return -1;
	if (!strstr(cfg->site.url_template, "{domain}"))
		return set_err(err, _("%s: [site] url_template must contain {domain}"), path);
	free(cfg->path);
	cfg->path = xstrdup(path);
	return 0;
}

static char *
xdg_path(const char *env, const char *xdg, const char *fallback, const char *leaf)
{
	const char *v = getenv(env);
	if (v && *v)
		return xstrdup(v);
	v = getenv(xdg);
	if (v && *v == '/')
		return xasprintf("%s/kmrep/%s", v, leaf);
	const char *home = getenv("HOME");
	if (!home || !*home)
		return NULL;
	return xasprintf("%s/%s/kmrep/%s", home, fallback, leaf);
}

char *
config_default_db_path(void)
{
	return xdg_path("KMREP_DB", "XDG_DATA_HOME", ".local/share", "kmrep.db");
}

char *
config_default_config_path(void)
{
	return xdg_path("KMREP_CONFIG", "XDG_CONFIG_HOME", ".config", "config.ini");
}

void
config_add_site(struct config *cfg, const char *section, const char *base_url,
		long min_interval_ms)
{
	for (size_t i = 0; i < CONFIG_MAX_SITES; i++) {
		struct complaint_config *c = &cfg->sites[i];
		if (c->section)
			continue;
		c->section = section;
		c->enabled = true;
		c->base_url = xstrdup(base_url);
		c->min_interval_ms = min_interval_ms;
		c->max_pages = 50;
		c->required = true;
		return;
	}
	abort(); /* more sites than CONFIG_MAX_SITES: a build error, not a user's */
}

const struct complaint_config *
config_site(const struct config *cfg, const char *section)
{
	for (size_t i = 0; i < CONFIG_MAX_SITES && cfg->sites[i].section; i++)
		if (!strcmp(cfg->sites[i].section, section))
			return &cfg->sites[i];
	return NULL;
}

void
config_dump(const struct config *cfg, struct buf *out)
{
	const char *section = "";
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const struct key *k = &keys[i];
		if (strcmp(section, k->section)) {
			section = k->section;
			buf_printf(out, "%s[%s]\n", i ? "\n" : "", section);
		}
		const char *field = (const char *)cfg + k->offset;
		switch (k->type) {
		case KEY_STRING:
		case KEY_URL: {
			const char *s = *(char *const *)field;
			/* The cookie file name is fine to show; its contents never are. */
			buf_printf(out, "%s = %s\n", k->name, s ? s : "");
			break;
		}
		case KEY_LONG:
			buf_printf(out, "%s = %ld\n", k->name, *(const long *)field);
			break;
		case KEY_BOOL:
			buf_printf(out, "%s = %s\n", k->name, *(const bool *)field ? "true" : "false");
			break;
		case KEY_CAPTCHA: {
			static const char *const modes[] = {"builtin", "command", "off"};
			buf_printf(out, "%s = %s\n", k->name,
				   modes[*(const enum captcha_mode *)field]);
			break;
		}
		}
	}
	for (size_t i = 0; i < CONFIG_MAX_SITES && cfg->sites[i].section; i++) {
		const struct complaint_config *c = &cfg->sites[i];
		buf_printf(out, "\n[%s]\nenabled = %s\nbase_url = %s\ncookie_file = %s\n"
			   "min_interval_ms = %ld\nmax_pages = %ld\nrequired = %s\n",
			   c->section, c->enabled ? "true" : "false", c->base_url,
			   c->cookie_file ? c->cookie_file : "", c->min_interval_ms, c->max_pages,
			   c->required ? "true" : "false");
	}
	buf_puts(out, "\n[score]\n");
#define X(name, def, range, doc) buf_printf(out, "%s = %g\t; %s\n", #name, cfg->score.name, doc);
	SCORE_PARAMS(X)
#undef X
#define X(id, key, zh)                                                                  \
	if (cfg->score.keywords_extra[id])                                              \
		buf_printf(out, "keywords_%s = %s\n", #key, cfg->score.keywords_extra[id]);
	CATEGORIES(X)
#undef X
}
