/// Reads `runbooks/calendar.yaml` (SPEC §3.2) by walking its node tree, with every problem at its position.
///
/// ```yaml
/// timezone: Asia/Seoul            # for every window that names none; else TZ
/// windows:
///   sunday-maintenance:
///     title: "정기 점검 (Sunday maintenance)"
///     every: sunday               # a day, a list of days, or weekdays/weekends/daily
///     from: "02:00"
///     to: "06:00"                 # to at or before from ends the next day
///     runbooks: [update-deploy, db-backup]
///   year-end-freeze:              # one-off: local date and time (or ISO-8601 with an offset)
///     from: "2026-12-31 22:00"
///     to: "2027-01-01 02:00"
/// ```
public enum CalendarDecoder {
    static let rootKeys = ["timezone", "windows"]
    static let windowKeys = ["title", "every", "from", "to", "runbooks", "timezone"]

    /// The calendar, and every problem (errors make it unusable; warnings do not). `zones` resolves a zone name;
    /// `defaultZone` stands for a calendar that names none; `runbookIDs`, when known, are the runbooks a window may name.
    public static func decode(_ text: String, file: String, zones: (String) -> ZoneInfo?, defaultZone: ZoneInfo,
                              runbookIDs: Set<String>? = nil) -> (MaintenanceCalendar, [Diagnostic]) {
        let root: YAMLNode?
        do {
            root = try YAMLParser.parse(text)
        } catch {
            return (MaintenanceCalendar(), [Diagnostic(file: file, mark: error.mark, path: "", message: error.message)])
        }
        guard let root, !root.isNull else { return (MaintenanceCalendar(), []) }
        var reader = ConfigReader(file: file)
        var windows: [MaintenanceWindow] = []
        if let top = reader.fields(root, "", allowed: rootKeys) {
            let zone = top["timezone"].map { reader.zone($0, "timezone", zones: zones) } ?? defaultZone
            if let list = top["windows"], !list.isNull {
                if case .mapping(let pairs) = list.content {
                    for pair in pairs {
                        let name = pair.key.scalar ?? ""
                        let path = "windows.\(name)"
                        guard isIdentifier(name) else {
                            reader.error(pair.key.mark, path, "expected a window name of ASCII letters, digits, `-` and `_`, "
                                         + "found \"\(TextHygiene.escape(name))\"")
                            continue
                        }
                        if let window = window(name, pair.value, path, zone: zone, zones: zones, runbookIDs: runbookIDs, reader: &reader) {
                            windows.append(window)
                        }
                    }
                } else {
                    reader.error(list.mark, "windows", "expected a mapping of window names to windows, found \(list.kindName)")
                }
            }
        }
        return (MaintenanceCalendar(windows: windows), reader.diagnostics.sorted { $0.mark < $1.mark })
    }

    /// The window names `text` declares under `windows:`, valid or not; nil when it is not YAML. A window the
    /// calendar gets wrong is reported there once, not again in every state that names it.
    public static func declaredNames(_ text: String) -> Set<String>? {
        guard let root = try? YAMLParser.parse(text) else { return nil }
        guard case .mapping(let top) = root.content, let list = top.first(where: { $0.key.scalar == "windows" })?.value,
              case .mapping(let pairs) = list.content else { return [] }
        return Set(pairs.compactMap(\.key.scalar))
    }

    static func window(_ name: String, _ node: YAMLNode, _ path: String, zone calendarZone: ZoneInfo?, zones: (String) -> ZoneInfo?,
                       runbookIDs: Set<String>?, reader: inout ConfigReader) -> MaintenanceWindow? {
        let before = reader.diagnostics.count
        guard let f = reader.fields(node, path, allowed: windowKeys, required: ["from", "to"]) else { return nil }
        // A misspelt key leaves the window's shape unknown (`evry:` would read it as a one-off): one error, not a cascade.
        guard reader.diagnostics.count == before else { return nil }
        let title = reader.string(f["title"], "\(path).title")
        let zone = f["timezone"].map { reader.zone($0, "\(path).timezone", zones: zones) } ?? calendarZone
        var runbooks: [String] = []
        for (id, mark) in reader.names(f["runbooks"], "\(path).runbooks") ?? [] {
            runbooks.append(id)
            if let runbookIDs, !runbookIDs.contains(id) {
                let hint = Suggestion.nearest(to: id, in: Array(runbookIDs)).map { "; did you mean `\($0)`?" } ?? ""
                reader.warning(mark, "\(path).runbooks", "window \(name) covers `\(TextHygiene.escape(id))`, which is not a runbook in this folder\(hint)")
            }
        }
        guard let zone else { return nil }
        let timing: MaintenanceWindow.Timing
        if let every = f["every"] {
            let days = reader.days(every, "\(path).every")
            let from = reader.clockTime(f["from"], "\(path).from")
            let to = reader.clockTime(f["to"], "\(path).to")
            guard let days, let from, let to else { return nil }
            if from == to {
                reader.error(f["to"]?.mark ?? node.mark, "\(path).to", "the window is empty: it starts and ends at \(from)")
                return nil
            }
            if from.minuteOfDay == 24 * 60 {
                reader.error(f["from"]?.mark ?? node.mark, "\(path).from", "a window cannot start at 24:00; write \"00:00\" and the next day")
                return nil
            }
            timing = .weekly(days: days, from: from, to: to)
        } else {
            let from = reader.dateTime(f["from"], "\(path).from", zone: zone.rules)
            let to = reader.dateTime(f["to"], "\(path).to", zone: zone.rules)
            guard let from, let to else { return nil }
            if to <= from {
                reader.error(f["to"]?.mark ?? node.mark, "\(path).to", "the window is empty: it ends at or before it starts "
                             + "(a one-off window gives both dates; a weekly one needs `every:`)")
                return nil
            }
            timing = .once(start: from, end: to)
        }
        return MaintenanceWindow(name: name, title: title, zone: zone.rules, zoneLabels: zone.labels, timing: timing, runbooks: runbooks)
    }

    static func isIdentifier(_ text: String) -> Bool {
        !text.isEmpty && text.first != "-" && text.unicodeScalars.allSatisfy {
            ($0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil)) || $0 == "-" || $0 == "_"
        }
    }
}
