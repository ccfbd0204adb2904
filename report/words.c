#include "words.h"

#include "i18n.h"

const char *
category_words(enum category c)
{
	static const char *const words[CAT_COUNT] = {
		N_("runaway"), N_("fraud"), N_("withdrawal blocked"), N_("support unreachable"),
		N_("invalid card key"), N_("not delivered"), N_("refund refused"),
		N_("false advertising"), N_("other"),
	};
	return (unsigned)c < CAT_COUNT ? _(words[c]) : _(words[CAT_OTHER]);
}
