import Foundation

/// Cleans text fields from the Jeopardy data sets: HTML tags removed (noting media links),
/// HTML entities decoded, backslash escapes before quotes removed, whitespace normalised.
///
/// Works on UTF-8 bytes with a fast path: most fields need none of this, and half a million
/// rows must go through in well under a second.
public enum TextCleaner {
    /// The cleaned text, and whether it contained a link to a picture, audio or video.
    public struct Cleaned: Equatable, Sendable {
        public var text: String
        public var media: Bool
        /// The targets of media links, in order (they tell apart picture clues that read alike).
        public var mediaLinks: [String] = []
    }

    /// Cleans a field. `stripWrappingQuotes` removes one pair of single quotes around the
    /// whole text (the Kaggle JSON wraps every clue in them).
    public static func clean(_ bytes: ArraySlice<UInt8>, stripWrappingQuotes: Bool = false) -> Cleaned {
        if !stripWrappingQuotes {
            // Fast path, no copy: most fields need no cleaning at all.
            let clean = bytes.withUnsafeBufferPointer { isClean($0) }
            if clean { return Cleaned(text: String(decoding: bytes, as: UTF8.self), media: false) }
        }
        var input = ContiguousArray(bytes)
        if stripWrappingQuotes { unwrapSingleQuotes(&input) }
        var media = false
        var links: [String] = []
        var out = input
        if out.contains(UInt8(ascii: "<")) { out = stripTags(out, media: &media, links: &links) }
        if out.contains(UInt8(ascii: "\\")) { out = removeQuoteEscapes(out) }
        if out.contains(UInt8(ascii: "&")) { out = HTMLEntities.decode(out) }
        out = normaliseSpace(out)
        return Cleaned(text: String(decoding: out, as: UTF8.self), media: media, mediaLinks: links)
    }

    /// Cleans raw bytes.
    public static func clean(_ bytes: [UInt8], stripWrappingQuotes: Bool = false) -> Cleaned {
        clean(bytes[...], stripWrappingQuotes: stripWrappingQuotes)
    }

    /// True when nothing in the text needs cleaning: no tag, entity, escape, control
    /// character, no-break space, doubled, leading or trailing space.
    static func isClean(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var previousSpace = true
        for c in b {
            switch c {
            case UInt8(ascii: "<"), UInt8(ascii: "&"), UInt8(ascii: "\\"), 0x09, 0x0A, 0x0D, 0xC2:
                return false
            case 0x20:
                if previousSpace { return false }
                previousSpace = true
            default:
                previousSpace = false
            }
        }
        return b.last != 0x20
    }

    /// Cleans a string.
    public static func clean(_ text: String, stripWrappingQuotes: Bool = false) -> Cleaned {
        clean(Array(text.utf8), stripWrappingQuotes: stripWrappingQuotes)
    }

    static func unwrapSingleQuotes(_ b: inout ContiguousArray<UInt8>) {
        // Leading/trailing spaces inside the quotes are trimmed later.
        var start = 0, end = b.count
        while start < end && b[start] == 0x20 { start += 1 }
        while end > start && b[end - 1] == 0x20 { end -= 1 }
        if end - start >= 2 && b[start] == UInt8(ascii: "'") && b[end - 1] == UInt8(ascii: "'") {
            b = ContiguousArray(b[(start + 1)..<(end - 1)])
        }
    }

