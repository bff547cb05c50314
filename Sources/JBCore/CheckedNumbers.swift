/// Conversions from numbers found in data that never trap: a value out of range is clamped
/// (for display and sketches) or reported as nil (for checks), never a runtime crash.
extension Int {
    /// `d` rounded to the nearest integer and clamped to `Int`'s range; NaN gives 0.
    public init(clampingRounded d: Double) {
        if d.isNaN { self = 0; return }
        let r = d.rounded()
        if r >= 9.223372036854775e18 { self = .max; return }
        if r <= -9.223372036854775e18 { self = .min; return }
        self = Int(r)
    }

    /// `self + other`, stopping at `Int.max`/`Int.min` instead of overflowing.
    public func saturatingAdd(_ other: Int) -> Int {
        let (v, o) = addingReportingOverflow(other)
        return o ? (other > 0 ? .max : .min) : v
    }
}

extension Int64 {
    /// `self + other`, stopping at `Int64.max`/`Int64.min` instead of overflowing.
    public func saturatingAdd(_ other: Int64) -> Int64 {
        let (v, o) = addingReportingOverflow(other)
        return o ? (other > 0 ? .max : .min) : v
    }

    /// `self - other`, stopping at `Int64.max`/`Int64.min` instead of overflowing.
    public func saturatingSubtract(_ other: Int64) -> Int64 {
        let (v, o) = subtractingReportingOverflow(other)
        return o ? (other < 0 ? .max : .min) : v
    }
}
