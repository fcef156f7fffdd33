import Foundation

/// Draws a `ReportChart` as inline SVG for HTML reports: horizontal bars, since they keep long
/// category names readable and stack well on a narrow phone screen.
///
/// Each category gets its name (wrapped to two lines, shortened with `…`, the full name as a
/// tooltip) above its bar or group of bars; every bar has its value at its end; the value axis
/// below has nice ticks, grid lines and the unit as its title; grouped bars get a legend.
/// Negative values grow left from a zero line. With no categories, or no finite value, the chart
/// is a small note instead. Colours are attributes (no CSS needed), the `viewBox` lets the page
/// scale it to its width, and text sizes are in the SVG's own units.
struct SVGChart {
    let chart: ReportChart
    let formatting: ReportFormatting
    /// Prefix for ids inside the SVG; unique within the page.
    let id: String

    static let width = 440.0
    private static let padding = 8.0
    private static let labelSize = 12.5
    private static let valueSize = 11.5
    private static let tickSize = 11.0
    /// Colours that stay apart for colour-blind readers and in greyscale print.
    static let palette = ["#3f6fa8", "#e08a2c", "#4e9a55", "#c8504f", "#7a62a8", "#2f9a9a", "#a8843a", "#8c8c8c"]

    /// The chart as an `<svg>` element (no XML declaration, no namespace: it is inline in HTML5).
    func render() -> String {
        let values = chart.series.flatMap(\.values).filter(\.isFinite)
        guard !chart.categories.isEmpty, !values.isEmpty else { return emptyState() }
        let w = SVGChart.width, pad = SVGChart.padding
        let digits = SVGChart.fractionDigits(for: values)
        let axis = SVGChart.axis(lowest: values.min() ?? 0, highest: values.max() ?? 0)
        var body = ""

        // Legend, for more than one series: swatch and name, wrapping onto more rows.
        var y = pad
        if chart.series.count > 1 {
            var x = pad
            y += 2
            for (index, series) in chart.series.enumerated() {
                let itemWidth = 16 + SVGChart.textWidth(series.name, size: SVGChart.valueSize) + 18
                if x > pad, x + itemWidth > w - pad { x = pad; y += 18 }
                body += "<rect x=\"\(n(x))\" y=\"\(n(y + 1))\" width=\"11\" height=\"11\" rx=\"2\" fill=\"\(SVGChart.color(index))\"/>"
                body += "<text x=\"\(n(x + 16))\" y=\"\(n(y + 11))\" font-size=\"\(n(SVGChart.valueSize))\" fill=\"#333\">\(Markup.html(series.name))</text>\n"
                x += itemWidth
            }
            y += 24
        }

        // Room for value labels beside the bars: as wide as the widest label.
        let labels = chart.series.map { $0.values.map { $0.isFinite ? formatting.chartNumber($0, fractionDigits: digits) : formatting.labels.null } }
        let labelRoom = (labels.joined().map { SVGChart.textWidth($0, size: SVGChart.valueSize) }.max() ?? 0) + 8
        let plotLeft = pad + (axis.lowest < 0 ? labelRoom : 0)
        let plotRight = w - pad - (axis.highest > 0 ? labelRoom : 0)
        func x(_ value: Double) -> Double {
            plotLeft + (value - axis.lowest) / (axis.highest - axis.lowest) * (plotRight - plotLeft)
        }
        let zero = x(0)

        // Category blocks: name, then one bar per series.
        let plotTop = y
        let barHeight = chart.series.count > 1 ? 13.0 : 17.0
        let maxCharacters = Int((w - 2 * pad) / (SVGChart.labelSize * 0.56))
        var bars = ""
        for (categoryIndex, category) in chart.categories.enumerated() {
            let lines = SVGChart.wrap(category, maxCharacters: maxCharacters, maxLines: 2)
            bars += "<g><title>\(Markup.html(category))</title>"
            for line in lines {
                y += 16
                bars += "<text x=\"\(n(pad))\" y=\"\(n(y - 3))\" font-size=\"\(n(SVGChart.labelSize))\" fill=\"#1d2329\" \(SVGChart.halo)>\(Markup.html(line))</text>"
            }
            bars += "</g>\n"
            y += 3
            for (seriesIndex, series) in chart.series.enumerated() {
                let value = series.values[categoryIndex]
                let label = Markup.html(labels[seriesIndex][categoryIndex])
                let middle = y + barHeight / 2 + 3.8
                let tooltip = Markup.html("\(category) – \(series.name): \(labels[seriesIndex][categoryIndex]) \(chart.unit)")
                if value.isFinite {
                    let end = x(value)
                    bars += "<rect x=\"\(n(min(zero, end)))\" y=\"\(n(y))\" width=\"\(n(abs(end - zero)))\" height=\"\(n(barHeight))\" rx=\"1.5\" fill=\"\(SVGChart.color(seriesIndex))\"><title>\(tooltip)</title></rect>"
                    let anchor = value < 0 ? "end" : "start"
                    bars += "<text x=\"\(n(value < 0 ? end - 4 : end + 4))\" y=\"\(n(middle))\" font-size=\"\(n(SVGChart.valueSize))\" text-anchor=\"\(anchor)\" fill=\"#333\">\(label)</text>\n"
                } else {
                    bars += "<text x=\"\(n(zero + 4))\" y=\"\(n(middle))\" font-size=\"\(n(SVGChart.valueSize))\" fill=\"#777\">\(label)</text>\n"
                }
                y += barHeight + 2
            }
            y += 9
        }
        let axisY = y

        // Grid lines and the value axis with its ticks and unit.
        var grid = ""
        var ticks = ""
        let tickDigits = SVGChart.fractionDigits(forStep: axis.step)
        let count = Int(((axis.highest - axis.lowest) / axis.step).rounded())
        for step in 0...count {
            let value = axis.lowest + Double(step) * axis.step
            let position = x(value)
            let text = formatting.chartNumber(value, fractionDigits: tickDigits)
            let half = SVGChart.textWidth(text, size: SVGChart.tickSize) / 2
            let anchor = position - half < 0 ? "start" : position + half > w ? "end" : "middle"
            let textX = anchor == "start" ? 0 : anchor == "end" ? w : position
            grid += "<line x1=\"\(n(position))\" y1=\"\(n(plotTop))\" x2=\"\(n(position))\" y2=\"\(n(axisY))\" stroke=\"#e3e6ea\" stroke-width=\"1\"/>"
            ticks += "<line x1=\"\(n(position))\" y1=\"\(n(axisY))\" x2=\"\(n(position))\" y2=\"\(n(axisY + 4))\" stroke=\"#8a939c\" stroke-width=\"1\"/>"
            ticks += "<text x=\"\(n(textX))\" y=\"\(n(axisY + 16))\" font-size=\"\(n(SVGChart.tickSize))\" text-anchor=\"\(anchor)\" fill=\"#5b6570\">\(Markup.html(text))</text>\n"
        }
        ticks += "<line x1=\"\(n(plotLeft))\" y1=\"\(n(axisY))\" x2=\"\(n(plotRight))\" y2=\"\(n(axisY))\" stroke=\"#8a939c\" stroke-width=\"1\"/>"
        ticks += "<line x1=\"\(n(zero))\" y1=\"\(n(plotTop))\" x2=\"\(n(zero))\" y2=\"\(n(axisY))\" stroke=\"#5b6570\" stroke-width=\"1\"/>\n"
        var height = axisY + 24
        if !chart.unit.isEmpty {
            ticks += "<text x=\"\(n((plotLeft + plotRight) / 2))\" y=\"\(n(axisY + 34))\" font-size=\"\(n(SVGChart.valueSize))\" text-anchor=\"middle\" fill=\"#5b6570\">\(Markup.html(chart.unit))</text>\n"
            height += 14
        }
        return open(height: height) + body + "\n" + grid + "\n" + bars + ticks + "</svg>"
    }

