// JBModelsTests
