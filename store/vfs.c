/* The write-ahead log's system calls, gathered: a VFS shim over SQLite's own
 * ("unix") that turns the two pwrite(2)s SQLite makes per WAL frame (the
 * 24-byte header, then the page) into one write per 31 frames, and a
 * checkpoint's pread(2) per frame into one read per 31 (wal_read says when
 * it reads ahead and when it forgets).  A bulk import writes tens of
 * thousands of frames; on a virtual machine each system call costs more than
 * the 4 KiB it copies, and these were two thirds of an import's calls.
 *
 * What the rest of SQLite and other processes see is unchanged, because the
 * buffer is written out before anything can look at the file:
 *   - when a commit frame's page is written (a frame header whose bytes 4-7,
 *     the database size after the commit, are not zero: the WAL file
 *     format), and that write's error is SQLite's, so a full disk fails the
 *     COMMIT as it would without the shim;
 *   - before any other call on the WAL file (read, sync, size, truncate,
 *     file control, close) and before a write that does not follow on;
 *   - before the database file's shared-memory locks and barriers change,
 *     which is when other connections learn of new frames.
 * Only the WAL is buffered: the database file's writes (checkpoints) go
 * straight through, since SQLite marks frames as copied into it after a
 * call whose error it ignores (SQLITE_FCNTL_CKPT_DONE). */
#include <stdbool.h>
#include <string.h>

#include "internal.h"

/* The unix VFS writes at most 128 KiB - 1 bytes per call (it masks the
 * length with 0x1ffff, SQLite's pages being at most 64 KiB): 31 frames of
 * 4 KiB pages per write. */
#define WAL_BUFFER_SIZE 0x1ffffu
#define WAL_FRAME_HEADER_SIZE 24

struct shim_file {
	sqlite3_file base;       /* pMethods: shim_methods */
	sqlite3_file *real;      /* the wrapped VFS's file, right after this struct */
	struct shim_file *peer;  /* a database's open WAL, or a WAL's database */
	bool is_wal;
	bool commit_pending;     /* the last write was a commit frame's header */
	int err;                 /* a write-out that failed where no caller could hear it */
	unsigned char *buf;
	size_t len;
	sqlite3_int64 off;       /* where buf[0] goes in the file */
	/* WAL bytes read ahead: [read_off, read_off + read_len) */
	unsigned char *read_buf;
	size_t read_len;
	sqlite3_int64 read_off;
	sqlite3_int64 read_next; /* where the last read ended */
};

/* The shim and the VFS it wraps: SQLite keeps a pointer to a registered VFS
 * for the life of the process, so this is static by SQLite's design. */
static struct {
	sqlite3_vfs vfs;
	sqlite3_vfs *real;
} shim;

/* The wrapped VFS's file follows the shim's, aligned as malloc would. */
#define SHIM_FILE_SIZE ((sizeof(struct shim_file) + 15) / 16 * 16)

static sqlite3_vfs *
real_vfs(void)
{
	return shim.real;
}

static int
write_out(struct shim_file *f)
{
	if (!f->len)
		return SQLITE_OK;
	int rc = f->real->pMethods->xWrite(f->real, f->buf, (int)f->len, f->off);
	f->len = 0;
	f->commit_pending = false;
	return rc;
}

/* Writes the buffer out for a call other than a write.  A failure is kept
 * and returned by every later call on the file: frames SQLite believes
 * written never reached it, so this connection must not go on (a failed
 * write, by contrast, is SQLite's to hear: it abandons the transaction's
 * frames).  Returns the failure, or SQLITE_OK. */
static int
flushed(struct shim_file *f)
{
	if (f && f->is_wal && f->err == SQLITE_OK) {
		int rc = write_out(f);
		if (rc != SQLITE_OK)
			f->err = rc;
	}
	return f ? f->err : SQLITE_OK;
}

static int
shim_close(sqlite3_file *file)
{
	struct shim_file *f = (struct shim_file *)file;
	int rc = flushed(f);
	if (f->peer)
		f->peer->peer = NULL;
	sqlite3_free(f->buf);
	sqlite3_free(f->read_buf);
	int rc2 = f->real->pMethods->xClose(f->real);
	return rc != SQLITE_OK ? rc : rc2;
}

/* Forgets the WAL bytes read ahead (f may be NULL). */
static void
forget_read_ahead(struct shim_file *f)
{
	if (f)
		f->read_len = 0;
}

