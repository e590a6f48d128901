#include "prevsite.h"

#include <string.h>

static void *read_prev(void *arg)
{
	struct prev_site *s = arg;
	s->rc = writer_peek(&s->w, s->output, &s->d);
	if (s->rc == 0) {
		s->index_ok = sprev_open(&s->index, &s->w, s->search_index,
					 s->search_index_len);
		s->data_ok = dprev_open(&s->data, &s->w, s->data_index,
					s->data_index_len);
	}
	return NULL;
}

void prev_site_start(struct prev_site *s, const char *output,
		     const unsigned char *data_index, size_t data_len,
		     const unsigned char *search_index, size_t search_len)
{
	memset(s, 0, sizeof *s);
	diag_init_kept(&s->d);
	s->output = output;
	s->data_index = data_index;
	s->data_index_len = data_len;
	s->search_index = search_index;
	s->search_index_len = search_len;
	s->started = pthread_create(&s->thread, NULL, read_prev, s) == 0;
	if (!s->started)
		read_prev(s);
}

void prev_site_join(struct prev_site *s, struct diag *d)
{
	if (s->joined)
		return;
	if (s->started)
		pthread_join(s->thread, NULL);
	s->joined = true;
	s->w.d = d;
	diag_pass_on(d, &s->d);
}

void prev_site_settle(struct prev_site *s)
{
	if (!s->joined && s->started) {
		pthread_join(s->thread, NULL);
		s->started = false;
	}
	writer_settle(&s->w);
}

void prev_site_release(struct prev_site *s)
{
	if (!s->joined) {
		/* Not built (the archive had errors): its messages go. */
		if (s->started)
			pthread_join(s->thread, NULL);
		buf_release(&s->d.kept);
	}
	if (s->index_ok)
		sprev_release(&s->index);
	if (s->data_ok)
		dprev_release(&s->data);
	writer_release(&s->w);
	memset(s, 0, sizeof *s);
}
