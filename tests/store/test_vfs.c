/* store/vfs.c: the WAL's writes are gathered and its reads done ahead, and
 * nobody can tell.  Each case writes through the shim and reads back through
 * a plain SQLite connection on the default VFS, as another process would:
 * what a COMMIT returned is there, what failed is not, a full disk fails the
 * COMMIT itself, a failed write-out stops the connection, a kill -9 right
 * after a COMMIT keeps it, and frames read ahead are never read stale. */
#include <signal.h>
#include <stdbool.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "internal.h"
#include "store.h"

static char path[128];

/* A fresh database file in a new temporary directory. */
static const char *
fresh_path(void)
{
	char dir[] = "/tmp/kmrep-vfs-XXXXXX";
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		exit(1);
	}
	snprintf(path, sizeof(path), "%s/kmrep.db", dir);
	return path;
}

/* Removes the database, its WAL and shared memory, and their directory. */
static void
remove_db(const char *p)
{
	char f[160];
	unlink(p);
	snprintf(f, sizeof(f), "%s-wal", p);
	unlink(f);
	snprintf(f, sizeof(f), "%s-shm", p);
	unlink(f);
	snprintf(f, sizeof(f), "%s", p);
	*strrchr(f, '/') = '\0';
	rmdir(f);
}

static struct store *
open_store(const char *p)
{
	char err[ERRBUF_SIZE];
	struct store *s = NULL;
	if (store_open(p, &s, err) < 0) {
		fprintf(stderr, "store_open: %s\n", err);
		exit(1);
	}
	return s;
}

/* A connection through the shim, as the store opens it (WAL, synchronous
 * NORMAL), on a database of the test's own. */
static sqlite3 *
open_shim(const char *p)
{
	sqlite3 *db = NULL;
	const char *vfs = store_vfs_name();
	if (!vfs || sqlite3_open_v2(p, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, vfs) !=
			    SQLITE_OK ||
	    sqlite3_exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL", NULL, NULL,
			 NULL) != SQLITE_OK) {
		fprintf(stderr, "open %s through the shim: %s\n", p, db ? sqlite3_errmsg(db) : "?");
		exit(1);
	}
	return db;
}

/* A connection as another process has it: SQLite's default VFS. */
static sqlite3 *
open_plain(const char *p)
{
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(p, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		fprintf(stderr, "open %s: %s\n", p, db ? sqlite3_errmsg(db) : "?");
		exit(1);
	}
	return db;
}

static int
exec(sqlite3 *db, const char *sql)
{
	int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		fprintf(stderr, "%s: %s\n", sql, sqlite3_errmsg(db));
	return rc;
}

static long long
number(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	long long v = -1;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	else
		fprintf(stderr, "%s: %s\n", sql, sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return v;
}

static void
check_intact(sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	CHECK(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL) == SQLITE_OK);
	CHECK(sqlite3_step(st) == SQLITE_ROW);
	CHECK_STR((const char *)sqlite3_column_text(st, 0), "ok");
	sqlite3_finalize(st);
}

/* Lets this process's files grow to `most` bytes, no more (a full disk,
 * ENOSPC aside: the write fails with EFBIG); raising it later is allowed. */
static int
limit_file_size(rlim_t most)
{
	signal(SIGXFSZ, SIG_IGN);
	struct rlimit lim = {most, RLIM_INFINITY};
	return setrlimit(RLIMIT_FSIZE, &lim);
}

/* The exit status of the child pid, or -1 when it did not exit. */
static int
child_status(pid_t pid)
{
	int status = 0;
	CHECK(waitpid(pid, &status, 0) == pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* The rows of t another process finds in p, the database checked whole. */
static long long
rows_found(const char *p)
{
	sqlite3 *other = open_plain(p);
	long long rows = number(other, "SELECT count(*) FROM t");
	check_intact(other);
	sqlite3_close(other);
	return rows;
}

static const char CREATE[] = "CREATE TABLE t (id INTEGER PRIMARY KEY, b BLOB NOT NULL)";

/* Inserts n rows of size bytes each (one statement per row). */
static int
insert_rows(sqlite3 *db, int n, int size)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, "INSERT INTO t (b) VALUES (randomblob(?1))", -1, &st, NULL) !=
	    SQLITE_OK)
		return SQLITE_ERROR;
	int rc = SQLITE_OK;
	for (int i = 0; i < n && rc == SQLITE_OK; i++) {
		sqlite3_bind_int(st, 1, size);
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(db);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return rc;
}

