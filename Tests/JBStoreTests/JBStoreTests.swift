// JBStoreTests
