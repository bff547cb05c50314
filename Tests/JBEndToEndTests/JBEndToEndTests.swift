// JBEndToEndTests
