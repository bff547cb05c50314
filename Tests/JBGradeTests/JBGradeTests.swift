// JBGradeTests
