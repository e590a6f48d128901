#include "diag.h"

#include <stdarg.h>

#include "buf.h"

void diag_init(struct diag *d, FILE *out)
{
	d->out = out;
	d->errors = 0;
	d->warnings = 0;
}

/* Formats the whole message first so that one diagnostic is one write,
 * never interleaved with another stream's output. */
static void report(struct diag *d, const char *kind, const char *file,
		   int line, int col, const char *fmt, va_list ap)
{
	struct buf b;
	buf_init(&b);
	buf_adds(&b, file);
	if (line > 0) {
		buf_addf(&b, ":%d", line);
		if (col > 0)
			buf_addf(&b, ":%d", col);
	}
	buf_addf(&b, ": %s: ", kind);
	buf_vaddf(&b, fmt, ap);
	buf_addc(&b, '\n');
	fwrite(b.data, 1, b.len, d->out);
	fflush(d->out);
	buf_release(&b);
}

void diag_error(struct diag *d, const char *file, int line, int col,
		const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report(d, "error", file, line, col, fmt, ap);
	va_end(ap);
	d->errors++;
}

void diag_warning(struct diag *d, const char *file, int line, int col,
		  const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report(d, "warning", file, line, col, fmt, ap);
	va_end(ap);
	d->warnings++;
}
