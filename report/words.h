/* The buyer's words for the values scripts read as enums, shared by the
 * text renderers (check's text, the complaints table). */
#ifndef KMREP_REPORT_WORDS_H
#define KMREP_REPORT_WORDS_H

#include "parse/category.h"

/* A category in the reader's language: the 卡盟 trade's Chinese words would
 * be unreadable in English, so they go through the catalogue. */
const char *category_words(enum category c);

#endif
