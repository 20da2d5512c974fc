/* A bump allocator for jansson while one large document is parsed and
 * read: a 100-span batch is some 700 small objects and strings, and
 * malloc and free for each of them cost as much as the parsing itself.
 *
 * Between json_arena_begin() and json_arena_end() every jansson allocation
 * comes from the arena and every free is a no-op; end releases it all and
 * gives jansson back its own allocator.  So a json_t made inside must be
 * dropped inside (or never used again), and one made before must not be
 * freed inside (it would leak).  Built with the sanitizers, both are plain
 * malloc and free, so ASan still checks jansson's use. */
#ifndef WT_JSONARENA_H
#define WT_JSONARENA_H

void	json_arena_begin(void);
void	json_arena_end(void);

#endif