/* The store's connections go through the shim, and a transaction far
 * larger than its buffer reads back whole from another connection. */
static void
test_commit_reads_back_elsewhere(void)
{
	const char *p = fresh_path();
	struct store *s = open_store(p);
	sqlite3_vfs *vfs = NULL;
	CHECK(sqlite3_file_control(s->db, "main", SQLITE_FCNTL_VFS_POINTER, &vfs) == SQLITE_OK);
	CHECK(vfs && !strcmp(vfs->zName, "kmrep-wal-buffer"));
	CHECK_INT(exec(s->db, CREATE), SQLITE_OK);
	CHECK_INT(exec(s->db, "BEGIN"), SQLITE_OK);
	CHECK_INT(insert_rows(s->db, 300, 3000), SQLITE_OK); /* ~1.2 MB of frames */
	CHECK_INT(exec(s->db, "COMMIT"), SQLITE_OK);
	sqlite3 *other = open_plain(p);
	CHECK_INT(number(other, "SELECT count(*) FROM t"), 300);
	CHECK_INT(number(other, "SELECT sum(length(b)) FROM t"), 300 * 3000);
	check_intact(other);
	sqlite3_close(other);
	store_close(s);
	remove_db(p);
}

/* Another connection sees every commit the moment COMMIT returns. */
static void
test_each_commit_visible_at_once(void)
{
	const char *p = fresh_path();
	sqlite3 *db = open_shim(p);
	CHECK_INT(exec(db, CREATE), SQLITE_OK);
	sqlite3 *other = open_plain(p);
	for (int k = 1; k <= 40; k++) {
		CHECK_INT(insert_rows(db, 1, 100 * k), SQLITE_OK);
		CHECK_INT(number(other, "SELECT count(*) FROM t"), k);
	}
	sqlite3_close(other);
	sqlite3_close(db);
	remove_db(p);
}

/* Frames spilled by a transaction that then rolls back stay out; the next
 * transaction's frames go where SQLite puts them. */
static void
test_spilled_then_rolled_back(void)
{
	const char *p = fresh_path();
	sqlite3 *db = open_shim(p);
	CHECK_INT(exec(db, CREATE), SQLITE_OK);
	CHECK_INT(insert_rows(db, 5, 500), SQLITE_OK);
	CHECK_INT(exec(db, "PRAGMA cache_size = 10"), SQLITE_OK); /* spill early */
	CHECK_INT(exec(db, "BEGIN"), SQLITE_OK);
	CHECK_INT(insert_rows(db, 200, 2000), SQLITE_OK);
	CHECK_INT(exec(db, "ROLLBACK"), SQLITE_OK);
	CHECK_INT(exec(db, "BEGIN"), SQLITE_OK);
	CHECK_INT(insert_rows(db, 50, 700), SQLITE_OK);
	CHECK_INT(exec(db, "COMMIT"), SQLITE_OK);
	sqlite3 *other = open_plain(p);
	CHECK_INT(number(other, "SELECT count(*) FROM t"), 55);
	CHECK_INT(number(other, "SELECT sum(length(b)) FROM t"), 5 * 500 + 50 * 700);
	check_intact(other);
	sqlite3_close(other);
	sqlite3_close(db);
	other = open_plain(p); /* after the checkpoint at close */
	CHECK_INT(number(other, "SELECT count(*) FROM t"), 55);
	check_intact(other);
	sqlite3_close(other);
	remove_db(p);
}

/* A COMMIT whose frames cannot be written fails, as it would without the
 * shim (here the file size limit stands in for a full disk): the frames
 * are all in the buffer until the commit frame, whose write must report
 * it.  Nothing committed before is lost. */
