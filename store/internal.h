/* What the store/ files share and nothing outside store/ sees: the
 * connection, the statement cache and small binding helpers. */
#ifndef KMREP_STORE_INTERNAL_H
#define KMREP_STORE_INTERNAL_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "store.h"

struct stmt_slot {
	const char *sql;   /* the key: a static string, compared by address */
	sqlite3_stmt *st;
};

struct store {
	sqlite3 *db;
	char *path;
	int version_opened;
	struct stmt_slot *stmts;
	size_t n_stmts, cap_stmts;
	/* store_batch_*: on, limits, and what was written since the last commit */
	int batch, batch_tx; /* batch_tx: store_begin began the batch's transaction */
	size_t batch_max_rows, batch_max_bytes, batch_rows, batch_bytes;
	/* store_complaint_upsert: the last complaint was new, so the next is
	 * inserted unless it exists rather than read first */
	bool insert_first;
};

/* The cached statement for sql (a static string: the cache is keyed on its
 * address), prepared on first use, reset and with bindings cleared.  A
 * statement still stepping (a re-entrant iterator) is refused.  Returns the
 * statement (owned by the store) or NULL with err set. */
sqlite3_stmt *stmt_get(struct store *s, const char *sql, char *err);

/* Runs a statement that returns no rows (already bound) and resets it.
 * Returns 0 or -1 with "what: sqlite message" in err. */
int stmt_run(struct store *s, sqlite3_stmt *st, const char *what, char *err);

/* Prepares, runs and resets a cached statement that takes no values. */
int stmt_exec(struct store *s, const char *sql, const char *what, char *err);

/* Steps a query: 1 row, 0 done (statement reset), -1 error (reset, err). */
int stmt_step(struct store *s, sqlite3_stmt *st, const char *what, char *err);

/* Sets err to "what: <sqlite message>" and returns -1. */
int db_err(struct store *s, const char *what, char *err);

/* An atomic section: BEGIN IMMEDIATE when no transaction is open, else a
 * savepoint.  tx_leave commits/releases when ok, else rolls back to where
 * tx_enter was; it returns ok ? 0 : -1 (or -1 when the commit fails). */
struct tx {
	int own; /* 1: we began the transaction; 0: a savepoint */
};
int tx_enter(struct store *s, struct tx *t, char *err);
int tx_leave(struct store *s, struct tx *t, int ok, char *err);

/* Binding helpers; NULL text and "unknown" numbers bind NULL. */
void bind_text(sqlite3_stmt *st, int i, const char *v);
void bind_i64(sqlite3_stmt *st, int i, int64_t v);
/* Binds NULL when v < 0. */
void bind_i64_known(sqlite3_stmt *st, int i, int64_t v);
/* Binds NULL when v == 0. */
void bind_i64_nonzero(sqlite3_stmt *st, int i, int64_t v);

/* Column helpers: text as a borrowed pointer (NULL for NULL); a malloc'd
 * copy (caller frees); an integer with a default for NULL. */
const char *col_text(sqlite3_stmt *st, int i);
char *col_dup(sqlite3_stmt *st, int i);
int64_t col_i64(sqlite3_stmt *st, int i, int64_t if_null);

/* Copies text into a fixed buffer, truncated at a UTF-8 boundary. */
void copy_fixed(char *dst, size_t size, const char *src);

/* The VFS every read-write connection opens with (vfs.c): SQLite's own,
 * with the write-ahead log's appends gathered into large writes.  Its name,
 * or NULL (SQLite's default) when it cannot be set up. */
const char *store_vfs_name(void);

/* The migrations (migrate.c): brings the database to STORE_SCHEMA_VERSION. */
int store_migrate(struct store *s, char *err);
/* The same, up to schema version target only (for the tests of a migration). */
int store_migrate_to(struct store *s, int target, char *err);

/* The licence key kmrep compares licence numbers by (icp.c); caller frees;
 * NULL when s is empty. */
char *icp_licence_key(const char *s);

#endif
