/// Text from data made safe to print on a terminal (every diagnostic passes through it): one
/// line, with control characters — escape sequences among them — and bidirectional overrides
/// replaced by U+FFFD, so a model name or a category cannot set the window title, move the
/// cursor or clear the screen.
public enum TerminalText {
    /// `text` on one line (line breaks and tabs become spaces), controls replaced.
    public static func safe(_ text: String) -> String {
        if !text.unicodeScalars.contains(where: { needsReplacing($0) }) { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if scalar == "\n" || scalar == "\r" || scalar == "\t" {
                out += " "
            } else if needsReplacing(scalar) {
                out += "\u{FFFD}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func needsReplacing(_ s: Unicode.Scalar) -> Bool {
        s.value < 0x20 || (s.value >= 0x7F && s.value <= 0x9F)
            || (0x202A...0x202E).contains(s.value) || (0x2066...0x2069).contains(s.value)
    }
}
