// JBIngestTests