static void
test_full_disk_fails_the_commit(void)
{
	const char *p = fresh_path();
	pid_t pid = fork();
	if (pid == 0) {
		sqlite3 *db = open_shim(p);
		if (exec(db, CREATE) != SQLITE_OK || insert_rows(db, 3, 300) != SQLITE_OK ||
		    exec(db, "PRAGMA wal_checkpoint(TRUNCATE)") != SQLITE_OK)
			_exit(2);
		struct stat file;
		/* The WAL may not grow past the database's size plus a page. */
		if (stat(p, &file) < 0 || limit_file_size((rlim_t)file.st_size + 4096) < 0)
			_exit(2);
		if (exec(db, "BEGIN") != SQLITE_OK || insert_rows(db, 8, 3000) != SQLITE_OK)
			_exit(3); /* written to the buffer only: nothing can fail yet */
		int rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
		sqlite3_close_v2(db);
		_exit(rc == SQLITE_OK ? 4 : 0);
	}
	CHECK_INT(child_status(pid), 0); /* 4: the COMMIT said it was done */
	CHECK_INT(rows_found(p), 3);
	remove_db(p);
}

/* Whatever a COMMIT answers is what another connection finds, when the WAL
 * may hold 31 frames of 4 KiB pages and no more (the shim's buffer holds
 * 31: a commit frame can be the 32nd, its header at the end of one buffer
 * and its page in the next).  For transactions of 20 to 40 pages: a COMMIT
 * that says done has stored them all, one that failed none. */
static void
test_commit_answer_is_the_truth(void)
{
	for (int k = 20; k <= 40; k++) {
		const char *p = fresh_path();
		pid_t pid = fork();
		if (pid == 0) {
			sqlite3 *db = open_shim(p);
			if (exec(db, CREATE) != SQLITE_OK || insert_rows(db, 3, 3000) != SQLITE_OK ||
			    exec(db, "PRAGMA wal_checkpoint(TRUNCATE)") != SQLITE_OK ||
			    limit_file_size(32 + 31 * (24 + 4096) + 24 + 100) < 0)
				_exit(2);
			int rc = exec(db, "BEGIN");
			if (rc == SQLITE_OK)
				rc = insert_rows(db, k, 3000);
			if (rc == SQLITE_OK)
				rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
			sqlite3_close_v2(db);
			_exit(rc == SQLITE_OK ? 0 : 1);
		}
		int status = child_status(pid);
		CHECK(status == 0 || status == 1);
		long long rows = rows_found(p), want = status == 0 ? 3 + k : 3;
		if (rows != want)
			fprintf(stderr, "%d rows: COMMIT said %s, %lld rows stored\n", k,
				status == 0 ? "done" : "failed", rows);
		CHECK_INT(rows, want);
		remove_db(p);
	}
}

/* The buffer written out for a call other than a write (here a read) and
 * failing: frames SQLite believes written never reached the file, so every
 * later call on the WAL fails, and no later COMMIT can publish them (an
 * import's batch goes on after a page's savepoint is rolled back).  The
 * WAL is driven directly through its file object, past the end of what
 * SQLite committed. */
static void
test_failed_write_out_stops_the_connection(void)
{
	const char *p = fresh_path();
	pid_t pid = fork();
	if (pid == 0) {
		sqlite3 *db = open_shim(p);
		sqlite3_file *wal = NULL;
		sqlite3_int64 size = 0;
		if (exec(db, CREATE) != SQLITE_OK || insert_rows(db, 3, 300) != SQLITE_OK ||
		    sqlite3_file_control(db, "main", SQLITE_FCNTL_JOURNAL_POINTER, &wal) !=
			    SQLITE_OK ||
		    !wal || wal->pMethods->xFileSize(wal, &size) != SQLITE_OK)
			_exit(2);
		if (limit_file_size((rlim_t)size + 100) < 0)
			_exit(2);
		static unsigned char frame[24 + 4096]; /* pgno 0, not a commit */
		unsigned char back[16];
		if (wal->pMethods->xWrite(wal, frame, 24, size) != SQLITE_OK ||
		    wal->pMethods->xWrite(wal, frame + 24, 4096, size + 24) != SQLITE_OK)
			_exit(3); /* buffered: nothing can fail yet */
		if (wal->pMethods->xRead(wal, back, sizeof(back), 32) == SQLITE_OK)
			_exit(4); /* the write-out before the read must fail */
		/* the disk has room again; the connection still must not write */
		if (limit_file_size(RLIM_INFINITY) < 0)
			_exit(2);
		if (wal->pMethods->xWrite(wal, frame, 24, size + 24 + 4096) == SQLITE_OK ||
		    wal->pMethods->xSync(wal, SQLITE_SYNC_NORMAL) == SQLITE_OK ||
		    insert_rows(db, 1, 300) == SQLITE_OK)
			_exit(5);
		sqlite3_close_v2(db);
		_exit(0);
	}
	CHECK_INT(child_status(pid), 0);
	CHECK_INT(rows_found(p), 3);
	remove_db(p);
}

