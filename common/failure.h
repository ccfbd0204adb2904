/* What a failure means, in words a buyer understands.  A source's error is
 * stored as the technical one-line reason the lower layers wrote (stable
 * English, kept for watchdogs and scripts: "gave up after 4 attempt(s):
 * Failed to connect ..."); failure_words classifies it into one of a few
 * kinds and says that kind in the reader's language, so the Chinese output
 * never leaves a buyer with only the English detail. */
#ifndef KMREP_FAILURE_H
#define KMREP_FAILURE_H

/* The kind of failure error describes, translated (gettext): "the site
 * could not be reached", "the site blocked kmrep", ...; "the request
 * failed" when the text says nothing more precise, NULL for NULL or "". */
const char *failure_words(const char *error);

#endif
