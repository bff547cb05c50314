// JBQueryTests
