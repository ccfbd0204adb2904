/* The connection: open, pragmas, the prepared-statement cache, transactions
 * and the binding helpers every other store file uses. */
#include <errno.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "internal.h"
#include "xalloc.h"

/* Sets err to "what: <sqlite message>" and returns -1. */
int
db_err(struct store *s, const char *what, char *err)
{
	return set_err(err, "%s: %s", what, s && s->db ? sqlite3_errmsg(s->db) : "no database");
}

/* Returns the cached, reset statement for sql or NULL (err set). */
sqlite3_stmt *
stmt_get(struct store *s, const char *sql, char *err)
{
	for (size_t i = 0; i < s->n_stmts; i++) {
		if (s->stmts[i].sql != sql)
			continue;
		sqlite3_stmt *st = s->stmts[i].st;
		if (sqlite3_stmt_busy(st)) {
			set_err(err, "internal error: statement already in use (re-entrant store call)");
			return NULL;
		}
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		return st;
	}
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
		set_err(err, "preparing statement: %s", sqlite3_errmsg(s->db));
		sqlite3_finalize(st);
		return NULL;
	}
	s->stmts = xgrow(s->stmts, &s->cap_stmts, s->n_stmts + 1, sizeof(*s->stmts));
	s->stmts[s->n_stmts].sql = sql;
	s->stmts[s->n_stmts].st = st;
	s->n_stmts++;
	return st;
}

/* Steps st once; 1 row, 0 done, -1 error.  Resets st unless a row came. */
int
stmt_step(struct store *s, sqlite3_stmt *st, const char *what, char *err)
{
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		return 0;
	}
	db_err(s, what, err);
	sqlite3_reset(st);
	return -1;
}

/* Runs st to completion; 0 or -1.  st is reset either way. */
int
stmt_run(struct store *s, sqlite3_stmt *st, const char *what, char *err)
{
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		;
	if (rc != SQLITE_DONE) {
		db_err(s, what, err);
		sqlite3_reset(st);
		return -1;
	}
	sqlite3_reset(st);
	return 0;
}

/* Runs a cached statement without values; 0 or -1. */
int
stmt_exec(struct store *s, const char *sql, const char *what, char *err)
{
	sqlite3_stmt *st = stmt_get(s, sql, err);
	if (!st)
		return -1;
	return stmt_run(s, st, what, err);
}

/* Binds v (NULL binds NULL); v must outlive the step. */
void
bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

/* Binds v. */
void
bind_i64(sqlite3_stmt *st, int i, int64_t v)
{
	sqlite3_bind_int64(st, i, v);
}

/* Binds v, or NULL when v < 0 (unknown). */
void
bind_i64_known(sqlite3_stmt *st, int i, int64_t v)
{
	if (v < 0)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_int64(st, i, v);
}

/* Binds v, or NULL when v == 0 (unknown). */
void
bind_i64_nonzero(sqlite3_stmt *st, int i, int64_t v)
{
	if (v == 0)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_int64(st, i, v);
}

/* Returns column i as text borrowed from st (NULL for NULL). */
const char *
col_text(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

/* Returns a malloc'd copy of column i (caller frees), NULL for NULL. */
char *
col_dup(sqlite3_stmt *st, int i)
{
	return xstrdup_or_null(col_text(st, i));
}

/* Returns column i, or if_null when it is NULL. */
int64_t
col_i64(sqlite3_stmt *st, int i, int64_t if_null)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return if_null;
	return sqlite3_column_int64(st, i);
}

/* Copies src (NULL: "") into dst[size], cut at a UTF-8 boundary. */
void
copy_fixed(char *dst, size_t size, const char *src)
{
	if (size == 0)
		return;
	size_t n = src ? strlen(src) : 0;
	if (n >= size) {
		n = size - 1;
		/* back off to the start of a UTF-8 sequence */
		while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
			n--;
	}
	if (n)
		memcpy(dst, src, n);
	dst[n] = '\0';
}

static const char SQL_BEGIN[] = "BEGIN IMMEDIATE";
static const char SQL_COMMIT[] = "COMMIT";
static const char SQL_ROLLBACK[] = "ROLLBACK";
static const char SQL_SAVEPOINT[] = "SAVEPOINT store_op";
static const char SQL_RELEASE[] = "RELEASE store_op";
static const char SQL_ROLLBACK_TO[] = "ROLLBACK TO store_op";

/* Opens an atomic section; 0 or -1.  In a batch (store_batch_begin) with
 * no transaction open - a caller that does not call store_begin per page,
 * as reparse - the section begins the batch's transaction, which
 * store_batch_page_done and store_batch_end commit, and is a savepoint in
 * it: it still lands whole or not at all, but not one commit per page. */
