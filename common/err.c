#include "err.h"

#include <stdarg.h>
#include <stdio.h>

int
set_err(char *err, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err, ERRBUF_SIZE, fmt, ap);
		va_end(ap);
	}
	return -1;
}

int
set_errc(char *err, enum err_class c, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err, ERRBUF_SIZE, fmt, ap);
		va_end(ap);
	}
	return -(int)c;
}
