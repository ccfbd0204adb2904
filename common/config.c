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
#include "msg.h"
#include "xalloc.h"

#define DEFAULT_UA                                                                   \
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) " \
	"Chrome/131.0.0.0 Safari/537.36"

void
score_params_defaults(struct score_params *p)
{
#define X(name, def, doc) p->name = (def);
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

	cfg->heimao.enabled = true;
	cfg->heimao.base_url = xstrdup("https://tousu.sina.com.cn");
	cfg->heimao.min_interval_ms = 3000;
	cfg->heimao.max_pages = 50;

	cfg->icp.enabled = true;
	cfg->icp.base_url = xstrdup("https://hlwicpfwc.miit.gov.cn/icpproject_query/api");
	cfg->icp.min_interval_ms = 5000;
	cfg->icp.cache_days = 7;

	cfg->site.enabled = true;
	cfg->site.url_template = xstrdup("https://{domain}/");
	cfg->site.min_interval_ms = 1000;

	score_params_defaults(&cfg->score);
}

void
config_finish(struct config *cfg)
{
	if (!cfg)
		return;
	free(cfg->path);
	free(cfg->user_agent);
	free(cfg->heimao.base_url);
	free(cfg->heimao.cookie_file);
	free(cfg->icp.base_url);
	free(cfg->icp.captcha_command);
	free(cfg->site.url_template);
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
	{"heimao", "enabled", KEY_BOOL, OFF(heimao.enabled), 0, 0},
	{"heimao", "base_url", KEY_URL, OFF(heimao.base_url), 0, 0},
	{"heimao", "cookie_file", KEY_STRING, OFF(heimao.cookie_file), 0, 0},
	{"heimao", "min_interval_ms", KEY_LONG, OFF(heimao.min_interval_ms), 0, 3600000},
	{"heimao", "max_pages", KEY_LONG, OFF(heimao.max_pages), 1, 10000},
	{"icp", "enabled", KEY_BOOL, OFF(icp.enabled), 0, 0},
	{"icp", "base_url", KEY_URL, OFF(icp.base_url), 0, 0},
	{"icp", "min_interval_ms", KEY_LONG, OFF(icp.min_interval_ms), 0, 3600000},
	{"icp", "cache_days", KEY_LONG, OFF(icp.cache_days), 0, 3650},
	{"icp", "captcha_command", KEY_STRING, OFF(icp.captcha_command), 0, 0},
	{"icp", "captcha", KEY_CAPTCHA, OFF(icp.captcha), 0, 0},
	{"site", "enabled", KEY_BOOL, OFF(site.enabled), 0, 0},
	{"site", "url_template", KEY_URL, OFF(site.url_template), 0, 0},
	{"site", "min_interval_ms", KEY_LONG, OFF(site.min_interval_ms), 0, 3600000},
};
#undef OFF

struct parse_state {
	struct config *cfg;
	const char *path;
	FILE *fp;
	int line;
	char *err;
	int failed;
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

static int
set_key(struct parse_state *st, const struct key *k, const char *value)
{
	char *field = (char *)st->cfg + k->offset;
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
#define X(pname, def, doc)           \
	if (!strcmp(name, #pname))   \
		slot = &p->pname;
	SCORE_PARAMS(X)
#undef X
	if (!slot) {
		msg_warn("%s:%d: unknown key '%s' in [score] (ignored)", st->path, st->line, name);
		return 1;
	}
	char *end;
	errno = 0;
	double v = strtod(value, &end);
	if (errno || end == value || *end || !isfinite(v) || v < 0)
		return fail(st, "%s: '%s' is not a non-negative number", name, value);
	*slot = v;
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
			return set_key(st, &keys[i], value);
	}
	if (known_section)
		msg_warn("%s:%d: unknown key '%s' in [%s] (ignored)", st->path, st->line, name,
			 section);
	else
		msg_warn("%s:%d: unknown section [%s] (ignored)", st->path, st->line, section);
	return 1;
}

/* inih's line reader, wrapped to count lines (Debian builds inih without
 * INI_HANDLER_LINENO) and to refuse lines inih would silently split. */
static char *
read_line(char *str, int num, void *stream)
{
	struct parse_state *st = stream;
	if (!fgets(str, num, st->fp))
		return NULL;
	st->line++;
	size_t len = strlen(str);
	if (len == (size_t)num - 1 && str[len - 1] != '\n' && !feof(st->fp)) {
		fail(st, "line longer than %s bytes%s", "198", "");
		int c;
		while ((c = fgetc(st->fp)) != EOF && c != '\n')
			;
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
		return set_err(err, "cannot read config %s: %s", path, strerror(errno));
	}
	struct parse_state st = {.cfg = cfg, .path = path, .fp = fp, .err = err};
	int rc = ini_parse_stream(read_line, &st, on_key, &st);
	fclose(fp);
	if (st.failed)
		return -1;
	if (rc > 0)
		return set_err(err, "%s:%d: not a key = value line or [section]", path, rc);
	if (rc < 0)
		return set_err(err, "cannot parse config %s", path);
	if (!strstr(cfg->site.url_template, "{domain}"))
		return set_err(err, "%s: [site] url_template must contain {domain}", path);
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
	buf_puts(out, "\n[score]\n");
#define X(name, def, doc) buf_printf(out, "%s = %g\t; %s\n", #name, cfg->score.name, doc);
	SCORE_PARAMS(X)
#undef X
#define X(id, key, zh)                                                                  \
	if (cfg->score.keywords_extra[id])                                              \
		buf_printf(out, "keywords_%s = %s\n", #key, cfg->score.keywords_extra[id]);
	CATEGORIES(X)
#undef X
}
