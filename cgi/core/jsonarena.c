#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <jansson.h>

#include "buf.h"
#include "jsonarena.h"

#if defined(__SANITIZE_ADDRESS__)
#define WT_ARENA_OFF	1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define WT_ARENA_OFF	1
#endif
#endif

#ifdef WT_ARENA_OFF
void
json_arena_begin(void)
{
}

void
json_arena_end(void)
{
}
#else

#define CHUNK	(256 * 1024)
#define ALIGN	_Alignof(max_align_t)

struct chunk {
	struct chunk	*next;
	size_t		 used, size;
	max_align_t	 data[];
};

static struct chunk		*head;	/* the one in use; the first is kept */
static json_malloc_t		 saved_malloc;
static json_free_t		 saved_free;
static int			 active;

static struct chunk *
chunk_new(size_t size)
{
	struct chunk *c = xmalloc(offsetof(struct chunk, data) + size);

	c->next = NULL;
	c->used = 0;
	c->size = size;
	return c;
}

static void *
arena_malloc(size_t n)
{
	void *p;

	n = (n + ALIGN - 1) & ~(ALIGN - 1);
	if (head->size - head->used < n) {
		/* A new chunk in front; a huge string gets one of its own. */
		struct chunk *c = chunk_new(n > CHUNK / 4 ? n : CHUNK);

		c->next = head;
		head = c;
	}
	p = (char *)head->data + head->used;
	head->used += n;
	return p;
}

static void
arena_free(void *p)
{
	(void)p;
}

void
json_arena_begin(void)
{
	if (active)
		return;
	if (head == NULL)
		head = chunk_new(CHUNK);
	json_get_alloc_funcs(&saved_malloc, &saved_free);
	json_set_alloc_funcs(arena_malloc, arena_free);
	active = 1;
}

void
json_arena_end(void)
{
	if (!active)
		return;
	json_set_alloc_funcs(saved_malloc, saved_free);
	while (head->next != NULL) {
		struct chunk *c = head;

		head = c->next;
		free(c);
	}
	head->used = 0;
	active = 0;
}
#endif