int
tx_enter(struct store *s, struct tx *t, char *err)
{
	t->own = sqlite3_get_autocommit(s->db);
	if (t->own && s->batch) {
		if (s->batch_tx)
			return set_err(err, "the transaction of the pages since the last commit "
					    "was rolled back by SQLite");
		if (stmt_exec(s, SQL_BEGIN, "BEGIN IMMEDIATE", err) < 0)
			return -1;
		s->batch_tx = 1;
		t->own = 0;
	}
	if (t->own)
		return stmt_exec(s, SQL_BEGIN, "BEGIN IMMEDIATE", err);
	return stmt_exec(s, SQL_SAVEPOINT, "SAVEPOINT", err);
}

/* Closes an atomic section; returns ok ? 0 : -1 (-1 too when the commit
 * fails, after rolling back). */
int
tx_leave(struct store *s, struct tx *t, int ok, char *err)
{
	char ignored[ERRBUF_SIZE];
	if (t->own) {
		if (ok) {
			if (stmt_exec(s, SQL_COMMIT, "COMMIT", err) == 0)
				return 0;
			stmt_exec(s, SQL_ROLLBACK, "ROLLBACK", ignored);
			return -1;
		}
		if (!sqlite3_get_autocommit(s->db))
			stmt_exec(s, SQL_ROLLBACK, "ROLLBACK", ignored);
		return -1;
	}
	if (ok)
		return stmt_exec(s, SQL_RELEASE, "RELEASE", err);
	stmt_exec(s, SQL_ROLLBACK_TO, "ROLLBACK TO", ignored);
	stmt_exec(s, SQL_RELEASE, "RELEASE", ignored);
	return -1;
}

static const char SQL_PAGE_SAVEPOINT[] = "SAVEPOINT store_page";
static const char SQL_PAGE_RELEASE[] = "RELEASE store_page";
static const char SQL_PAGE_ROLLBACK_TO[] = "ROLLBACK TO store_page";

/* BEGIN IMMEDIATE for the caller (in a batch: a savepoint in the batch's
 * transaction, which is begun when none is open); 0 or -1. */
int
store_begin(struct store *s, char *err)
{
	if (s->batch) {
		if (s->batch_tx && sqlite3_get_autocommit(s->db))
			return set_err(err, "the transaction of the pages since the last commit "
					    "was rolled back by SQLite");
		if (sqlite3_get_autocommit(s->db)) {
			if (stmt_exec(s, SQL_BEGIN, "BEGIN IMMEDIATE", err) < 0)
				return -1;
			s->batch_tx = 1;
		}
		return stmt_exec(s, SQL_PAGE_SAVEPOINT, "SAVEPOINT", err);
	}
	if (!sqlite3_get_autocommit(s->db))
		return set_err(err, "a transaction is already open");
	return stmt_exec(s, SQL_BEGIN, "BEGIN IMMEDIATE", err);
}

/* COMMIT (in a batch: RELEASE of the page's savepoint); 0 or -1 (the
 * transaction is rolled back when COMMIT fails). */
int
store_commit(struct store *s, char *err)
{
	char ignored[ERRBUF_SIZE];
	if (sqlite3_get_autocommit(s->db))
		return set_err(err, "COMMIT: no transaction is open");
	if (s->batch)
		return stmt_exec(s, SQL_PAGE_RELEASE, "RELEASE", err);
	if (stmt_exec(s, SQL_COMMIT, "COMMIT", err) == 0)
		return 0;
	if (!sqlite3_get_autocommit(s->db))
		stmt_exec(s, SQL_ROLLBACK, "ROLLBACK", ignored);
	return -1;
}

/* ROLLBACK (in a batch: back to the page's savepoint); a no-op without a
 * transaction.  0 or -1. */
int
store_rollback(struct store *s, char *err)
{
	if (sqlite3_get_autocommit(s->db))
		return 0;
	if (s->batch) {
		char ignored[ERRBUF_SIZE];
		if (stmt_exec(s, SQL_PAGE_ROLLBACK_TO, "ROLLBACK TO", ignored) < 0)
			return stmt_exec(s, SQL_ROLLBACK, "ROLLBACK", err);
		return stmt_exec(s, SQL_PAGE_RELEASE, "RELEASE", err);
	}
	return stmt_exec(s, SQL_ROLLBACK, "ROLLBACK", err);
}

static const char SQL_TEMP_MEMORY[] = "PRAGMA temp_store = MEMORY";
static const char SQL_TEMP_DEFAULT[] = "PRAGMA temp_store = DEFAULT";