/* kill -9 the moment a COMMIT returns: every commit it returned is kept
 * (the frames were in the file, not in the buffer). */
static void
test_kill_after_commit_keeps_it(void)
{
	const char *p = fresh_path();
	pid_t pid = fork();
	if (pid == 0) {
		sqlite3 *db = open_shim(p);
		if (exec(db, CREATE) != SQLITE_OK)
			_exit(2);
		for (int k = 0; k < 25; k++) {
			if (exec(db, "BEGIN") != SQLITE_OK || insert_rows(db, 3, 900) != SQLITE_OK ||
			    exec(db, "COMMIT") != SQLITE_OK)
				_exit(2);
		}
		raise(SIGKILL);
		_exit(3);
	}
	int status = 0;
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	CHECK_INT(rows_found(p), 75);
	remove_db(p);
}

/* The WAL read ahead is forgotten when the view of the WAL may change.
 * The shim's connection reads the first rows (their pages are the first
 * frames: it reads them ahead); another connection checkpoints, which
 * restarts the WAL, and rewrites later rows in place: their pages are the
 * new first frames, at the offsets read ahead.  The shim's connection must
 * read the new pages, not the bytes it read ahead, starting with a page in
 * the middle of what it read ahead. */
static void
test_read_ahead_never_stale(void)
{
	const char *p = fresh_path();
	sqlite3 *db = open_shim(p);
	sqlite3 *other = open_plain(p);
	CHECK_INT(exec(other, "PRAGMA wal_autocheckpoint = 0"), SQLITE_OK);
	CHECK_INT(exec(db, "PRAGMA wal_autocheckpoint = 0"), SQLITE_OK);
	CHECK_INT(exec(other, CREATE), SQLITE_OK);
	CHECK_INT(exec(other, "BEGIN"), SQLITE_OK);
	CHECK_INT(insert_rows(other, 100, 3000), SQLITE_OK); /* a page each */
	CHECK_INT(exec(other, "COMMIT"), SQLITE_OK);
	CHECK_INT(number(db, "SELECT sum(length(b)) FROM t WHERE id <= 25"), 25 * 3000);
	CHECK_INT(exec(other, "PRAGMA wal_checkpoint(RESTART)"), SQLITE_OK);
	CHECK_INT(exec(other, "UPDATE t SET b = zeroblob(3000) WHERE id > 90"), SQLITE_OK);
	/* id 100's page is the 10th new frame: the first read of the new WAL */
	CHECK_INT(number(db, "SELECT count(*) FROM t WHERE id = 100 AND b = zeroblob(3000)"), 1);
	CHECK_INT(number(db, "SELECT count(*) FROM t WHERE b = zeroblob(3000)"), 10);
	check_intact(db);
	sqlite3_close(other);
	sqlite3_close(db);
	remove_db(p);
}

TEST_MAIN({"commit_reads_back_elsewhere", test_commit_reads_back_elsewhere},
	  {"each_commit_visible_at_once", test_each_commit_visible_at_once},
	  {"spilled_then_rolled_back", test_spilled_then_rolled_back},
	  {"full_disk_fails_the_commit", test_full_disk_fails_the_commit},
	  {"kill_after_commit_keeps_it", test_kill_after_commit_keeps_it},
	  {"commit_answer_is_the_truth", test_commit_answer_is_the_truth},
	  {"failed_write_out_stops_the_connection", test_failed_write_out_stops_the_connection},
	  {"read_ahead_never_stale", test_read_ahead_never_stale})
