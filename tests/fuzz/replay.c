/* Replays fuzz inputs without libFuzzer (dav1d's tests/libfuzzer/main.c): runs
 * LLVMFuzzerTestOneInput over every file named on the command line or found
 * in a directory named there, so every fuzz target builds and runs in the
 * normal suite (and under ASan/UBSan and valgrind) on its corpus. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
run_file(const char *path)
{
	FILE *fp = fopen(path, "rb");
	if (!fp) {
		fprintf(stderr, "cannot open %s\n", path);
		return -1;
	}
	fseek(fp, 0, SEEK_END);
	long n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	/* An exact-size allocation, so ASan catches a read one byte past the input. */
	uint8_t *data = malloc(n > 0 ? (size_t)n : 1);
	if (!data || (n > 0 && fread(data, 1, (size_t)n, fp) != (size_t)n)) {
		fclose(fp);
		free(data);
		return -1;
	}
	fclose(fp);
	LLVMFuzzerTestOneInput(data, (size_t)n);
	free(data);
	return 0;
}

static int
run_path(const char *path, unsigned *count)
{
	struct stat st;
	if (stat(path, &st) < 0) {
		fprintf(stderr, "no such corpus %s\n", path);
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		(*count)++;
		return run_file(path);
	}
	DIR *dir = opendir(path);
	if (!dir)
		return -1;
	struct dirent *e;
	int rc = 0;
	while ((e = readdir(dir))) {
		if (e->d_name[0] == '.')
			continue;
		size_t len = strlen(path) + strlen(e->d_name) + 2;
		char *child = malloc(len);
		if (!child)
			abort();
		snprintf(child, len, "%s/%s", path, e->d_name);
		if (run_path(child, count) < 0)
			rc = -1;
		free(child);
	}
	closedir(dir);
	return rc;
}

int
main(int argc, char **argv)
{
	unsigned count = 0;
	int rc = 0;
	for (int i = 1; i < argc; i++)
		if (run_path(argv[i], &count) < 0)
			rc = 1;
	fprintf(stderr, "replayed %u inputs\n", count);
	return rc || count == 0;
}
