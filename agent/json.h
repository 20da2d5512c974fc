/* The little JSON the agent needs: reading the server's answers (the
 * policy, the enrollment) into a tree, and writing strings escaped. */
#ifndef WA_JSON_H
#define WA_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

enum jtype { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

struct jv {
	enum jtype	 type;
	int		 b;
	double		 num;
	int64_t		 i;		/* num as an integer, when it is one */
	int		 is_int;
	char		*s;		/* J_STR: the decoded text */
	char		*key;		/* a member of an object: its name */
	struct jv	*child;		/* J_ARR, J_OBJ: the first element */
	struct jv	*next;
};

/* NULL (and a message in err) if text is not one JSON value. */
struct jv	*json_parse(const char *text, size_t len, char *err, size_t errsz);
void		 json_free(struct jv *);
struct jv	*json_get(const struct jv *obj, const char *key);
/* The member as an integer / a string, or def when absent or another type. */
int64_t		 json_int(const struct jv *obj, const char *key, int64_t def);
const char	*json_str(const struct jv *obj, const char *key, const char *def);

/* Appends s as a JSON string (quoted and escaped). */
void		 json_add_str(struct buf *, const char *s, size_t len);

#endif
