#include "jb_build_info.h"

// The generated header is optional, so `swift build` alone works in a clean clone; clang's
// dependency tracking recompiles this file whenever `make` rewrites it.
#if __has_include("generated/jb_build_commit.h")
#include "generated/jb_build_commit.h"
#endif

#ifndef JB_BUILD_COMMIT
#define JB_BUILD_COMMIT ""
#endif

const char *jb_build_commit(void) { return JB_BUILD_COMMIT; }
