/* The names, domains and merchant ids a user gives for a platform, checked
 * and normalised before they reach the store (add, and check of an unknown
 * platform). */
#ifndef KMREP_CLI_PLATFORM_INPUT_H
#define KMREP_CLI_PLATFORM_INPUT_H

#include <stddef.h>
#include <stdint.h>

struct store;

struct platform_input {
	char *name;
	char **domains;
	size_t n_domains, cap_domains;
	char **aliases;
	size_t n_aliases, cap_aliases;
	struct pin {
		size_t source;  /* registry position of the complaint site */
		char *id;       /* the merchant id there */
	} *pins;
	size_t n_pins, cap_pins;
};

void platform_input_init(struct platform_input *in);
void platform_input_finish(struct platform_input *in);
/* Each returns 0, or -1 with a one-line reason for bad input. */
int platform_input_set_name(struct platform_input *in, const char *name, char *err);
/* Accepts a bare domain, www.domain or a URL; stores the lowercase host. */
int platform_input_add_domain(struct platform_input *in, const char *domain, char *err);
int platform_input_add_alias(struct platform_input *in, const char *alias, char *err);
/* A merchant id on the complaint site at registry position source
 * (add --SITE-ID): decimal digits only. */
int platform_input_add_pin(struct platform_input *in, size_t source, const char *id, char *err);
/* Adds or merges the platform and pins its merchants, in one transaction.
 * Returns 0, -ERR_CONFLICT (a name or domain is another platform's) or -1. */
int platform_input_save(const struct platform_input *in, struct store *st, int64_t now,
			int64_t *id, int *created, char *err);

/* True when s looks like a domain or URL rather than a platform name. */
int looks_like_domain(const char *s);

#endif
