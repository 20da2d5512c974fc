/* dash.fcgi: runs dash_app (routes.c) under the FastCGI server. */
#include "config.h"

#include "dash.h"

int
main(int argc, char **argv)
{
	return wt_main(argc, argv, &dash_app);
}
