import Foundation
import JBCore
import Yams

/// The one way jb reads YAML — configuration files and pipeline files alike — with the same
/// limits for all: a size cap, text checked for NUL bytes and bad UTF-8 (reported by line and
/// column), and a cap on the values a document expands to, so that anchors and aliases
/// nested a few levels deep (a "billion laughs") are refused at once instead of eating time
/// and memory.
public enum YAMLFile {
    /// The largest YAML file read, in bytes.
    public static let maxBytes = 4 << 20
    /// The most values (scalars, lists, mappings) a document may expand to, aliases counted
    /// once per use.
    public static let maxNodes = 100_000
    /// The deepest nesting of lists and mappings.
    public static let maxDepth = 64

    /// Reads and parses the file at `path`; nil for an empty document.
    public static func load(path: String) throws -> Node? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw JBError.cannotOpen(path: path, reason: "no such file")
        }
        if isDirectory.boolValue {
            throw JBError.cannotOpen(path: path, reason: "is a directory (give a YAML file)")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw JBError.cannotOpen(path: path, reason: "permission denied or unreadable")
        }
        defer { try? handle.close() }
        let data: Data
        do {
            data = try handle.read(upToCount: maxBytes + 1) ?? Data()
        } catch {
            throw JBError.cannotOpen(path: path, reason: "cannot read: \(error.localizedDescription)")
        }
        if data.count > maxBytes {
            throw JBError.badConfig(path: path, line: 0, column: 0,
                                    message: "larger than \(maxBytes >> 20) MiB: not a configuration or pipeline file")
        }
        return try parse(bytes: [UInt8](data), path: path)
    }

    /// Parses YAML text given as bytes; `path` names it in errors.
    public static func parse(bytes: [UInt8], path: String) throws -> Node? {
        try checkText(bytes, path: path)
        var text = String(decoding: bytes, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        return try parse(text: text, path: path)
    }

    /// Parses YAML text; `path` names it in errors.
    public static func parse(text: String, path: String) throws -> Node? {
        if let zero = text.utf8.firstIndex(of: 0) {
            let (line, column) = position(of: text.utf8.distance(from: text.utf8.startIndex, to: zero), in: Array(text.utf8))
            throw JBError.badConfig(path: path, line: line, column: column,
                                    message: "a NUL byte: this is not a text file (remove the byte or give the right file)")
        }
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw YAMLErrors.located(error, path: path)
        }
        if let node { try checkSize(node, path: path) }
        return node
    }

    /// NUL bytes and invalid UTF-8 are refused with their line and column.
    static func checkText(_ bytes: [UInt8], path: String) throws {
        if let zero = bytes.firstIndex(of: 0) {
            let (line, column) = position(of: zero, in: bytes)
            throw JBError.badConfig(path: path, line: line, column: column,
                                    message: "a NUL byte: this is not a text file (remove the byte or give the right file)")
        }
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var offset = 0
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let s):
                offset += UTF8.width(s)
            case .emptyInput:
                break loop
            case .error:
                let (line, column) = position(of: min(offset, bytes.count), in: bytes)
                throw JBError.badConfig(path: path, line: line, column: column,
                                        message: "not valid UTF-8 text (save the file as UTF-8)")
            }
        }
    }

    /// The 1-based line and column of byte `offset`.
    static func position(of offset: Int, in bytes: [UInt8]) -> (Int, Int) {
        var line = 1, start = 0
        for k in 0..<min(offset, bytes.count) where bytes[k] == 0x0A {
            line += 1
            start = k + 1
        }
        return (line, offset - start + 1)
    }

    /// Counts the values the document expands to (every alias use counts its whole target
    /// again) and its depth, stopping at the first limit passed.
    static func checkSize(_ root: Node, path: String) throws {
        var count = 0
        func visit(_ n: Node, depth: Int) throws {
            count += 1
            if count > maxNodes {
                throw JBError.badConfig(path: path, line: n.mark?.line ?? 0, column: n.mark?.column ?? 0,
                                        message: "the document expands to more than \(maxNodes) values (anchors and aliases nested too deep?): refused")
            }
            if depth > maxDepth {
                throw JBError.badConfig(path: path, line: n.mark?.line ?? 0, column: n.mark?.column ?? 0,
                                        message: "nested more than \(maxDepth) levels deep: refused")
            }
            switch n {
            case .mapping(let m):
                for (k, v) in m {
                    try visit(k, depth: depth + 1)
                    try visit(v, depth: depth + 1)
                }
            case .sequence(let s):
                for v in s { try visit(v, depth: depth + 1) }
            case .scalar, .alias:
                break
            }
        }
        try visit(root, depth: 0)
    }
}
