/* The language of what kmrep prints for people: GNU gettext, domain "kmrep",
 * source strings in English, po/zh_CN.po for Chinese.  Data for scripts
 * (JSON keys, CSV headers, enum values) is never translated. */
#ifndef KMREP_I18N_H
#define KMREP_I18N_H

#include <libintl.h>

#define _(s) gettext(s)
#define N_(s) (s)
/* Marks s, said in context c (a msgctxt: "html" keeps the page's words apart
 * from the terminal's); looked up with i18n_pgettext. */
#define NC_(c, s) (s)

/* Chooses the language once, before anything is printed: lang_override
 * ("zh" or "en", from --lang) if not NULL, else the first non-empty of
 * $LANGUAGE, $LC_ALL, $LC_MESSAGES, $LANG: zh* is Chinese, anything else
 * English.  Only LC_MESSAGES is set from the environment (numbers keep the
 * C locale's decimal point); when the zh locale is not generated (a minimal
 * Debian), C.UTF-8 is used and $LANGUAGE set to zh_CN, so gettext still
 * finds the catalogue.  The catalogue is looked for in $KMREP_LOCALEDIR, else
 * in the build tree when this program runs from it, else in the install
 * localedir.  Returns 0, or -1 with a reason in err (ERRBUF_SIZE) for a
 * lang_override other than zh or en. */
int i18n_init(const char *lang_override, char *err);

/* "zh" or "en": the language i18n_init chose. */
const char *i18n_current(void);

/* The translation of msgid in context ctx (gettext's pgettext), msgid
 * itself when there is none. */
const char *i18n_pgettext(const char *ctx, const char *msgid);

#endif