    /// Removes tags; `<br>` becomes a space; a link to media (j-archive's media folder or a
    /// picture/audio/video file) sets `media`.
    static func stripTags(_ b: ContiguousArray<UInt8>, media: inout Bool, links: inout [String]) -> ContiguousArray<UInt8> {
        var out = ContiguousArray<UInt8>()
        out.reserveCapacity(b.count)
        var i = 0
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: "<"), i + 1 < b.count, isTagStart(b[i + 1]),
               let close = b[(i + 1)...].firstIndex(of: UInt8(ascii: ">")) {
                let tag = b[(i + 1)..<close]
                let lower = String(decoding: tag, as: UTF8.self).lowercased()
                if lower.hasPrefix("br") || lower.hasPrefix("p") || lower.hasPrefix("/p") || lower.hasPrefix("div") || lower.hasPrefix("/div") {
                    out.append(0x20)
                }
                if lower.hasPrefix("a ") || lower.hasPrefix("img") || lower.hasPrefix("audio") || lower.hasPrefix("video") || lower.hasPrefix("source") {
                    if isMediaReference(lower) {
                        media = true
                        if let target = attribute(lower.hasPrefix("a ") ? "href" : "src", in: String(decoding: tag, as: UTF8.self)) {
                            links.append(target)
                        }
                    }
                }
                i = close + 1
                continue
            }
            out.append(c)
            i += 1
        }
        return out
    }

    /// The value of `name="…"` (or single-quoted) in a tag's text.
    static func attribute(_ name: String, in tag: String) -> String? {
        guard let r = tag.range(of: name + "=", options: .caseInsensitive) else { return nil }
        var rest = tag[r.upperBound...]
        guard let q = rest.first, q == "\"" || q == "'" else {
            return rest.split(separator: " ").first.map(String.init)
        }
        rest = rest.dropFirst()
        guard let end = rest.firstIndex(of: q) else { return nil }
        return String(rest[..<end])
    }

    /// Words in a clue that say it shows or plays something: "the flag seen here",
    /// "[audio clue]". The j-archive TSV's publisher dropped such clues as media-dependent.
    public static func refersToMedia(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { b in
            // Cheap filter first: nearly every clue has neither "here" nor "[".
            guard ByteSearch.contains(b, "here", caseInsensitive: true) || b.contains(UInt8(ascii: "[")) else { return false }
            for phrase in mediaPhrases where ByteSearch.contains(b, phrase, caseInsensitive: true) { return true }
            return false
        }
    }

    static let mediaPhrases = ["seen here", "shown here", "heard here", "pictured here", "displayed here", "[video", "[audio", "[picture"]

    static func isTagStart(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
            || c == UInt8(ascii: "/") || c == UInt8(ascii: "!")
    }

    static let mediaExtensions = [".jpg", ".jpeg", ".png", ".gif", ".bmp", ".mp3", ".wav", ".wmv", ".mp4", ".mov", ".avi", ".m4a", ".m4v", ".webm", ".ogg"]

    static func isMediaReference(_ lowerTag: String) -> Bool {
        if lowerTag.contains("j-archive.com/media") || lowerTag.contains("/media/") { return true }
        if lowerTag.hasPrefix("img") || lowerTag.hasPrefix("audio") || lowerTag.hasPrefix("video") { return true }
        return mediaExtensions.contains { lowerTag.contains($0) }
    }

    /// `\"` → `"`, `\'` → `'`: the data sets' scraping left these escapes in the text.
    static func removeQuoteEscapes(_ b: ContiguousArray<UInt8>) -> ContiguousArray<UInt8> {
        var out = ContiguousArray<UInt8>()
        out.reserveCapacity(b.count)
        var i = 0
        while i < b.count {
            if b[i] == UInt8(ascii: "\\"), i + 1 < b.count, b[i + 1] == UInt8(ascii: "\"") || b[i + 1] == UInt8(ascii: "'") {
                i += 1
                continue
            }
            out.append(b[i])
            i += 1
        }
        return out
    }

    /// Runs of whitespace (including no-break spaces) become one space; ends trimmed.
    static func normaliseSpace(_ b: ContiguousArray<UInt8>) -> ContiguousArray<UInt8> {
        var out = ContiguousArray<UInt8>()
        out.reserveCapacity(b.count)
        var pendingSpace = false
        var i = 0
        while i < b.count {
            let c = b[i]
            var isSpace = c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D
            var width = 1
            if c == 0xC2, i + 1 < b.count, b[i + 1] == 0xA0 { isSpace = true; width = 2 }  // U+00A0
            if isSpace {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(0x20); pendingSpace = false }
                out.append(c)
            }
            i += width
        }
        return out
    }
}

/// Byte-level substring search (Foundation's `contains` is slow on Linux).
enum ByteSearch {
    /// Whether `haystack` contains the ASCII `needle`, optionally ignoring ASCII case.
    static func contains(_ haystack: UnsafeBufferPointer<UInt8>, _ needle: String, caseInsensitive: Bool) -> Bool {
        let n = Array(needle.utf8)
        guard !n.isEmpty, haystack.count >= n.count else { return n.isEmpty }
        @inline(__always) func fold(_ c: UInt8) -> UInt8 { caseInsensitive && c >= 0x41 && c <= 0x5A ? c | 0x20 : c }
        let first = n[0]
        var i = 0
        let last = haystack.count - n.count
        while i <= last {
            if fold(haystack[i]) == first {
                var k = 1
                while k < n.count && fold(haystack[i + k]) == n[k] { k += 1 }
                if k == n.count { return true }
            }
            i += 1
        }
        return false
    }
}
