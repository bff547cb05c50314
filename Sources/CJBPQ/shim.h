// libpq, PostgreSQL's own C client (Debian: libpq-dev), for jb-store's and the response
// cache's PostgreSQL engine. Its functions are plain C, so Swift calls them directly.
#include <libpq-fe.h>
