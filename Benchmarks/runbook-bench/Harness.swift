#if canImport(Glibc)
import Glibc
#endif

/// Wall-clock seconds from a monotonic clock.
func now() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

/// Runs `body` `runs` times after one warm-up and returns each run's seconds, sorted.
func measure(runs: Int, _ body: () throws -> Void) rethrows -> [Double] {
    try body()
    var times: [Double] = []
    for _ in 0..<runs {
        let start = now()
        try body()
        times.append(now() - start)
    }
    return times.sorted()
}

func median(_ sorted: [Double]) -> Double {
    sorted.isEmpty ? 0 : sorted[sorted.count / 2]
}

/// One row of the results table.
struct Row {
    var name: String
    var measured: String
    var reference: String
    var ratio: String
    var target: String
    var pass: Bool?
}

/// Prints rows as an aligned table.
func printTable(_ rows: [Row]) {
    let header = ["benchmark", "measured", "reference (same run)", "ratio", "target", "result"]
    let cells = [header] + rows.map { [$0.name, $0.measured, $0.reference, $0.ratio, $0.target, $0.pass.map { $0 ? "ok" : "MISSED" } ?? "-"] }
    var widths = [Int](repeating: 0, count: header.count)
    for row in cells { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
    for (index, row) in cells.enumerated() {
        print(row.enumerated().map { $0.element.padding(widths[$0.offset]) }.joined(separator: "  "))
        if index == 0 { print(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")) }
    }
}

extension String {
    func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}

func format(_ value: Double, _ digits: Int = 1) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let rounded = (value * scale).rounded() / scale
    var text = String(rounded)
    if digits == 0, text.hasSuffix(".0") { text.removeLast(2) }
    return text
}
