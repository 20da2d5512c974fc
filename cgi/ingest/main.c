/* ingest.fcgi: runs ingest_app (routes.c) under the FastCGI server. */
#include "config.h"

#include "ingest.h"

int
main(int argc, char **argv)
{
	return wt_main(argc, argv, &ingest_app);
}
