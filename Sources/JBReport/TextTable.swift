/// A plain-text table laid out for a fixed width: the terminal report's building block.
///
/// Columns have a priority; when the table is wider than the terminal, the least important
/// columns are dropped first, then the widest flexible column is shortened with `…`.
struct TextTable {
    enum Alignment { case left, right }

    struct Column {
        var header: String
        var alignment: Alignment
        /// 0 is never dropped; higher numbers go first.
        var priority: Int
        /// May be shortened with an ellipsis down to `minWidth`.
        var flexible: Bool = false
        var minWidth: Int = 8
    }

    /// A cell: its text (already safe for a terminal) and an optional SGR colour code.
    struct Cell {
        var text: String
        var style: String?
        init(_ text: String, style: String? = nil) {
            self.text = text
            self.style = style
        }
    }

    var columns: [Column]
    var rows: [[Cell]] = []

    /// The columns kept and their widths at `width`.
    func layout(width: Int, indent: Int = 2) -> (keep: [Int], widths: [Int: Int]) {
        var keep = Array(columns.indices)
        let gap = 2
        func natural(_ c: Int) -> Int {
            max(DisplayWidth.of(columns[c].header), rows.map { DisplayWidth.of($0[c].text) }.max() ?? 0)
        }
        var widths = Dictionary(uniqueKeysWithValues: columns.indices.map { ($0, natural($0)) })
        func total() -> Int { indent + keep.map { widths[$0]! }.reduce(0, +) + gap * max(0, keep.count - 1) }
        while total() > width {
            // Shorten long flexible columns (to 26) before dropping anything.
            if let f = keep.filter({ columns[$0].flexible && widths[$0]! > max(columns[$0].minWidth, min(natural($0), 26)) })
                .max(by: { widths[$0]! < widths[$1]! }) {
                widths[f]! -= 1
                continue
            }
            let candidate = keep.filter({ columns[$0].priority > 0 }).max(by: { columns[$0].priority < columns[$1].priority })
            // The most important columns (priority 1 and 2) stay while names can still shorten.
            if let c = candidate, columns[c].priority <= 2,
               let f = keep.filter({ columns[$0].flexible && widths[$0]! > columns[$0].minWidth })
                .max(by: { widths[$0]! < widths[$1]! }) {
                widths[f]! -= 1
                continue
            }
            guard let drop = candidate else {
                if let f = keep.filter({ columns[$0].flexible && widths[$0]! > columns[$0].minWidth })
                    .max(by: { widths[$0]! < widths[$1]! }) {
                    widths[f]! -= 1
                    continue
                }
                break
            }
            keep.removeAll { $0 == drop }
        }
        // A less important column that fits in the room left comes back.
        let dropped = columns.indices.filter { !keep.contains($0) }.sorted { columns[$0].priority < columns[$1].priority }
        for c in dropped where total() + gap + widths[c]! <= width {
            keep.append(c)
            keep.sort()
        }
        // Give back room that dropping columns freed.
        for c in keep where columns[c].flexible {
            while widths[c]! < natural(c) && total() < width { widths[c]! += 1 }
        }
        return (keep, widths)
    }

    /// The table's lines, at most `width` columns wide; `color` adds SGR styles.
    func render(width: Int, color: Bool, indent: Int = 2) -> [String] {
        let (keep, widths) = layout(width: width, indent: indent)
        let gap = 2
        var lines: [String] = []
        let pad = String(repeating: " ", count: indent)
        func line(_ cells: [Cell], header: Bool) -> String {
            var parts: [String] = []
            for c in keep {
                let w = widths[c]!
                let text = DisplayWidth.truncate(cells[c].text, to: w)
                let fill = String(repeating: " ", count: max(0, w - DisplayWidth.of(text)))
                var shown = columns[c].alignment == .left ? text + fill : fill + text
                let style = header ? "1" : cells[c].style
                if color, let style, !text.isEmpty { shown = columns[c].alignment == .left
                    ? "\u{1B}[\(style)m\(text)\u{1B}[0m" + fill : fill + "\u{1B}[\(style)m\(text)\u{1B}[0m" }
                parts.append(shown)
            }
            var s = pad + parts.joined(separator: String(repeating: " ", count: gap))
            while s.hasSuffix(" ") { s.removeLast() }
            return s
        }
        lines.append(line(columns.map { Cell($0.header) }, header: true))
        for row in rows { lines.append(line(row, header: false)) }
        return lines
    }
}

/// How many terminal columns text takes: wide East Asian characters and emoji take two,
/// combining marks none.
enum DisplayWidth {
    static func of(_ text: String) -> Int {
        var w = 0
        for s in text.unicodeScalars { w += width(s) }
        return w
    }

    static func width(_ s: Unicode.Scalar) -> Int {
        let v = s.value
        if v < 0x300 { return 1 }
        switch s.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if s.properties.isEmojiPresentation { return 2 }
        if (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
            || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
            || (0xFFE0...0xFFE6).contains(v) || (0x20000...0x3FFFD).contains(v) {
            return 2
        }
        return 1
    }

    /// `text` cut to at most `width` columns, ending in `…` when cut.
    static func truncate(_ text: String, to width: Int) -> String {
        guard of(text) > width else { return text }
        guard width > 0 else { return "" }
        var out = ""
        var w = 0
        for ch in text {
            let cw = of(String(ch))
            if w + cw > width - 1 { break }
            out.append(ch)
            w += cw
        }
        return out + "…"
    }
}
