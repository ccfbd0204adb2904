#include "harness.h"

int harness_failures;

char *
harness_path(const char *rel)
{
	if (rel[0] == '/')
		return strdup(rel);
	const char *root = getenv("KMREP_SRCDIR");
	if (!root)
		root = ".";
	size_t n = strlen(root) + strlen(rel) + 2;
	char *p = malloc(n);
	if (!p)
		abort();
	snprintf(p, n, "%s/%s", root, rel);
	return p;
}

char *
harness_read_file(const char *path, size_t *len)
{
	char *full = harness_path(path);
	FILE *fp = fopen(full, "rb");
	if (!fp) {
		fprintf(stderr, "cannot open fixture %s\n", full);
		exit(1);
	}
	fseek(fp, 0, SEEK_END);
	long n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	char *data = malloc((size_t)n + 1);
	if (!data || fread(data, 1, (size_t)n, fp) != (size_t)n)
		abort();
	data[n] = '\0';
	fclose(fp);
	free(full);
	if (len)
		*len = (size_t)n;
	return data;
}

int
harness_run(const struct harness_case *cases, size_t n, int argc, char **argv)
{
	int ran = 0;
	for (size_t i = 0; i < n; i++) {
		if (argc > 1 && strcmp(argv[1], cases[i].name))
			continue;
		int before = harness_failures;
		cases[i].fn();
		fprintf(stderr, "%s: %s\n", harness_failures > before ? "FAIL" : "ok",
			cases[i].name);
		ran++;
	}
	if (!ran) {
		fprintf(stderr, "no test case named %s\n", argc > 1 ? argv[1] : "(none)");
		return 1;
	}
	return harness_failures ? 1 : 0;
}
