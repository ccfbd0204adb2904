#include "i18n.h"

#include <limits.h>
#include <locale.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"

/* True for a Chinese locale name (zh, zh_CN.UTF-8, zh_TW) or a LANGUAGE list
 * whose first entry is one (zh_CN:en). */
static bool
locale_is_chinese(const char *name)
{
	return name && !strncmp(name, "zh", 2) && (name[2] == '\0' || name[2] == '_' ||
						    name[2] == '.' || name[2] == ':' ||
						    name[2] == '@' || name[2] == '-');
}

/* Where the catalogue is: $KMREP_LOCALEDIR, the build tree's po/ when this
 * executable lives under the build directory (tests, the demo), else the
 * install localedir. */
static const char *
catalogue_dir(char *buf, size_t size)
{
	const char *env = getenv("KMREP_LOCALEDIR");
	if (env && *env)
		return env;
	ssize_t n = readlink("/proc/self/exe", buf, size - 1);
	size_t root = strlen(KMREP_BUILD_ROOT);
	if (n > 0 && (size_t)n > root && !strncmp(buf, KMREP_BUILD_ROOT, root) && buf[root] == '/')
		return KMREP_BUILD_ROOT "/po";
	return KMREP_LOCALEDIR;
}

int
i18n_init(const char *lang_override, char *err)
{
	bool zh;
	if (lang_override) {
		if (!strcmp(lang_override, "zh"))
			zh = true;
		else if (!strcmp(lang_override, "en"))
			zh = false;
		else
			return set_err(err, "--lang takes zh or en, not '%s'", lang_override);
	} else {
		static const char *const vars[] = {"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"};
		const char *name = NULL;
		for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]) && !name; i++) {
			const char *v = getenv(vars[i]);
			if (v && *v)
				name = v;
		}
		zh = locale_is_chinese(name);
	}
	if (zh) {
		/* gettext ignores $LANGUAGE in the "C" locale, which is what an
		 * ungenerated zh_CN.UTF-8 falls back to: C.UTF-8 is always there. */
		const char *got = setlocale(LC_MESSAGES, "");
		if (!got || !strcmp(got, "C") || !strcmp(got, "POSIX"))
			setlocale(LC_MESSAGES, "C.UTF-8");
		setenv("LANGUAGE", "zh_CN", 1);
	} else {
		setlocale(LC_MESSAGES, "");
		setenv("LANGUAGE", "en", 1);
	}
	char buf[PATH_MAX];
	bindtextdomain("kmrep", catalogue_dir(buf, sizeof(buf)));
	bind_textdomain_codeset("kmrep", "UTF-8");
	textdomain("kmrep");
	return 0;
}

const char *
i18n_current(void)
{
	return locale_is_chinese(getenv("LANGUAGE")) ? "zh" : "en";
}

const char *
i18n_pgettext(const char *ctx, const char *msgid)
{
	char small[512];
	size_t c = strlen(ctx), m = strlen(msgid);
	char *key = c + m + 2 <= sizeof(small) ? small : malloc(c + m + 2);
	if (!key)
		return msgid;
	memcpy(key, ctx, c);
	key[c] = '\004'; /* gettext's context separator */
	memcpy(key + c + 1, msgid, m + 1);
	const char *t = gettext(key);
	if (t == key)
		t = msgid;
	if (key != small)
		free(key);
	return t;
}
