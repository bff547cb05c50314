// JBMetricsTests
