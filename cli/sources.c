#include "sources.h"

#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "xalloc.h"

const char *const source_names[N_SOURCES] = {"heimao", "icp", "site"};

int
sources_parse(const char *list, bool set[N_SOURCES], char *err)
{
	for (size_t i = 0; i < N_SOURCES; i++)
		set[i] = false;
	char *copy = xstrdup(list), *save = NULL;
	int rc = 0, any = 0;
	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		size_t i;
		for (i = 0; i < N_SOURCES; i++)
			if (!strcmp(tok, source_names[i]))
				break;
		if (i == N_SOURCES) {
			rc = set_err(err, "unknown source '%s' (known: heimao, icp, site)", tok);
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
