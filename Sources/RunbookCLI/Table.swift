import RunbookCore

/// Plain-text tables whose columns line up by display width (Korean text takes two columns a character).
enum Table {
    /// The rows as lines, columns separated by two spaces; the last column is not padded.
    static func render(_ rows: [[String]], rightAligned: Set<Int> = []) -> [String] {
        let columns = rows.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: columns)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], TextWidth.of(cell)) }
        }
        return rows.map { row in
            var line = ""
            for (index, cell) in row.enumerated() {
                if index > 0 { line += "  " }
                if rightAligned.contains(index) {
                    line += String(repeating: " ", count: widths[index] - TextWidth.of(cell)) + cell
                } else if index == row.count - 1 {
                    line += cell
                } else {
                    line += TextWidth.pad(cell, to: widths[index])
                }
            }
            return line
        }
    }
}
