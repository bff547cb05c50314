import Foundation
import JBPipeline
import Testing

@Suite struct ToolLocatorTests {
    @Test func looksBesideJBThenOnPathThenForThePlainCommand() throws {
        let box = Sandbox()
        box.write("bin/jb-sample", "#!/bin/sh\n", executable: true)
        try FileManager.default.createDirectory(atPath: box.root + "/path", withIntermediateDirectories: true)
        box.write("path/jb-sample", "#!/bin/sh\n", executable: true)
        box.write("path/jb-grade", "#!/bin/sh\n", executable: true)
        box.write("path/jq", "#!/bin/sh\n", executable: true)
        box.write("path/jb-notexecutable", "#!/bin/sh\n")
        let locator = ToolLocator(jbDirectory: box.bin, path: box.root + "/path")
        #expect(locator.resolve("sample") == .init(name: "jb-sample", path: box.bin + "/jb-sample", besideJB: true))
        #expect(locator.resolve("jb-sample")?.besideJB == true)
        #expect(locator.resolve("grade") == .init(name: "jb-grade", path: box.root + "/path/jb-grade", besideJB: false))
        #expect(locator.resolve("jq")?.name == "jq")
        #expect(locator.resolve("notexecutable") == nil)
        #expect(locator.resolve("nothing") == nil)
        #expect(locator.resolve(box.root + "/path/jq")?.path == box.root + "/path/jq")
        #expect(locator.allTools().map(\.name) == ["jb-grade", "jb-sample"])
        #expect(ToolDispatch.toolList(locator).contains("jb-store      load records into SQLite, export them back (not found)"))
    }

    @Test func unknownToolIsAUsageError() {
        let locator = ToolLocator(jbDirectory: nil, path: "/nonexistent")
        #expect(ToolDispatch.exec(tool: "frobnicate", arguments: [], locator: locator)
                == .usage("'frobnicate' is not a jb command, and no jb-frobnicate was found beside jb or on PATH (see 'jb --help')"))
    }
}
