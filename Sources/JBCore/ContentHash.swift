import Crypto

/// Content hashes: stable ids and request keys derived from text.
public enum ContentHash {
    /// The lowercase hex SHA-256 of `text`'s UTF-8 bytes.
    public static func sha256Hex(_ text: String) -> String {
        hex(SHA256.hash(data: Array(text.utf8)))
    }

    /// The first `length` hex digits of the SHA-256 of `bytes`.
    public static func shortHex(bytes: [UInt8], length: Int = 16) -> String {
        let digest = SHA256.hash(data: bytes)
        var out: [UInt8] = []
        out.reserveCapacity(length)
        for byte in digest where out.count < length {
            out.append(digits[Int(byte >> 4)])
            if out.count < length { out.append(digits[Int(byte & 0xF)]) }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The first `length` hex digits of the SHA-256 of `text`.
    public static func shortHex(_ text: String, length: Int = 16) -> String {
        String(sha256Hex(text).prefix(length))
    }

    /// A 64-bit number from the SHA-256 of `text`: uniform, stable across runs and machines
    /// (unlike `Hasher`), for seeded choices and shard assignment.
    public static func uint64(_ text: String) -> UInt64 {
        let digest = SHA256.hash(data: Array(text.utf8))
        var v: UInt64 = 0
        for (k, byte) in digest.enumerated() where k < 8 { v = v << 8 | UInt64(byte) }
        return v
    }

    private static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    static func hex(_ digest: SHA256.Digest) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in digest {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