/* Reads the WAL, ahead when the reads follow on: a checkpoint reads every
 * frame's page (4 KiB, its 24-byte header apart from the last) nearly in
 * the order they were written, each with its own pread(2); one that starts
 * where the last ended (give or take a frame header) fetches the next
 * WAL_BUFFER_SIZE bytes.  They are trusted only while this connection's view
 * of the WAL cannot change: a shared-memory lock, barrier or unmap of the
 * database (a transaction or checkpoint begins or ends) forgets them, as do
 * this file's own writes.  Within one lock period SQLite reads no frame
 * another connection may still write. */
static int
wal_read(struct shim_file *f, void *out, int n, sqlite3_int64 off)
{
	if (f->read_len && off >= f->read_off &&
	    off + n <= f->read_off + (sqlite3_int64)f->read_len) {
		memcpy(out, f->read_buf + (off - f->read_off), (size_t)n);
		f->read_next = off + n;
		return SQLITE_OK;
	}
	bool follows = off >= f->read_next && off - f->read_next <= WAL_FRAME_HEADER_SIZE;
	f->read_next = off + n;
	f->read_len = 0;
	sqlite3_int64 size = 0;
	if (follows && !f->read_buf)
		f->read_buf = sqlite3_malloc(WAL_BUFFER_SIZE);
	if (follows && f->read_buf && f->real->pMethods->xFileSize(f->real, &size) == SQLITE_OK &&
	    size - off > n) {
		size_t ahead = size - off < WAL_BUFFER_SIZE ? (size_t)(size - off) : WAL_BUFFER_SIZE;
		if (f->real->pMethods->xRead(f->real, f->read_buf, (int)ahead, off) == SQLITE_OK) {
			f->read_off = off;
			f->read_len = ahead;
			memcpy(out, f->read_buf, (size_t)n);
			return SQLITE_OK;
		}
	}
	return f->real->pMethods->xRead(f->real, out, n, off);
}

static int
shim_read(sqlite3_file *file, void *out, int n, sqlite3_int64 off)
{
	struct shim_file *f = (struct shim_file *)file;
	int rc = flushed(f);
	if (rc != SQLITE_OK)
		return rc;
	return f->is_wal ? wal_read(f, out, n, off) : f->real->pMethods->xRead(f->real, out, n, off);
}

/* A frame header is a commit's when it gives the database size after it.
 * SQLite writes a frame as its header, then its page; a whole frame in one
 * write (header and a page of 512 to 65536 bytes) is a commit's the same
 * way, and is written out at once. */
static bool
commit_header(const unsigned char *p, int n)
{
	return n == WAL_FRAME_HEADER_SIZE && (p[4] | p[5] | p[6] | p[7]) != 0;
}

static bool
commit_frame(const unsigned char *p, int n)
{
	int page = n - WAL_FRAME_HEADER_SIZE;
	return page >= 512 && page <= 65536 && (page & (page - 1)) == 0 &&
	       commit_header(p, WAL_FRAME_HEADER_SIZE);
}

static int
shim_write(sqlite3_file *file, const void *data, int n, sqlite3_int64 off)
{
	struct shim_file *f = (struct shim_file *)file;
	if (!f->is_wal)
		return f->real->pMethods->xWrite(f->real, data, n, off);
	if (f->err != SQLITE_OK)
		return f->err;
	forget_read_ahead(f);
	/* Taken before a write-out clears it: a commit frame's header can end a
	 * full buffer and its page begin the next. */
	bool commit_page = f->commit_pending;
	if (f->len && (off != f->off + (sqlite3_int64)f->len || f->len + (size_t)n > WAL_BUFFER_SIZE)) {
		int rc = write_out(f);
		if (rc != SQLITE_OK)
			return rc;
	}
	if (!f->buf && (size_t)n <= WAL_BUFFER_SIZE)
		f->buf = sqlite3_malloc(WAL_BUFFER_SIZE);
	if (!f->buf || (size_t)n > WAL_BUFFER_SIZE) {
		f->commit_pending = false;
		return f->real->pMethods->xWrite(f->real, data, n, off);
	}
	if (!f->len)
		f->off = off;
	memcpy(f->buf + f->len, data, (size_t)n);
	f->len += (size_t)n;
	if (commit_page || commit_frame(data, n))
		return write_out(f); /* the commit frame's page: out now, errors to COMMIT */
	f->commit_pending = commit_header(data, n);
	return SQLITE_OK;
}

static int
shim_truncate(sqlite3_file *file, sqlite3_int64 size)
{
	struct shim_file *f = (struct shim_file *)file;
	forget_read_ahead(f);
	int rc = flushed(f);
	return rc != SQLITE_OK ? rc : f->real->pMethods->xTruncate(f->real, size);
}

