#include "diag.h"

#include <stdarg.h>

void diag_init(struct diag *d, FILE *out)
{
	d->out = out;
	d->kept = (struct buf){0};
	d->errors = 0;
	d->warnings = 0;
}

void diag_init_kept(struct diag *d)
{
	diag_init(d, NULL);
	buf_init(&d->kept);
}

/* One write per message or group of messages, so that nothing written to
 * the same stream from elsewhere lands inside one. */
static void emit(struct diag *d, const char *text, size_t len)
{
	if (!len)
		return;
	if (!d->out) {
		buf_add(&d->kept, text, len);
		return;
	}
	fwrite(text, 1, len, d->out);
	fflush(d->out);
}

void diag_pass_on(struct diag *to, struct diag *from)
{
	emit(to, from->kept.data, from->kept.len);
	to->errors += from->errors;
	to->warnings += from->warnings;
	buf_release(&from->kept);
	from->kept = (struct buf){0};
}

/* Formats the whole message first, then writes or keeps it at once. */
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
	emit(d, b.data, b.len);
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
