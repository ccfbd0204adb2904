#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "xalloc.h"

static void
output_reset(struct output *o)
{
	free(o->path);
	free(o->tmp);
	o->path = o->tmp = NULL;
}

/* The paths that name an open file or a device whatever they resolve to
 * (/dev/stdout is a symlink to /proc/self/fd/1, which may be a regular
 * file): written in place, never replaced.  The directory part is made
 * absolute first, so ../../dev/stdout is one too. */
static int
names_a_device(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? xstrndup(path, slash == path ? 1 : (size_t)(slash - path)) : xstrdup(".");
	char *real = realpath(dir, NULL);
	char *full = xasprintf("%s/%s", real ? real : dir, slash ? slash + 1 : path);
	int device = !strncmp(full, "/dev/", 5) || !strncmp(full, "/proc/", 6);
	free(dir);
	free(real);
	free(full);
	return device;
}

static int
open_in_place(struct output *o, const char *path, char *err)
{
	int fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0) {
		set_err(err, "cannot write %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (S_ISREG(st.st_mode) && ftruncate(fd, 0) < 0) {
		set_err(err, "cannot write %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	FILE *fp = fdopen(fd, "w");
	if (!fp) {
		set_err(err, "cannot write %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	o->path = xstrdup(path);
	o->fp = fp;
	return 0;
}

int
output_open(struct output *o, const char *path, char *err)
{
	o->fp = stdout;
	o->path = o->tmp = NULL;
	if (!path || !strcmp(path, "-"))
		return 0;
	struct stat lst, st;
	int exists = lstat(path, &lst) == 0;
	if (!exists && errno != ENOENT)
		return set_err(err, "cannot write %s: %s", path, strerror(errno));
	int is_link = exists && S_ISLNK(lst.st_mode);
	if (exists && stat(path, &st) < 0)
		return set_err(err, "cannot write %s: %s%s", path, strerror(errno),
			       is_link ? " (a symbolic link to nothing)" : "");
	if (exists && (names_a_device(path) || S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode) ||
		       S_ISBLK(st.st_mode)))
		return open_in_place(o, path, err);
	if (exists && !S_ISREG(st.st_mode))
		return set_err(err, "cannot write %s: %s", path,
			       S_ISDIR(st.st_mode) ? "it is a directory" : "not a regular file");
	/* A regular file, a symlink to one, or nothing yet: a temp file beside
	 * the file that will be replaced. */
	char *target = is_link ? realpath(path, NULL) : xstrdup(path);
	if (!target)
		return set_err(err, "cannot write %s: %s", path, strerror(errno));
	mode_t mode;
	if (exists) {
		mode = st.st_mode & 07777;
	} else {
		mode_t mask = umask(0);
		umask(mask);
		mode = 0666 & ~mask;
	}
	o->path = target;
	o->tmp = xasprintf("%s.tmp-XXXXXX", target);
	int fd = mkstemp(o->tmp);
	if (fd < 0) {
		set_err(err, "cannot write %s: %s", path, strerror(errno));
		output_reset(o);
		return -1;
	}
	/* The replaced file's owner and group where we may set them (root, or
	 * a group we are in); then its mode, which a chown may have cleared. */
	if (exists && fchown(fd, st.st_uid, st.st_gid) < 0 && fchown(fd, (uid_t)-1, st.st_gid) < 0)
		errno = 0;
	if (fchmod(fd, mode) < 0 || !(o->fp = fdopen(fd, "w"))) {
		set_err(err, "cannot write %s: %s", path, strerror(errno));
		close(fd);
		unlink(o->tmp);
		output_reset(o);
		o->fp = stdout;
		return -1;
	}
	return 0;
}

int
output_close(struct output *o, int ok, char *err)
{
	int rc = 0;
	if (!o->path) {
		if (fflush(stdout) != 0 || ferror(stdout))
			rc = set_err(err, "write error on standard output");
		return ok ? rc : -1;
	}
	if (fflush(o->fp) != 0 || ferror(o->fp) || (o->tmp && fsync(fileno(o->fp)) != 0))
		ok = 0, rc = set_err(err, "write error on %s: %s", o->path, strerror(errno));
	if (fclose(o->fp) != 0 && ok)
		ok = 0, rc = set_err(err, "write error on %s: %s", o->path, strerror(errno));
	if (o->tmp) {
		if (ok && rename(o->tmp, o->path) != 0)
			ok = 0, rc = set_err(err, "cannot replace %s: %s", o->path, strerror(errno));
		if (!ok)
			unlink(o->tmp);
	}
	output_reset(o);
	o->fp = stdout;
	return ok ? 0 : (rc ? rc : -1);
}