    private func open(height: Double) -> String {
        "<svg viewBox=\"0 0 \(n(SVGChart.width)) \(n(height))\" width=\"\(n(SVGChart.width))\" height=\"\(n(height))\" role=\"img\" "
            + "aria-labelledby=\"\(id)-title\" font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'DejaVu Sans', sans-serif\">"
            + "<title id=\"\(id)-title\">\(Markup.html(chart.title))</title>"
    }

    private func emptyState() -> String {
        open(height: 56)
            + "<rect x=\"0.5\" y=\"0.5\" width=\"\(n(SVGChart.width - 1))\" height=\"55\" rx=\"5\" fill=\"#f6f7f9\" stroke=\"#d5dae0\"/>"
            + "<text x=\"\(n(SVGChart.width / 2))\" y=\"32\" font-size=\"\(n(SVGChart.labelSize))\" text-anchor=\"middle\" fill=\"#5b6570\">\(Markup.html(formatting.labels.noData))</text></svg>"
    }

    /// A coordinate with at most one decimal, the same on every platform.
    private func n(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        let whole = String(abs(tenths) / 10), fraction = abs(tenths) % 10
        return (tenths < 0 ? "-" : "") + whole + (fraction == 0 ? "" : ".\(fraction)")
    }

    /// A white outline under text, so that grid lines do not run through it.
    private static let halo = "stroke=\"#fff\" stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\""

