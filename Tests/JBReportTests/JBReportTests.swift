// JBReportTests
