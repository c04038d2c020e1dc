/// A time zone resolved for the pure core: its rules and, for people, its abbreviations by offset.
public struct ZoneInfo: Sendable, Equatable {
    public var rules: TimeZoneRules
    public var labels: [Int: String]

    public init(rules: TimeZoneRules, labels: [Int: String] = [:]) {
        self.rules = rules
        self.labels = labels
    }
}

/// Walks the node tree of a team file (the calendar, the roster's rotations), collecting every problem with
/// its position and key path, as the runbook decoder does.
struct ConfigReader {
    let file: String
    var diagnostics: [Diagnostic] = []

    mutating func error(_ mark: SourceMark, _ path: String, _ message: String) {
        diagnostics.append(Diagnostic(file: file, mark: mark, path: path, message: message))
    }

    mutating func warning(_ mark: SourceMark, _ path: String, _ message: String) {
        diagnostics.append(Diagnostic(file: file, mark: mark, path: path, message: message, isWarning: true))
    }

    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The mapping's values by key (with the key's mark), after checking unknown and missing keys.
    mutating func fields(_ node: YAMLNode, _ path: String, allowed: [String], required: [String] = []) -> [String: YAMLNode]? {
        guard case .mapping(let pairs) = node.content else {
            error(node.mark, path, "expected a mapping, found \(node.kindName)")
            return nil
        }
        var result: [String: YAMLNode] = [:]
        var suggested: Set<String> = []
        for pair in pairs {
            let key = pair.key.scalar ?? ""
            guard allowed.contains(key) else {
                let nearest = Suggestion.nearest(to: key, in: allowed)
                let hint = nearest.map { "; did you mean `\($0)`?" } ?? "; expected one of: \(allowed.joined(separator: ", "))"
                error(pair.key.mark, Self.join(path, key), "unknown key `\(TextHygiene.escape(key))`\(hint)")
                if let nearest { suggested.insert(nearest) }
                continue
            }
            result[key] = pair.value
        }
        // A misspelt key is one error: the key it was meant to be is not also reported missing.
        for key in required where result[key] == nil && !suggested.contains(key) {
            error(node.mark, path, "missing required key `\(key)`")
        }
        return result
    }

    mutating func string(_ node: YAMLNode?, _ path: String) -> String? {
        guard let node else { return nil }
        guard let text = node.scalar, !node.isNull else {
            error(node.mark, path, "expected a string, found \(node.kindName)")
            return nil
        }
        if let refusal = TextHygiene.refusal(text, as: "a name or title") {
            error(node.mark, path, refusal)
            return nil
        }
        return text
    }

    /// A scalar or a list of scalars.
    mutating func names(_ node: YAMLNode?, _ path: String) -> [(String, SourceMark)]? {
        guard let node else { return nil }
        if case .sequence(let items) = node.content {
            var result: [(String, SourceMark)] = []
            for (index, item) in items.enumerated() {
                if let text = string(item, "\(path)[\(index)]") { result.append((text, item.mark)) }
            }
            return result
        }
        return string(node, path).map { [($0, node.mark)] }
    }

    mutating func clockTime(_ node: YAMLNode?, _ path: String) -> ClockTime? {
        guard let node, let text = string(node, path) else { return nil }
        guard let time = ClockTime(text) else {
            error(node.mark, path, "expected a time like \"02:00\", found \"\(TextHygiene.escape(text))\"")
            return nil
        }
        return time
    }

    mutating func date(_ node: YAMLNode?, _ path: String) -> LocalDate? {
        guard let node, let text = string(node, path) else { return nil }
        guard let date = LocalDate(text) else {
            error(node.mark, path, "expected a date like \"2026-11-30\", found \"\(TextHygiene.escape(text))\"")
            return nil
        }
        return date
    }

    /// `2026-12-31 22:00` in `zone`, or ISO-8601 with an offset.
    mutating func dateTime(_ node: YAMLNode?, _ path: String, zone: TimeZoneRules) -> Instant? {
        guard let node, let text = string(node, path) else { return nil }
        if let instant = Instant(iso8601: text), text.count > 16 { return instant }
        let parts = text.split(separator: " ", omittingEmptySubsequences: false)
        if parts.count == 2, let date = LocalDate(String(parts[0])), let time = ClockTime(String(parts[1])) {
            return zone.instant(date, time)
        }
        error(node.mark, path, "expected a date and time like \"2026-12-31 22:00\" (or ISO-8601 with an offset), "
              + "found \"\(TextHygiene.escape(text))\"")
        return nil
    }

    /// `sunday`, `[saturday, sunday]`, `weekdays`, `weekends`, `daily`.
    mutating func days(_ node: YAMLNode?, _ path: String) -> [Weekday]? {
        guard let named = names(node, path) else { return nil }
        // `every: []` would leave the window (or shift) out without a word.
        if named.isEmpty, let node {
            error(node.mark, path, "expected at least one day (a day, a list of days, weekdays, weekends or daily)")
            return nil
        }
        var days: [Weekday] = []
        var valid = true
        for (name, mark) in named {
            guard let found = Weekday.days(named: name) else {
                let choices = Weekday.allCases.map(\.rawValue) + ["weekdays", "weekends", "daily"]
                let hint = Suggestion.nearest(to: name.lowercased(), in: choices).map { "; did you mean `\($0)`?" }
                    ?? "; expected a day (monday … sunday), a list of days, weekdays, weekends or daily"
                error(mark, path, "unknown day \"\(TextHygiene.escape(name))\"\(hint)")
                valid = false
                continue
            }
            for day in found where !days.contains(day) { days.append(day) }
        }
        return valid && !days.isEmpty ? days.sorted() : nil
    }

    /// A zone name resolved by `zones`; an error for a name it does not know.
    mutating func zone(_ node: YAMLNode?, _ path: String, zones: (String) -> ZoneInfo?) -> ZoneInfo? {
        guard let node, let name = string(node, path) else { return nil }
        guard let info = zones(name) else {
            error(node.mark, path, "unknown time zone \"\(TextHygiene.escape(name))\"; expected a tz database name like "
                  + "\"Asia/Seoul\" or an offset like \"+09:00\"")
            return nil
        }
        return info
    }
}
