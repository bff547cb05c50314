import Foundation

/// `${VAR}` and `${VAR:-default}` expansion from the environment, as in a POSIX shell.
public enum EnvironmentExpansion {
    /// Why an expansion failed, with the offset (in characters) of the `$` that caused it.
    public struct Failure: Error, Equatable, Sendable {
        public var message: String
        public var offset: Int

        public init(message: String, offset: Int) {
            self.message = message
            self.offset = offset
        }
    }

    /// Expands every `${VAR}` and `${VAR:-default}` in `text`; `$$` is a literal `$`, and a
    /// `$` not followed by `{` or `$` is kept (so `$2,000` needs no escaping).
    ///
    /// `${VAR}` with VAR unset is an error; `${VAR:-default}` uses the default when VAR is
    /// unset or empty.
    public static func expand(_ text: String, environment: [String: String]) throws(Failure) -> String {
        guard text.contains("$") else { return text }
        let chars = Array(text)
        var out = ""
        var k = 0
        while k < chars.count {
            let c = chars[k]
            guard c == "$", k + 1 < chars.count else {
                out.append(c)
                k += 1
                continue
            }
            if chars[k + 1] == "$" {
                out.append("$")
                k += 2
                continue
            }
            guard chars[k + 1] == "{" else {
                out.append(c)
                k += 1
                continue
            }
            guard let close = chars[(k + 2)...].firstIndex(of: "}") else {
                throw Failure(message: "unterminated '${': expected '}'", offset: k)
            }
            let body = String(chars[(k + 2)..<close])
            let name: String
            var fallback: String?
            if let r = body.range(of: ":-") {
                name = String(body[..<r.lowerBound])
                fallback = String(body[r.upperBound...])
            } else {
                name = body
            }
            guard isName(name) else {
                throw Failure(message: "'${\(body)}': expected ${NAME} or ${NAME:-default}", offset: k)
            }
            if let v = environment[name], !(fallback != nil && v.isEmpty) {
                out += v
            } else if let fallback {
                out += fallback
            } else {
                throw Failure(message: "environment variable \(name) is not set (write ${\(name):-default} to give a default)",
                              offset: k)
            }
            k = close + 1
        }
        return out
    }

    static func isName(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic) else {
            return false
        }
        return s.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }
}

/// References to the run folder and to stage outputs inside pipeline values: `{{run}}` is
/// the run folder, `{{NAME}}` the output file of stage NAME.
public enum References {
    /// The names referenced in `text`, in order.
    public static func names(in text: String) -> [String] {
        var out: [String] = []
        var rest = text[...]
        while let open = rest.range(of: "{{") {
            guard let close = rest[open.upperBound...].range(of: "}}") else { break }
            out.append(String(rest[open.upperBound..<close.lowerBound]).trimmingCharacters(in: .whitespaces))
            rest = rest[close.upperBound...]
        }
        return out
    }

    /// `text` with each `{{name}}` replaced by `resolve(name)`.
    public static func substitute(_ text: String, _ resolve: (String) -> String) -> String {
        guard text.contains("{{") else { return text }
        var out = ""
        var rest = text[...]
        while let open = rest.range(of: "{{") {
            guard let close = rest[open.upperBound...].range(of: "}}") else { break }
            out += rest[..<open.lowerBound]
            out += resolve(String(rest[open.upperBound..<close.lowerBound]).trimmingCharacters(in: .whitespaces))
            rest = rest[close.upperBound...]
        }
        out += rest
        return out
    }
}