static int
shim_sync(sqlite3_file *file, int flags)
{
	struct shim_file *f = (struct shim_file *)file;
	int rc = flushed(f);
	return rc != SQLITE_OK ? rc : f->real->pMethods->xSync(f->real, flags);
}

static int
shim_file_size(sqlite3_file *file, sqlite3_int64 *size)
{
	struct shim_file *f = (struct shim_file *)file;
	int rc = flushed(f);
	return rc != SQLITE_OK ? rc : f->real->pMethods->xFileSize(f->real, size);
}

static int
shim_lock(sqlite3_file *file, int level)
{
	struct shim_file *f = (struct shim_file *)file;
	return f->real->pMethods->xLock(f->real, level);
}

static int
shim_unlock(sqlite3_file *file, int level)
{
	struct shim_file *f = (struct shim_file *)file;
	return f->real->pMethods->xUnlock(f->real, level);
}

static int
shim_check_reserved_lock(sqlite3_file *file, int *out)
{
	struct shim_file *f = (struct shim_file *)file;
	return f->real->pMethods->xCheckReservedLock(f->real, out);
}

static int
shim_file_control(sqlite3_file *file, int op, void *arg)
{
	struct shim_file *f = (struct shim_file *)file;
	int rc = flushed(f);
	return rc != SQLITE_OK ? rc : f->real->pMethods->xFileControl(f->real, op, arg);
}

static int
shim_sector_size(sqlite3_file *file)
{
	struct shim_file *f = (struct shim_file *)file;
	return f->real->pMethods->xSectorSize(f->real);
}

static int
shim_device_characteristics(sqlite3_file *file)
{
	struct shim_file *f = (struct shim_file *)file;
	return f->real->pMethods->xDeviceCharacteristics(f->real);
}

static int
shim_shm_map(sqlite3_file *file, int region, int size, int extend, void volatile **out)
{
	struct shim_file *f = (struct shim_file *)file;
	return f->real->pMethods->xShmMap(f->real, region, size, extend, out);
}

/* The shared-memory calls are the database file's; the frames they publish
 * are in its WAL's buffer. */
static int
shim_shm_lock(sqlite3_file *file, int offset, int n, int flags)
{
	struct shim_file *f = (struct shim_file *)file;
	forget_read_ahead(f->peer);
	int rc = flushed(f->peer);
	if (rc != SQLITE_OK && !(flags & SQLITE_SHM_UNLOCK))
		return rc; /* an unlock still happens: others must not wait on us */
	return f->real->pMethods->xShmLock(f->real, offset, n, flags);
}

static void
shim_shm_barrier(sqlite3_file *file)
{
	struct shim_file *f = (struct shim_file *)file;
	forget_read_ahead(f->peer);
	flushed(f->peer);
	f->real->pMethods->xShmBarrier(f->real);
}

static int
shim_shm_unmap(sqlite3_file *file, int delete_flag)
{
	struct shim_file *f = (struct shim_file *)file;
	forget_read_ahead(f->peer);
	flushed(f->peer);
	return f->real->pMethods->xShmUnmap(f->real, delete_flag);
}

static int
shim_fetch(sqlite3_file *file, sqlite3_int64 off, int n, void **out)
{
	struct shim_file *f = (struct shim_file *)file;
	if (f->real->pMethods->iVersion < 3) {
		*out = NULL;
		return SQLITE_OK;
	}
	return f->real->pMethods->xFetch(f->real, off, n, out);
}

static int
shim_unfetch(sqlite3_file *file, sqlite3_int64 off, void *p)
{
	struct shim_file *f = (struct shim_file *)file;
	if (f->real->pMethods->iVersion < 3)
		return SQLITE_OK;
	return f->real->pMethods->xUnfetch(f->real, off, p);
}

static const sqlite3_io_methods shim_methods = {
	.iVersion = 3,
	.xClose = shim_close,
	.xRead = shim_read,
	.xWrite = shim_write,
	.xTruncate = shim_truncate,
	.xSync = shim_sync,
	.xFileSize = shim_file_size,
	.xLock = shim_lock,
	.xUnlock = shim_unlock,
	.xCheckReservedLock = shim_check_reserved_lock,
	.xFileControl = shim_file_control,
	.xSectorSize = shim_sector_size,
	.xDeviceCharacteristics = shim_device_characteristics,
	.xShmMap = shim_shm_map,
	.xShmLock = shim_shm_lock,
	.xShmBarrier = shim_shm_barrier,
	.xShmUnmap = shim_shm_unmap,
	.xFetch = shim_fetch,
	.xUnfetch = shim_unfetch,
};