/* Starts batching pages; 0 or -1. */
int
store_batch_begin(struct store *s, size_t max_rows, size_t max_bytes, char *err)
{
	if (s->batch || !sqlite3_get_autocommit(s->db))
		return set_err(err, "a transaction is already open");
	/* A page's savepoint copies the pages it changes to a sub-journal: in
	 * memory, not in a file under /var/tmp. */
	if (stmt_exec(s, SQL_TEMP_MEMORY, "PRAGMA temp_store", err) < 0)
		return -1;
	s->batch = 1;
	s->batch_max_rows = max_rows;
	s->batch_max_bytes = max_bytes;
	s->batch_rows = s->batch_bytes = 0;
	return 0;
}

/* Commits the batch's transaction when it is open; 0 or -1. */
static int
batch_commit(struct store *s, char *err)
{
	int lost = s->batch_tx && sqlite3_get_autocommit(s->db);
	s->batch_rows = s->batch_bytes = 0;
	s->batch_tx = 0;
	if (lost)
		return set_err(err, "the transaction of the pages since the last commit was "
				    "rolled back by SQLite");
	if (sqlite3_get_autocommit(s->db))
		return 0;
	if (stmt_exec(s, SQL_COMMIT, "COMMIT", err) == 0)
		return 0;
	char ignored[ERRBUF_SIZE];
	if (!sqlite3_get_autocommit(s->db))
		stmt_exec(s, SQL_ROLLBACK, "ROLLBACK", ignored);
	return -1;
}

/* Counts a page and commits when a limit is reached; 0 or -1. */
int
store_batch_page_done(struct store *s, char *err)
{
	if (!s->batch)
		return 0;
	if (s->batch_tx && sqlite3_get_autocommit(s->db))
		return batch_commit(s, err); /* reports the loss */
	if (s->batch_rows >= s->batch_max_rows || s->batch_bytes >= s->batch_max_bytes)
		return batch_commit(s, err);
	return 0;
}

/* Ends batching: commits (ok) or rolls back what is pending; 0 or -1. */
int
store_batch_end(struct store *s, int ok, char *err)
{
	if (!s->batch)
		return 0;
	int rc;
	if (ok) {
		rc = batch_commit(s, err);
		s->batch = 0;
	} else {
		s->batch = 0;
		s->batch_rows = s->batch_bytes = s->batch_tx = 0;
		rc = store_rollback(s, err);
	}
	char ignored[ERRBUF_SIZE];
	stmt_exec(s, SQL_TEMP_DEFAULT, "PRAGMA temp_store", ignored);
	return rc;
}

/* Runs a PRAGMA that returns one value and copies it; 0 or -1. */
static int
pragma_text(struct store *s, const char *sql, char *out, size_t size, char *err)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		set_err(err, "%s", sqlite3_errmsg(s->db));
		sqlite3_finalize(st);
		return -1;
	}
	copy_fixed(out, size, rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : "");
	sqlite3_finalize(st);
	return 0;
}

/* A URI for sqlite3_open_v2 naming path read-only, immutable or not;
 * malloc'd. */
static char *
readonly_uri(const char *path, int immutable)
{
	struct buf b;
	buf_init(&b);
	buf_puts(&b, "file:");
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if (*p == '%' || *p == '?' || *p == '#' || *p <= ' ' || *p == 0x7f)
			buf_printf(&b, "%%%02X", *p);
		else
			buf_putc(&b, (char)*p);
	}
	buf_puts(&b, immutable ? "?mode=ro&immutable=1" : "?mode=ro");
	return buf_steal(&b);
}

/* Opens the connection and reads the schema version: mode 0 read-write
 * (creating the file), 1 read-only, 2 read-only and immutable.  0 or -1;
 * *cantopen is set when the first read failed for want of a writable file
 * beside the database (SQLITE_CANTOPEN or SQLITE_READONLY). */
