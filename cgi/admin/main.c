/* admin.fcgi: runs admin_app (routes.c) under the FastCGI server. */
#include "config.h"

#include "admin.h"

int
main(int argc, char **argv)
{
	return wt_main(argc, argv, &admin_app);
}
