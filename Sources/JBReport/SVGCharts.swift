/// The HTML report's charts, drawn as inline SVG: no script, no external asset. Every text
/// from the data is escaped; every chart scales with its container (`viewBox`).
enum SVGCharts {
    /// Series colours (Tableau 10), by model in leaderboard order.
    static let palette = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
                          "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"]

    static func color(_ index: Int) -> String { palette[index % palette.count] }

    private static func e(_ s: String) -> String { TextEscaping.html(s) }
    private static func f(_ v: Double) -> String { Formatting.fixed(v, decimals: 1) }

    /// An approximate text width at 12 px, for laying out labels without a browser.
    static func textWidth(_ s: String, size: Double = 12) -> Double {
        // Capitals are wider than the average letter.
        var w = 0.0
        for ch in s.unicodeScalars {
            let cw = Double(DisplayWidth.width(ch))
            w += cw * ((ch.properties.isUppercase || ch.value > 0x2E80) ? 0.7 : 0.56)
        }
        return w * size
    }

    static func clip(_ s: String, width: Double, size: Double = 12) -> String {
        guard textWidth(s, size: size) > width else { return s }
        var out = ""
        let room = width - textWidth("…", size: size)
        for ch in s {
            if textWidth(out + String(ch), size: size) > room { break }
            out.append(ch)
        }
        return out + "…"
    }

    /// The opening tag. `compact` nil: one layout for every width; false/true: the wide or the
    /// narrow (phone) layout of a chart drawn twice.
    static func open(id: String, width: Double, height: Double, label: String, compact: Bool? = false) -> String {
        "<svg id=\"\(id)\(compact == true ? "-narrow" : "")\" class=\"chart-svg\(compact.map { $0 ? " narrow" : " wide" } ?? "")\" viewBox=\"0 0 \(f(width)) \(f(height))\" style=\"max-width:\(Int(width.rounded(.up)))px\" role=\"img\" aria-label=\"\(e(label))\" xmlns=\"http://www.w3.org/2000/svg\">"
    }

    /// Accuracy per model: a bar to the accuracy, the interval as a whisker, a dot at the rate.
    static func accuracy(_ model: ReportModel, compact: Bool = false) -> String? {
        let rows = model.leaderboard.filter { $0.accuracy != nil }
        guard !rows.isEmpty else { return nil }
        let labelWidth = compact ? 14 : min(230, max(80, rows.map { textWidth($0.model) }.max()! + 12))
        let plotWidth = compact ? 300.0 : 640.0, rowHeight = compact ? 46.0 : 30.0, top = 14.0, right = compact ? 56.0 : 64.0
        let width = labelWidth + plotWidth + right, height = top + Double(rows.count) * rowHeight + 30
        func x(_ v: Double) -> Double { labelWidth + min(max(v, 0), 1) * plotWidth }
        var s = open(id: "chart-accuracy", width: width, height: height, label: "Accuracy per model with \(model.confidenceLabel) intervals", compact: compact)
        for t in stride(from: 0.0, through: 1.0, by: 0.2) {
            s += "<line class=\"grid\" x1=\"\(f(x(t)))\" y1=\"\(f(top - 6))\" x2=\"\(f(x(t)))\" y2=\"\(f(height - 24))\"/>"
            s += "<text class=\"tick\" x=\"\(f(x(t)))\" y=\"\(f(height - 8))\" text-anchor=\"middle\">\(Int(t * 100))%</text>"
        }
        for (k, row) in rows.enumerated() {
            let idx = model.leaderboard.firstIndex { $0.model == row.model } ?? k
            let cy = top + Double(k) * rowHeight + rowHeight / 2 + (compact ? 8 : 0)
            let acc = row.accuracy!
            let c = color(idx)
            s += "<g class=\"row\"><title>\(e(row.model)): \(Formatting.percent(acc))"
            if row.ciLow != nil { s += ", \(model.confidenceLabel) interval \(Formatting.interval(row.ciLow, row.ciHigh))" }
            if let n = row.n { s += ", n = \(Formatting.count(n))" }
            s += "</title>"
            s += rowLabel(row.model, labelWidth: labelWidth, cy: cy, compact: compact, width: plotWidth + right)
            s += "<rect x=\"\(f(x(0)))\" y=\"\(f(cy - 9))\" width=\"\(f(x(acc) - x(0)))\" height=\"18\" rx=\"3\" fill=\"\(c)\" fill-opacity=\"0.28\"/>"
            if let lo = row.ciLow, let hi = row.ciHigh {
                s += "<line class=\"whisker\" x1=\"\(f(x(lo)))\" y1=\"\(f(cy))\" x2=\"\(f(x(hi)))\" y2=\"\(f(cy))\" stroke=\"\(c)\"/>"
                s += "<line class=\"whisker\" x1=\"\(f(x(lo)))\" y1=\"\(f(cy - 6))\" x2=\"\(f(x(lo)))\" y2=\"\(f(cy + 6))\" stroke=\"\(c)\"/>"
                s += "<line class=\"whisker\" x1=\"\(f(x(hi)))\" y1=\"\(f(cy - 6))\" x2=\"\(f(x(hi)))\" y2=\"\(f(cy + 6))\" stroke=\"\(c)\"/>"
            }
            s += "<circle cx=\"\(f(x(acc)))\" cy=\"\(f(cy))\" r=\"5\" fill=\"\(c)\" class=\"dot\"/>"
            let labelX = x(max(acc, row.ciHigh ?? acc)) + 8
            s += "<text class=\"value\" x=\"\(f(labelX))\" y=\"\(f(cy + 4))\">\(Formatting.percent(acc))</text></g>"
        }
        return s + "</svg>"
    }

    /// A row's model name: left of the bar, or above it in the compact layout.
    static func rowLabel(_ name: String, labelWidth: Double, cy: Double, compact: Bool, width: Double) -> String {
        if compact {
            return "<text class=\"label\" x=\"\(f(labelWidth))\" y=\"\(f(cy - 14))\">\(e(clip(name, width: width - 4)))</text>"
        }
        return "<text class=\"label\" x=\"\(f(labelWidth - 10))\" y=\"\(f(cy + 4))\" text-anchor=\"end\">\(e(clip(name, width: labelWidth - 14)))</text>"
    }

    /// Heat-map colour for an accuracy (viridis), and whether text on it should be light.
    static func heat(_ v: Double) -> (fill: String, light: Bool) {
        let stops: [(Double, Double, Double)] = [(68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37)]
        let p = min(max(v, 0), 1) * Double(stops.count - 1)
        let i = min(Int(p), stops.count - 2)
        let t = p - Double(i)
        let a = stops[i], b = stops[i + 1]
        func mix(_ x: Double, _ y: Double) -> Int { Int((x + (y - x) * t).rounded()) }
        let hex = [mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2)].map { h -> String in
            let s = String(h, radix: 16)
            return s.count == 1 ? "0" + s : s
        }.joined()
        return ("#" + hex, v < 0.55)
    }

    /// Accuracy by a field's values (rows) and models (columns), coloured by accuracy.
    static func heatMap(_ b: Breakdown, model: ReportModel, index: Int, compact: Bool = false) -> String? {
        let values = b.shownValues(top: model.top)
        guard !values.isEmpty, !b.models.isEmpty else { return nil }
        // Compact: the value's name above its row of cells, which share the full width.
        let labelWidth = compact ? 0 : min(240, max(70, values.map { textWidth($0) }.max()! + 12))
        let cellWidth = compact ? max(64, 356 / Double(b.models.count)) : 124.0
        let cellHeight = 26.0, top = 40.0, labelRoom = compact ? 18.0 : 0
        let rowHeight = cellHeight + labelRoom
        let width = labelWidth + Double(b.models.count) * cellWidth + (compact ? 4 : 8)
        let height = top + Double(values.count) * rowHeight + 8
        var s = open(id: "chart-heatmap-\(index)", width: width, height: height, label: "Accuracy by \(b.field) and model", compact: compact)
        for (j, m) in b.models.enumerated() {
            let cx = labelWidth + Double(j) * cellWidth + cellWidth / 2
            s += "<text class=\"label colhead\" x=\"\(f(cx))\" y=\"\(f(top - 12))\" text-anchor=\"middle\"><title>\(e(m))</title>\(e(clip(m, width: cellWidth - 4, size: 11)))</text>"
        }
        for (i, v) in values.enumerated() {
            let y = top + Double(i) * rowHeight + labelRoom
            if compact {
                s += "<text class=\"label\" x=\"1\" y=\"\(f(y - 5))\"><title>\(e(v))</title>\(e(clip(v, width: width - 4)))</text>"
            } else {
                s += "<text class=\"label\" x=\"\(f(labelWidth - 8))\" y=\"\(f(y + cellHeight / 2 + 4))\" text-anchor=\"end\"><title>\(e(v))</title>\(e(clip(v, width: labelWidth - 12)))</text>"
            }
            for (j, m) in b.models.enumerated() {
                let x = labelWidth + Double(j) * cellWidth
                let r = b.record(v, m)
                if let acc = r?.number(.accuracy) {
                    let (fill, light) = heat(acc)
                    var tip = "\(b.field) \(v) · \(m): \(Formatting.percent(acc))"
                    if r?.number(.ciLow) != nil { tip += " (\(Formatting.interval(r?.number(.ciLow), r?.number(.ciHigh))))" }
                    if let n = r?.int(.n) { tip += ", n = \(Formatting.count(n))" }
                    s += "<g class=\"cell\"><title>\(e(tip))</title><rect x=\"\(f(x + 1))\" y=\"\(f(y + 1))\" width=\"\(f(cellWidth - 2))\" height=\"\(f(cellHeight - 2))\" rx=\"3\" fill=\"\(fill)\"/>"
                    s += "<text x=\"\(f(x + cellWidth / 2))\" y=\"\(f(y + cellHeight / 2 + 4))\" text-anchor=\"middle\" class=\"cell-text \(light ? "on-dark" : "on-light")\">\(Formatting.percent(acc, decimals: 0))</text></g>"
                } else {
                    s += "<rect class=\"empty\" x=\"\(f(x + 1))\" y=\"\(f(y + 1))\" width=\"\(f(cellWidth - 2))\" height=\"\(f(cellHeight - 2))\" rx=\"3\"/>"
                }
            }
        }
        return s + "</svg>"
    }

    /// Observed accuracy against stated confidence, per model, with the diagonal of perfect
    /// calibration; point area follows the number of answers in the bin.
    static func calibration(_ model: ReportModel) -> String? {
        let series = model.leaderboard.enumerated().compactMap { k, row -> (Int, String, [CalibrationBin])? in
            guard let bins = model.calibration[row.model], !bins.isEmpty else { return nil }
            return (k, row.model, bins.sorted { $0.confidence < $1.confidence })
        }
        guard !series.isEmpty else { return nil }
        let left = 52.0, top = 14.0, size = 360.0, bottom = 44.0
        let width = left + size + 20, height = top + size + bottom
        func x(_ v: Double) -> Double { left + min(max(v, 0), 1) * size }
        func y(_ v: Double) -> Double { top + (1 - min(max(v, 0), 1)) * size }
        let maxN = Double(series.flatMap { $0.2.map(\.n) }.max() ?? 1)
        var s = open(id: "chart-calibration", width: width, height: height, label: "Calibration curve: observed accuracy against stated confidence", compact: nil)
        for t in stride(from: 0.0, through: 1.0, by: 0.2) {
            s += "<line class=\"grid\" x1=\"\(f(x(t)))\" y1=\"\(f(y(0)))\" x2=\"\(f(x(t)))\" y2=\"\(f(y(1)))\"/>"
            s += "<line class=\"grid\" x1=\"\(f(x(0)))\" y1=\"\(f(y(t)))\" x2=\"\(f(x(1)))\" y2=\"\(f(y(t)))\"/>"
            s += "<text class=\"tick\" x=\"\(f(x(t)))\" y=\"\(f(y(0) + 16))\" text-anchor=\"middle\">\(Int(t * 100))%</text>"
            s += "<text class=\"tick\" x=\"\(f(left - 6))\" y=\"\(f(y(t) + 4))\" text-anchor=\"end\">\(Int(t * 100))%</text>"
        }
        s += "<line class=\"diagonal\" x1=\"\(f(x(0)))\" y1=\"\(f(y(0)))\" x2=\"\(f(x(1)))\" y2=\"\(f(y(1)))\"/>"
        s += "<text class=\"axis-title\" x=\"\(f(left + size / 2))\" y=\"\(f(height - 6))\" text-anchor=\"middle\">stated confidence</text>"
        s += "<text class=\"axis-title\" transform=\"translate(12 \(f(top + size / 2))) rotate(-90)\" text-anchor=\"middle\">observed accuracy</text>"
        for (k, name, bins) in series {
            let c = color(k)
            let points = bins.map { "\(f(x($0.confidence))),\(f(y($0.accuracy)))" }.joined(separator: " ")
            s += "<g class=\"series\"><title>\(e(name))</title><polyline points=\"\(points)\" fill=\"none\" stroke=\"\(c)\" stroke-width=\"2\"/>"
            for b in bins {
                let r = 3 + 6 * (Double(b.n) / maxN).squareRoot()
                s += "<circle cx=\"\(f(x(b.confidence)))\" cy=\"\(f(y(b.accuracy)))\" r=\"\(f(r))\" fill=\"\(c)\" fill-opacity=\"0.85\" class=\"dot\"><title>\(e(name)): confidence \(Formatting.percent(b.confidence)), right \(Formatting.percent(b.accuracy)), n = \(Formatting.count(b.n))</title></circle>"
            }
            s += "</g>"
        }
        return s + "</svg>"
    }

    /// Accuracy (with its interval) against total cost, one point per model.
    static func costAccuracy(_ model: ReportModel, compact: Bool = false) -> String? {
        let rows = model.leaderboard.enumerated().filter { $0.element.cost != nil && $0.element.accuracy != nil }
        guard !rows.isEmpty else { return nil }
        // Compact: points are numbered by rank (the legend names them) instead of labelled.
        let left = 56.0, top = 16.0, bottom = 44.0
        let plotW = compact ? 290.0 : 560.0, plotH = compact ? 240.0 : 300.0, right = compact ? 24.0 : 170.0
        let width = left + plotW + right, height = top + plotH + bottom
        let rawMax = max(rows.map { $0.element.cost! }.max()!, 1e-6)
        // An axis needs finite, sane bounds: absurd values from the data get no chart.
        guard rawMax < 1e15, rows.allSatisfy({ $0.element.cost! >= 0 }) else { return nil }
        let costStep = niceStep(rawMax / 4)
        let maxCost = max(costStep, (rawMax * 1.05 / costStep).rounded(.up) * costStep)
        var lo = rows.map { $0.element.ciLow ?? $0.element.accuracy! }.min()!
        var hi = rows.map { $0.element.ciHigh ?? $0.element.accuracy! }.max()!
        lo = max(0, (lo * 10).rounded(.down) / 10)
        hi = min(1, (hi * 10).rounded(.up) / 10)
        if hi - lo < 0.2 { hi = min(1, lo + 0.2); lo = max(0, hi - 0.2) }
        func x(_ v: Double) -> Double { left + v / maxCost * plotW }
        func y(_ v: Double) -> Double { top + (1 - (v - lo) / (hi - lo)) * plotH }
        var s = open(id: "chart-cost", width: width, height: height, label: "Accuracy against total cost per model", compact: compact)
        let costTicks = Int((maxCost / costStep).rounded())
        for k in 0...costTicks where !compact || costTicks <= 4 || k % 2 == 0 {
            let c = costStep * Double(k)
            s += "<line class=\"grid\" x1=\"\(f(x(c)))\" y1=\"\(f(top))\" x2=\"\(f(x(c)))\" y2=\"\(f(top + plotH))\"/>"
            s += "<text class=\"tick\" x=\"\(f(x(c)))\" y=\"\(f(top + plotH + 16))\" text-anchor=\"middle\">\(Formatting.cost(c))</text>"
        }
        let steps = Int(((hi - lo) * 10).rounded())
        for k in 0...steps {
            let a = lo + Double(k) / 10
            s += "<line class=\"grid\" x1=\"\(f(left))\" y1=\"\(f(y(a)))\" x2=\"\(f(left + plotW))\" y2=\"\(f(y(a)))\"/>"
            s += "<text class=\"tick\" x=\"\(f(left - 6))\" y=\"\(f(y(a) + 4))\" text-anchor=\"end\">\(Int((a * 100).rounded()))%</text>"
        }
        s += "<text class=\"axis-title\" x=\"\(f(left + plotW / 2))\" y=\"\(f(height - 6))\" text-anchor=\"middle\">total cost (USD)</text>"
        s += "<text class=\"axis-title\" transform=\"translate(12 \(f(top + plotH / 2))) rotate(-90)\" text-anchor=\"middle\">accuracy</text>"
        for (k, row) in rows {
            let c = color(k), px = x(row.cost!), py = y(row.accuracy!)
            s += "<g class=\"point\"><title>\(e(row.model)): \(Formatting.percent(row.accuracy)) for \(Formatting.cost(row.cost))</title>"
            if let l = row.ciLow, let h = row.ciHigh {
                s += "<line class=\"whisker\" x1=\"\(f(px))\" y1=\"\(f(y(l)))\" x2=\"\(f(px))\" y2=\"\(f(y(h)))\" stroke=\"\(c)\"/>"
            }
            s += "<circle cx=\"\(f(px))\" cy=\"\(f(py))\" r=\"6\" fill=\"\(c)\" class=\"dot\"/>"
            let name = compact ? "\(k + 1)" : clip(row.model, width: right + plotW - (px - left) - 14)
            s += "<text class=\"label\" x=\"\(f(px + 9))\" y=\"\(f(py - 7))\">\(e(name))</text></g>"
        }
        return s + "</svg>"
    }

    /// Latency per model: a box from the median to the 95th percentile, a whisker to the 99th.
    static func latency(_ model: ReportModel, compact: Bool = false) -> String? {
        let rows = model.leaderboard.enumerated().filter { $0.element.latencyP50 != nil }
        guard !rows.isEmpty else { return nil }
        let labelWidth = compact ? 16 : min(230, max(80, rows.map { textWidth($0.element.model) }.max()! + 12))
        let plotWidth = compact ? 290.0 : 600.0, rowHeight = compact ? 46.0 : 30.0, top = 14.0, right = compact ? 70.0 : 110.0
        let width = labelWidth + plotWidth + right, height = top + Double(rows.count) * rowHeight + 44
        let maxMs = rows.map { $0.element.latencyP99 ?? $0.element.latencyP95 ?? $0.element.latencyP50! }.max()!
        let values = rows.flatMap { [$0.element.latencyP50, $0.element.latencyP95, $0.element.latencyP99].compactMap { $0 } }
        guard maxMs > 0, maxMs < 1e15, values.allSatisfy({ $0 >= 0 }) else { return nil }
        let step = niceStep(maxMs / 5)
        let axisMax = max(step, (maxMs / step).rounded(.up) * step)
        func x(_ v: Double) -> Double { labelWidth + v / axisMax * plotWidth }
        var s = open(id: "chart-latency", width: width, height: height, label: "Latency distribution per model", compact: compact)
        var t = 0.0
        let tickStep = compact && axisMax / step > 3 ? step * 2 : step
        while t <= axisMax + step / 2 {
            s += "<line class=\"grid\" x1=\"\(f(x(t)))\" y1=\"\(f(top - 6))\" x2=\"\(f(x(t)))\" y2=\"\(f(height - 38))\"/>"
            s += "<text class=\"tick\" x=\"\(f(x(t)))\" y=\"\(f(height - 22))\" text-anchor=\"middle\">\(Formatting.milliseconds(t))</text>"
            t += tickStep
        }
        s += "<text class=\"axis-title\" x=\"\(f(labelWidth + plotWidth / 2))\" y=\"\(f(height - 4))\" text-anchor=\"middle\">dot p50 · box to p95 · whisker to p99</text>"
        for (i, (k, row)) in rows.enumerated() {
            let c = color(k)
            let cy = top + Double(i) * rowHeight + rowHeight / 2 + (compact ? 8 : 0)
            let p50 = row.latencyP50!, p95 = row.latencyP95 ?? p50, p99 = row.latencyP99 ?? p95
            s += "<g class=\"row\"><title>\(e(row.model)): p50 \(Formatting.milliseconds(p50)), p95 \(Formatting.milliseconds(row.latencyP95)), p99 \(Formatting.milliseconds(row.latencyP99))</title>"
            s += rowLabel(row.model, labelWidth: labelWidth, cy: cy, compact: compact, width: plotWidth + right)
            s += "<line class=\"whisker\" x1=\"\(f(x(p95)))\" y1=\"\(f(cy))\" x2=\"\(f(x(p99)))\" y2=\"\(f(cy))\" stroke=\"\(c)\"/>"
            s += "<line class=\"whisker\" x1=\"\(f(x(p99)))\" y1=\"\(f(cy - 6))\" x2=\"\(f(x(p99)))\" y2=\"\(f(cy + 6))\" stroke=\"\(c)\"/>"
            s += "<rect x=\"\(f(x(p50)))\" y=\"\(f(cy - 8))\" width=\"\(f(max(2, x(p95) - x(p50))))\" height=\"16\" rx=\"3\" fill=\"\(c)\" fill-opacity=\"0.35\" stroke=\"\(c)\"/>"
            s += "<circle cx=\"\(f(x(p50)))\" cy=\"\(f(cy))\" r=\"5\" fill=\"\(c)\" class=\"dot\"/>"
            s += "<text class=\"value\" x=\"\(f(x(p99) + 8))\" y=\"\(f(cy + 4))\">\(Formatting.milliseconds(p50))</text></g>"
        }
        return s + "</svg>"
    }

    /// A round step (1, 2 or 5 × 10ⁿ) near `raw`.
    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        var p = 1.0
        while p * 10 <= raw { p *= 10 }
        while p > raw { p /= 10 }
        let m = raw / p
        return (m <= 1 ? 1 : (m <= 2 ? 2 : (m <= 5 ? 5 : 10))) * p
    }
}
