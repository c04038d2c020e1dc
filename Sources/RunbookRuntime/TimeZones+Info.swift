public import RunbookCore
import Synchronization

extension TimeZones {
    /// The rules of `name` with its abbreviations by offset (`KST` for +09:00), read from the zone file's POSIX
    /// footer (`KST-9`, `CET-1CEST,M3.5.0,M10.5.0/3`); nil when there is no zone by that name.
    public static func info(named name: String) -> ZoneInfo? {
        // Every command reads the roster (and an incident's frozen one): each zone file is read once per process.
        if let cached = infoCache.withLock({ $0[name] }) { return cached }
        let info = readInfo(named: name)
        infoCache.withLock { $0[name] = .some(info) }
        return info
    }

    private static let infoCache = Mutex<[String: ZoneInfo?]>([:])

    private static func readInfo(named name: String) -> ZoneInfo? {
        if let fixed = TimeZoneRules(fixedName: name) {
            return ZoneInfo(rules: fixed, labels: ["UTC", "Z", "GMT", "Etc/UTC"].contains(name) ? [0: "UTC"] : [:])
        }
        // One read of the zone file gives both its rules and, from its footer, the abbreviations.
        guard TimeZoneRules.isZoneFileName(name), let bytes = FileIO.readBytes(directory + "/" + name),
              let rules = TimeZoneRules(name: name, tzif: bytes) else { return nil }
        return ZoneInfo(rules: rules, labels: footerLabels(bytes))
    }

    /// The zone people here read clocks in (`TZ`, else the system's), with its abbreviations.
    public static func localInfo() -> ZoneInfo {
        if let cached = localCache.withLock({ $0 }) { return cached }
        let info = readLocalInfo()
        localCache.withLock { $0 = info }
        return info
    }

    private static let localCache = Mutex<ZoneInfo?>(nil)

    private static func readLocalInfo() -> ZoneInfo {
        let rules = local()
        if let info = info(named: rules.name) { return info }
        return ZoneInfo(rules: rules, labels: FileIO.readBytes("/etc/localtime").map(footerLabels) ?? [:])
    }

    /// `KST-9` → [32400: KST]; `CET-1CEST,…` → [3600: CET, 7200: CEST]; `<+0530>-5:30` names nothing.
    static func footerLabels(_ bytes: [UInt8]) -> [Int: String] {
        guard bytes.last == 10, let start = bytes.dropLast().lastIndex(of: 10) else { return [:] }
        let footer = String(decoding: bytes[(start + 1)..<(bytes.count - 1)], as: UTF8.self)
        let rule = footer.split(separator: ",").first.map(String.init) ?? footer
        // Names of letters, offsets of digits, signs and colons, alternating: STD offset [DST [offset]].
        var parts: [String] = []
        var current = ""
        var letters = true
        for character in rule {
            let isLetter = character.isLetter
            if current.isEmpty {
                letters = isLetter
            } else if isLetter != letters {
                parts.append(current)
                current = ""
                letters = isLetter
            }
            current.append(character)
        }
        if !current.isEmpty { parts.append(current) }
        guard parts.count >= 2, parts[0].allSatisfy(\.isLetter), let standard = offsetSeconds(parts[1]) else { return [:] }
        var labels = [-standard: parts[0]]
        if parts.count >= 3, parts[2].allSatisfy(\.isLetter) {
            let daylight = parts.count >= 4 ? offsetSeconds(parts[3]).map { -$0 } ?? (-standard + 3600) : -standard + 3600
            labels[daylight] = parts[2]
        }
        return labels
    }

    /// `-9` → -32400, `5:30` → 19800 (POSIX: positive west of Greenwich).
    static func offsetSeconds(_ text: String) -> Int? {
        var sign = 1
        var body = Substring(text)
        if body.first == "-" { sign = -1; body = body.dropFirst() } else if body.first == "+" { body = body.dropFirst() }
        let fields = body.split(separator: ":").map { Int($0) }
        guard !fields.isEmpty, fields.count <= 3, let hours = fields[0] else { return nil }
        let minutes = fields.count > 1 ? fields[1] ?? 0 : 0
        return sign * (hours * 3600 + minutes * 60)
    }
}

/// `runbooks/calendar.yaml`: the team's maintenance windows (SPEC §3.2).
public enum CalendarFile {
    /// The calendar of `directory` (empty when it has no calendar.yaml), and every problem found in it.
    /// `runbookIDs`, when given, are the runbooks a window may name (unknown ones are warnings).
    public static func read(directory: String, runbookIDs: Set<String>? = nil) throws(UserError) -> (MaintenanceCalendar, [Diagnostic], text: String)? {
        let path = "\(directory)/calendar.yaml"
        guard FileIO.exists(path) else { return nil }
        let text = try FileIO.read(path)
        let (calendar, diagnostics) = CalendarDecoder.decode(text, file: path, zones: TimeZones.info(named:),
                                                             defaultZone: TimeZones.localInfo(), runbookIDs: runbookIDs)
        return (calendar, diagnostics, text)
    }

    /// The calendar of `directory`, refusing an invalid one with its first error.
    public static func load(directory: String) throws(UserError) -> MaintenanceCalendar {
        guard let (calendar, diagnostics, _) = try read(directory: directory) else { return MaintenanceCalendar() }
        if let first = diagnostics.first(where: { !$0.isWarning }) {
            let errors = diagnostics.filter { !$0.isWarning }.count
            throw UserError(.data, first.headline + (errors > 1 ? " (and \(errors - 1) more; run `runbook lint`)" : ""))
        }
        return calendar
    }
}
