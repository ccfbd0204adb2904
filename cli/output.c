#include "output.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "xalloc.h"

int
output_open(struct output *o, const char *path, char *err)
{
	o->fp = stdout;
	o->path = o->tmp = NULL;
	if (!path || !strcmp(path, "-"))
		return 0;
	o->path = xstrdup(path);
	o->tmp = xasprintf("%s.tmp-XXXXXX", path);
	int fd = mkstemp(o->tmp);
	if (fd < 0) {
		set_err(err, "cannot write %s: %s", path, strerror(errno));
		free(o->path);
		free(o->tmp);
		o->path = o->tmp = NULL;
		return -1;
	}
	fchmod(fd, 0644);
	o->fp = fdopen(fd, "w");
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
	if (fflush(o->fp) != 0 || ferror(o->fp) || fsync(fileno(o->fp)) != 0)
		ok = 0, rc = set_err(err, "write error on %s: %s", o->path, strerror(errno));
	if (fclose(o->fp) != 0 && ok)
		ok = 0, rc = set_err(err, "write error on %s: %s", o->path, strerror(errno));
	if (ok && rename(o->tmp, o->path) != 0)
		ok = 0, rc = set_err(err, "cannot replace %s: %s", o->path, strerror(errno));
	if (!ok)
		unlink(o->tmp);
	free(o->path);
	free(o->tmp);
	o->path = o->tmp = NULL;
	return ok ? 0 : (rc ? rc : -1);
}
