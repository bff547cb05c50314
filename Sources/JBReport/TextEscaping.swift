import JBCore

/// Escaping for every output format: text that comes from data (model replies, categories,
/// clues, model names) passes through one of these before it reaches a report, so a reply
/// containing `<script>`, a table pipe, a spreadsheet formula or a terminal escape sequence is
/// shown as text and can never change the document around it.
public enum TextEscaping {
    /// Text safe inside HTML (and SVG) element content and quoted attribute values.
    public static func html(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                if isControl(scalar) && scalar != "\n" && scalar != "\t" {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// Text safe inside a GitHub-flavoured Markdown table cell or paragraph: one line, table
    /// pipes and emphasis, link, code and HTML syntax escaped.
    public static func markdown(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\", "`", "*", "_", "[", "]", "|", "~", "$":
                out += "\\"
                out.unicodeScalars.append(scalar)
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\n", "\r", "\t": out += " "
            default:
                if isControl(scalar) {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// One CSV field (RFC 4180): quoted when it holds a comma, quote or line break, with
    /// quotes doubled. Text that a spreadsheet would run as a formula (starting with `=`, `+`,
    /// `-`, `@`, tab or carriage return) gets a leading `'`; numbers are never passed here.
    public static func csv(_ text: String) -> String {
        var t = text
        if let first = t.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) {
            t = "'" + t
        }
        var needsQuotes = false
        for scalar in t.unicodeScalars where scalar == "," || scalar == "\"" || scalar == "\n" || scalar == "\r" {
            needsQuotes = true
            break
        }
        if !needsQuotes { return t }
        return "\"" + t.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Text safe to print on a terminal: one line, with control characters (escape
    /// sequences among them) replaced, so data cannot move the cursor or change colours —
    /// JBCore's `TerminalText`, which every diagnostic also goes through.
    public static func terminal(_ text: String) -> String { TerminalText.safe(text) }

    /// C0 and C1 control characters and DEL.
    static func isControl(_ s: Unicode.Scalar) -> Bool {
        s.value < 0x20 || (s.value >= 0x7F && s.value <= 0x9F)
    }
}
