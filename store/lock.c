/* The refresh lock: one `kmrep refresh` per database at a time (SPEC §2,
 * exit 4).  flock on DB + ".lock", released by the kernel if we die; the
 * holder's pid is written in the file so the next one can name it.  The lock
 * is never opened through a symlink, and anything but a regular file with one
 * link is refused: truncating it must never damage another file. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "store.h"
#include "xalloc.h"

struct store_lock {
	int fd; /* -1 for ":memory:" */
};

/* 0 and *out, 1 held by *holder_pid, -1.  See store.h. */
int
store_lock_acquire(const char *db_path, struct store_lock **out, long *holder_pid, char *err)
{
	*out = NULL;
	if (holder_pid)
		*holder_pid = 0;
	struct store_lock *l = xcalloc(1, sizeof(*l));
	l->fd = -1;
	if (strcmp(db_path, ":memory:") == 0) {
		*out = l;
		return 0;
	}
	char *path = xasprintf("%s.lock", db_path);
	/* Never through a symlink, never a FIFO's or device's open that blocks:
	 * the lock is truncated below, and that must only ever hit the lock. */
	l->fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0644);
	if (l->fd < 0) {
		if (errno == ELOOP)
			set_err(err, "%s is a symbolic link; refusing to use it as the refresh "
				     "lock (remove it)", path);
		else
			set_err(err, "%s: %s", path, strerror(errno));
		goto fail;
	}
	struct stat st;
	if (fstat(l->fd, &st) < 0) {
		set_err(err, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode) || st.st_nlink != 1) {
		set_err(err, "%s is not a regular file of its own (%s); refusing to use it as the "
			     "refresh lock (remove it)", path,
			!S_ISREG(st.st_mode) ? "a FIFO, device or socket" : "it has other hard links");
		goto fail;
	}
	if (flock(l->fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno != EWOULDBLOCK) {
			set_err(err, "%s: %s", path, strerror(errno));
			goto fail;
		}
		char buf[32] = "";
		ssize_t n = pread(l->fd, buf, sizeof(buf) - 1, 0);
		if (holder_pid && n > 0)
			*holder_pid = strtol(buf, NULL, 10);
		free(path);
		store_lock_release(l);
		return 1;
	}
	char pid[32];
	int len = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (ftruncate(l->fd, 0) < 0 || pwrite(l->fd, pid, (size_t)len, 0) != len) {
		set_err(err, "%s: %s", path, strerror(errno));
		goto fail;
	}
	free(path);
	*out = l;
	return 0;
fail:
	free(path);
	store_lock_release(l);
	return -1;
}

/* Unlocks and frees; NULL ok.  The file stays (removing it would race). */
void
store_lock_release(struct store_lock *l)
{
	if (!l)
		return;
	if (l->fd >= 0)
		close(l->fd);
	free(l);
}
