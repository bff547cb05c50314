// JBCLITests
