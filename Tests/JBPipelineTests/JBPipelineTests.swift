// JBPipelineTests
