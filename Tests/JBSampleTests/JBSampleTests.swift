// JBSampleTests
