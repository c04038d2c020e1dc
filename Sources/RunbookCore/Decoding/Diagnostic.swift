/// One problem in a runbook file, at a position and a key path.
public struct Diagnostic: Sendable, Equatable, Error {
    public var file: String
    public var mark: SourceMark
    /// The key path, like `states.restore.steps[2].timeout`; empty for the whole document.
    public var path: String
    public var message: String
    /// A warning says something worth knowing (a rotation leaving hours uncovered) without making the file invalid.
    public var isWarning: Bool

    public init(file: String, mark: SourceMark, path: String, message: String, isWarning: Bool = false) {
        self.file = file
        self.mark = mark
        self.path = path
        self.message = message
        self.isWarning = isWarning
    }

    /// `file:line:column: error: path: message` (`warning:` for a warning).
    public var headline: String {
        let location = "\(file):\(mark.line):\(mark.column): \(isWarning ? "warning" : "error"): "
        return location + (path.isEmpty ? message : "\(path): \(message)")
    }

    /// The headline, then the source line and a caret under the column.
    public func rendered(source: String) -> String {
        guard let line = Self.line(mark.line, of: source) else { return headline }
        var caret = ""
        for character in line.prefix(max(0, mark.column - 1)) {
            caret += character == "\t" ? "\t" : String(repeating: " ", count: TextWidth.of(String(character)))
        }
        return "\(headline)\n\(line)\n\(caret)^"
    }

    private static func line(_ number: Int, of source: String) -> Substring? {
        var current = 1
        var start = source.startIndex
        var index = source.startIndex
        while index < source.endIndex {
            if source[index] == "\n" || source[index] == "\r\n" {
                if current == number { return source[start..<index] }
                current += 1
                start = source.index(after: index)
            }
            index = source.index(after: index)
        }
        return current == number && start < source.endIndex ? source[start...] : nil
    }
}

/// The problems that make a runbook file invalid, in source order.
public struct InvalidRunbook: Error, Sendable, Equatable {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }
}