static int
shim_open(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *file, int flags, int *out_flags)
{
	(void)vfs;
	struct shim_file *f = (struct shim_file *)file;
	memset(f, 0, sizeof(*f));
	f->real = (sqlite3_file *)((char *)f + SHIM_FILE_SIZE);
	int rc = real_vfs()->xOpen(real_vfs(), name, f->real, flags, out_flags);
	if (!f->real->pMethods) {
		file->pMethods = NULL;
		return rc;
	}
	file->pMethods = &shim_methods;
	if (rc == SQLITE_OK && (flags & SQLITE_OPEN_WAL) && name) {
		/* The WAL's name is the one SQLite made from its database's: that
		 * finds the database's file, whose shared memory publishes frames. */
		sqlite3_file *db = sqlite3_database_file_object(name);
		if (db && db->pMethods == &shim_methods) {
			f->is_wal = true;
			f->peer = (struct shim_file *)db;
			f->peer->peer = f;
		}
	}
	return rc;
}

static int
shim_delete(sqlite3_vfs *vfs, const char *name, int sync_dir)
{
	(void)vfs;
	return real_vfs()->xDelete(real_vfs(), name, sync_dir);
}

static int
shim_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
	(void)vfs;
	return real_vfs()->xAccess(real_vfs(), name, flags, out);
}

static int
shim_full_pathname(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
	(void)vfs;
	return real_vfs()->xFullPathname(real_vfs(), name, n, out);
}

static void *
shim_dl_open(sqlite3_vfs *vfs, const char *name)
{
	(void)vfs;
	return real_vfs()->xDlOpen(real_vfs(), name);
}

static void
shim_dl_error(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	real_vfs()->xDlError(real_vfs(), n, out);
}

static void (*shim_dl_sym(sqlite3_vfs *vfs, void *handle, const char *sym))(void)
{
	(void)vfs;
	return real_vfs()->xDlSym(real_vfs(), handle, sym);
}

static void
shim_dl_close(sqlite3_vfs *vfs, void *handle)
{
	(void)vfs;
	real_vfs()->xDlClose(real_vfs(), handle);
}

static int
shim_randomness(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	return real_vfs()->xRandomness(real_vfs(), n, out);
}

static int
shim_sleep(sqlite3_vfs *vfs, int us)
{
	(void)vfs;
	return real_vfs()->xSleep(real_vfs(), us);
}

static int
shim_current_time(sqlite3_vfs *vfs, double *out)
{
	(void)vfs;
	return real_vfs()->xCurrentTime(real_vfs(), out);
}

static int
shim_get_last_error(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	return real_vfs()->xGetLastError(real_vfs(), n, out);
}

static int
shim_current_time_int64(sqlite3_vfs *vfs, sqlite3_int64 *out)
{
	(void)vfs;
	return real_vfs()->xCurrentTimeInt64(real_vfs(), out);
}

/* Registers the shim once (not as the default VFS); its name, or NULL when
 * SQLite has no VFS of version 2 or later with shared memory to wrap (then
 * connections open on SQLite's default). */
const char *
store_vfs_name(void)
{
	if (shim.real)
		return shim.vfs.zName;
	sqlite3_vfs *real = sqlite3_vfs_find(NULL);
	if (!real || real->iVersion < 2)
		return NULL;
	shim.real = real;
	shim.vfs = (sqlite3_vfs){
		.iVersion = 2,
		.szOsFile = (int)SHIM_FILE_SIZE + real->szOsFile,
		.mxPathname = real->mxPathname,
		.zName = "kmrep-wal-buffer",
		.xOpen = shim_open,
		.xDelete = shim_delete,
		.xAccess = shim_access,
		.xFullPathname = shim_full_pathname,
		.xDlOpen = shim_dl_open,
		.xDlError = shim_dl_error,
		.xDlSym = shim_dl_sym,
		.xDlClose = shim_dl_close,
		.xRandomness = shim_randomness,
		.xSleep = shim_sleep,
		.xCurrentTime = shim_current_time,
		.xGetLastError = shim_get_last_error,
		.xCurrentTimeInt64 = shim_current_time_int64,
	};
	if (sqlite3_vfs_register(&shim.vfs, 0) != SQLITE_OK) {
		shim.real = NULL;
		return NULL;
	}
	return shim.vfs.zName;
}
