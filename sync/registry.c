#include "registry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "source.h"
#include "xalloc.h"

/* The descriptors, each in its sync/NAME.c. */
extern const struct source_desc heimao_source, jutousu_source, icp_source, site_source;

/* One line per source, in the order they are shown. */
const struct source_info registry[] = {
	{"heimao", "黑猫投诉", "黑猫", SOURCE_COMPLAINTS, "https://tousu.sina.com.cn/",
	 "heimao-couid", "couid=", &heimao_source},
	{"jutousu", "聚投诉", "聚投诉", SOURCE_COMPLAINTS, "https://ts.21cn.com/",
	 "jutousu-id", "/merchant/show/id/", &jutousu_source},
	{"icp", "ICP 备案", "ICP", SOURCE_FILING, NULL, NULL, NULL, &icp_source},
	{"site", "官网", "官网", SOURCE_HOMEPAGE, NULL, NULL, NULL, &site_source},
};

size_t
registry_count(void)
{
	return sizeof(registry) / sizeof(registry[0]);
}

int
registry_find(const char *name)
{
	for (size_t i = 0; i < registry_count(); i++)
		if (!strcmp(registry[i].name, name))
			return (int)i;
	return -1;
}

int
registry_first(enum source_kind kind)
{
	for (size_t i = 0; i < registry_count(); i++)
		if (registry[i].kind == kind)
			return (int)i;
	return -1;
}

void
registry_names(char *out, size_t size)
{
	size_t len = 0;
	*out = 0;
	for (size_t i = 0; i < registry_count() && len < size; i++)
		len += (size_t)snprintf(out + len, size - len, "%s%s", i ? ", " : "",
					registry[i].name);
}

void
registry_declare_config(struct config *cfg)
{
	for (size_t i = 0; i < registry_count(); i++)
		if (registry[i].desc->complaints)
			config_add_site(cfg, registry[i].name, registry[i].desc->complaints->default_base_url,
					registry[i].desc->complaints->default_interval_ms);
		else if (registry[i].desc->declare_config)
			registry[i].desc->declare_config(cfg);
}

int
registry_parse_list(const char *list, bool set[SOURCE_MAX], char *err)
{
	for (size_t i = 0; i < SOURCE_MAX; i++)
		set[i] = false;
	char *copy = xstrdup(list), *save = NULL;
	int rc = 0, any = 0;
	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int i = registry_find(tok);
		if (i < 0) {
			char names[128];
			registry_names(names, sizeof(names));
			rc = set_err(err, "unknown source '%s' (known: %s)", tok, names);
			break;
		}
		set[i] = true;
		any = 1;
	}
	if (!rc && !any)
		rc = set_err(err, "empty source list");
	free(copy);
	return rc;
}
