// jb-ingest core.