    static func color(_ index: Int) -> String { palette[index % palette.count] }

    /// Roughly how wide text is in a sans-serif font: good enough to leave room, not to typeset.
    static func textWidth(_ text: String, size: Double) -> Double { Double(text.count) * size * 0.56 }

    /// How many decimals value labels need: none for whole numbers, fewer for bigger values.
    static func fractionDigits(for values: [Double]) -> Int {
        let finite = values.filter(\.isFinite)
        if finite.allSatisfy({ $0 == $0.rounded() }) { return 0 }
        let largest = finite.map(abs).max() ?? 0
        return largest < 10 ? 2 : largest < 1000 ? 1 : 0
    }

    /// The decimals a tick step needs (0.25 needs two).
    static func fractionDigits(forStep step: Double) -> Int {
        var digits = 0
        var scaled = step
        while digits < 6, abs(scaled - scaled.rounded()) > 1e-9 * max(1, abs(scaled)) {
            scaled *= 10
            digits += 1
        }
        return digits
    }

    /// An axis from a multiple of a 1-2-2.5-5 step at or below the values (and 0) to one at or above.
    static func axis(lowest: Double, highest: Double) -> (lowest: Double, highest: Double, step: Double) {
        let low = min(0, lowest)
        var high = max(0, highest)
        if high - low == 0 { high = 1 }
        let rough = (high - low) / 5
        let magnitude = pow(10, (log10(rough)).rounded(.down))
        let residual = rough / magnitude
        let nice = residual <= 1 ? 1 : residual <= 2 ? 2 : residual <= 2.5 ? 2.5 : residual <= 5 ? 5 : 10
        let step = nice * magnitude
        return ((low / step).rounded(.down) * step, (high / step).rounded(.up) * step, step)
    }

    /// Words wrapped into at most `maxLines` lines of `maxCharacters`; the last line ends with
    /// `…` when text is left over.
    static func wrap(_ text: String, maxCharacters: Int, maxLines: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        var words = text.split(whereSeparator: \.isWhitespace).map(String.init)[...]
        while let word = words.first {
            if current.isEmpty, word.count > maxCharacters {
                lines.append(String(word.prefix(maxCharacters)))
                words[words.startIndex] = String(word.dropFirst(maxCharacters))
            } else if current.isEmpty || current.count + 1 + word.count <= maxCharacters {
                current += (current.isEmpty ? "" : " ") + word
                words.removeFirst()
                continue
            } else {
                lines.append(current)
                current = ""
            }
            if lines.count == maxLines { break }
        }
        if !current.isEmpty, lines.count < maxLines { lines.append(current); current = "" }
        if !words.isEmpty || !current.isEmpty, var last = lines.popLast() {
            if last.count >= maxCharacters { last = String(last.prefix(maxCharacters - 1)) }
            lines.append(last + "…")
        }
        return lines.isEmpty ? [""] : lines
    }
}
