/* auth.fcgi: runs auth_app (routes.c) under the FastCGI server. */
#include "config.h"

#include "auth.h"

int
main(int argc, char **argv)
{
	return wt_main(argc, argv, &auth_app);
}
