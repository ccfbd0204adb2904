/* The floor under an import (bench/run's "SQLite alone" table): the rows an
 * import stored, copied by SQLite itself into a fresh kmrep database opened
 * the way kmrep opens one (store_open: its pragmas and its VFS), with
 * INSERT ... SELECT, ROWS rows per transaction (0: all in one), the closing
 * checkpoint included.  No parsing, no classifying, no statement per row.
 *
 *	sqlite_floor ROWS FRESH.db IMPORTED.db TABLE...
 *
 * Prints the CPU seconds (user + system, getrusage) of the copy. */
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "internal.h"
#include "store.h"

static double
cpu_seconds(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static int
exec(sqlite3 *db, const char *sql)
{
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK)
		return 0;
	fprintf(stderr, "sqlite_floor: %s: %s\n", sql, sqlite3_errmsg(db));
	return -1;
}

int
main(int argc, char **argv)
{
	if (argc < 5) {
		fprintf(stderr, "usage: sqlite_floor ROWS FRESH.db IMPORTED.db TABLE...\n");
		return 2;
	}
	long long chunk = atoll(argv[1]);
	if (chunk <= 0)
		chunk = LLONG_MAX / 2;
	argv++;
	argc--;
	char err[ERRBUF_SIZE];
	struct store *s = NULL;
	if (store_open(argv[1], &s, err) < 0) {
		fprintf(stderr, "sqlite_floor: %s\n", err);
		return 1;
	}
	char *attach = sqlite3_mprintf("ATTACH %Q AS src", argv[2]);
	int rc = exec(s->db, attach);
	sqlite3_free(attach);
	double t0 = cpu_seconds();
	for (int i = 3; i < argc && rc == 0; i++) {
		char *max = sqlite3_mprintf("SELECT coalesce(max(id), 0) FROM src.\"%w\"", argv[i]);
		sqlite3_stmt *st = NULL;
		long long top = 0;
		if (sqlite3_prepare_v2(s->db, max, -1, &st, NULL) == SQLITE_OK &&
		    sqlite3_step(st) == SQLITE_ROW)
			top = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		sqlite3_free(max);
		for (long long lo = 0; lo < top && rc == 0; lo += chunk) {
			char *copy = sqlite3_mprintf("BEGIN; INSERT INTO main.\"%w\" SELECT * FROM "
						     "src.\"%w\" WHERE id > %lld AND id <= %lld; COMMIT",
						     argv[i], argv[i], lo, lo + chunk);
			rc = exec(s->db, copy);
			sqlite3_free(copy);
		}
	}
	if (rc == 0)
		rc = exec(s->db, "DETACH src");
	store_close(s);
	printf("%.3f\n", cpu_seconds() - t0);
	return rc == 0 ? 0 : 1;
}
