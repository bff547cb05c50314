#ifndef JB_BUILD_INFO_H
#define JB_BUILD_INFO_H

/// The git commit jb was built from, as `scripts/build-info.sh` (run by `make`) recorded it
/// in the git-ignored `generated/jb_build_commit.h`: 12 hex digits, with `-dirty` when the
/// tree had uncommitted changes. An empty string when that file is absent (a plain
/// `swift build`, or a tree without git).
const char *jb_build_commit(void);

#endif