static int
open_connection(struct store *s, const char *path, int mode, int *cantopen, char *err)
{
	*cantopen = 0;
	char why[ERRBUF_SIZE], val[64];
	/* kmrep is single threaded: no per-call mutex (a fifth of report time). */
	int flags = SQLITE_OPEN_NOMUTEX;
	char *uri = NULL;
	if (mode == 0) {
		flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	} else {
		flags |= SQLITE_OPEN_READONLY | SQLITE_OPEN_URI;
		uri = readonly_uri(path, mode == 2);
	}
	int rc = sqlite3_open_v2(uri ? uri : path, &s->db, flags, mode == 0 ? store_vfs_name() : NULL);
	free(uri);
	if (rc != SQLITE_OK)
		return set_err(err, "%s: %s", path,
			       s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, 5000);

	/* The first read of the file: a non-database fails here. */
	if (pragma_text(s, "PRAGMA user_version", val, sizeof(val), why) < 0) {
		int code = sqlite3_errcode(s->db) & 0xff;
		*cantopen = code == SQLITE_CANTOPEN || code == SQLITE_READONLY;
		if (strstr(why, "not a database"))
			return set_err(err, "%s: not a SQLite database (is it a kmrep database?)",
				       path);
		return set_err(err, "%s: %s", path, why);
	}
	s->version_opened = atoi(val);
	if (s->version_opened > STORE_SCHEMA_VERSION)
		return set_err(err, "database schema version %d is newer than this kmrep (%d); "
				    "upgrade kmrep",
			       s->version_opened, STORE_SCHEMA_VERSION);
	if (s->version_opened == 0) {
		/* A SQLite file with tables but no version is someone else's. */
		if (pragma_text(s, "SELECT count(*) FROM sqlite_master", val, sizeof(val), why) < 0)
			return set_err(err, "%s: %s", path, why);
		if (atoi(val) != 0)
			return set_err(err, "%s: a SQLite database, but not a kmrep one", path);
	}
	if (pragma_text(s, "PRAGMA foreign_keys = ON", val, sizeof(val), why) < 0 ||
	    pragma_text(s, "PRAGMA synchronous = NORMAL", val, sizeof(val), why) < 0)
		return set_err(err, "%s: %s", path, why);
	return 0;
}

/* kmrep uses SQLite from one thread and never asks for its memory
 * statistics: without them and without mutexes, SQLite's every allocation
 * skips a lock (about 40 per stored complaint).  Only possible before
 * SQLite's first use; later calls change nothing (SQLITE_MISUSE). */
static void
sqlite_setup(void)
{
	sqlite3_config(SQLITE_CONFIG_SINGLETHREAD);
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/* Opens and migrates; see store.h. */
int
store_open(const char *path, struct store **out, char *err)
{
	*out = NULL;
	if (!path || !*path)
		return set_err(err, "no database path");
	int memory = strcmp(path, ":memory:") == 0;
	sqlite_setup();
	struct store *s = xcalloc(1, sizeof(*s));
	s->path = xstrdup(path);
	char why[ERRBUF_SIZE], val[64];

	int cantopen;
	if (open_connection(s, path, 0, &cantopen, err) < 0)
		goto fail;
	if (!memory) {
		if (pragma_text(s, "PRAGMA journal_mode = WAL", val, sizeof(val), why) < 0) {
			set_err(err, "%s: %s", path, why);
			goto fail;
		}
		if (strcmp(val, "wal") != 0) {
			set_err(err, "%s: cannot use WAL mode (journal mode is %s)", path, val);
			goto fail;
		}
	}
	if (store_migrate(s, err) < 0)
		goto fail;
	*out = s;
	return 0;
fail:
	store_close(s);
	return -1;
}

/* Opens read-only; see store.h. */
int
store_open_readonly(const char *path, struct store **out, char *err)
{
	*out = NULL;
	if (!path || !*path || !strcmp(path, ":memory:"))
		return set_err(err, "no database file to open read-only");
	sqlite_setup();
	struct store *s = xcalloc(1, sizeof(*s));
	s->path = xstrdup(path);
	int cantopen;
	if (open_connection(s, path, 1, &cantopen, err) < 0) {
		/* A WAL database needs its -shm file, which a read-only directory
		 * cannot get.  Without a -wal file (or with an empty one) every
		 * committed page is in the main file, and nobody is writing it (a
		 * writer would have filled the -wal): it may be read as immutable. */
		char *wal = xasprintf("%s-wal", path);
		struct stat st;
		int no_wal = stat(wal, &st) < 0 ? errno == ENOENT : st.st_size == 0;
		free(wal);
		if (!cantopen || !no_wal)
			goto fail;
		sqlite3_close(s->db);
		s->db = NULL;
		if (open_connection(s, path, 2, &cantopen, err) < 0)
			goto fail;
	}
	if (s->version_opened != STORE_SCHEMA_VERSION) {
		store_close(s);
		return 1;
	}
	*out = s;
	return 0;
fail:
	store_close(s);
	return -1;
}

/* Returns the user_version found before migrating. */
int
store_schema_version_opened(const struct store *s)
{
	return s->version_opened;
}

/* Finalizes the statements and closes; NULL ok. */
void
store_close(struct store *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n_stmts; i++)
		sqlite3_finalize(s->stmts[i].st);
	free(s->stmts);
	if (s->db) {
		if (!sqlite3_get_autocommit(s->db))
			sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		sqlite3_close(s->db);
	}
	free(s->path);
	free(s);
}

/* Frees a string vector; NULL ok. */
void
store_strv_free(char **v, size_t n)
{
	if (!v)
		return;
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}
