import Foundation
import JBCore
import Testing

@Suite struct TimestampTests {
    let date = Date(timeIntervalSince1970: 1_764_430_579.5)  // 2025-11-29T15:36:19.5Z

    @Test func formats() {
        #expect(Timestamp.format(date) == "2025-11-29T15:36:19Z")
        #expect(Timestamp.formatMilliseconds(date) == "2025-11-29T15:36:19.500Z")
        #expect(Timestamp.compact(date) == "20251129-153619")
        #expect(Timestamp.compactISO(date) == "20251129T153619Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00Z")
    }

    /// The hand-built form is the one ISO8601DateFormatter gives.
    @Test func formatMatchesFoundation() {
        let f = ISO8601DateFormatter()
        for seconds in [0.0, 951_782_400, 1_709_164_799, 4_102_444_800, 253_402_300_799] {
            let d = Date(timeIntervalSince1970: seconds)
            #expect(Timestamp.format(d) == f.string(from: d))
        }
    }

    @Test func parses() {
        #expect(Timestamp.parse("2025-11-29T15:36:19Z") == Date(timeIntervalSince1970: 1_764_430_579))
        #expect(Timestamp.parse("2025-11-29T15:36:19.5Z") == Date(timeIntervalSince1970: 1_764_430_579.5))
        #expect(Timestamp.parse("yesterday") == nil)
    }

    @Test func anyDateFormatsWithoutTrapping() {
        for seconds in [Double.nan, .infinity, -.infinity, 1e300, -1e300] {
            _ = Timestamp.format(Date(timeIntervalSince1970: seconds))
        }
    }
}
