// Shared CLI plumbing for the jb tools.
