// JBCoreTests
