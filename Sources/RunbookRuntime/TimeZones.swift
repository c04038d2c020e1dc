#if canImport(Glibc)
import Glibc
#endif
public import RunbookCore

/// The tz database on this host: zone names (`Asia/Seoul`) to their rules, read from `TZDIR` or
/// `/usr/share/zoneinfo`.
public enum TimeZones {
    /// The rules of `name`: a fixed offset (`UTC`, `+09:00`) or a zone file; nil when there is none by that name.
    public static func rules(named name: String) -> TimeZoneRules? {
        if let fixed = TimeZoneRules(fixedName: name) { return fixed }
        guard TimeZoneRules.isZoneFileName(name), let bytes = FileIO.readBytes(directory + "/" + name) else { return nil }
        return TimeZoneRules(name: name, tzif: bytes)
    }

    /// Whether `name` names a zone of this host (for `timezone:` in runbooks).
    public static func exists(_ name: String) -> Bool {
        rules(named: name) != nil
    }

    /// The zone a runbook's schedule is read in: its `timezone:`, else `TZ`, else the system's zone.
    public static func zone(of runbook: Runbook) -> TimeZoneRules {
        runbook.timezone.flatMap(rules(named:)) ?? local()
    }

    /// The zone people here read clocks in: `TZ` (a zone name, `:NAME`, or a fixed offset), else the
    /// system's `/etc/localtime`, else UTC.
    public static func local() -> TimeZoneRules {
        if let value = getenv("TZ").map({ String(cString: $0) }), !value.isEmpty {
            let name = value.hasPrefix(":") ? String(value.dropFirst()) : value
            if let rules = rules(named: name) { return rules }
            if let rule = TimeZoneRules(name: name, posix: name) { return rule }
        }
        if let bytes = FileIO.readBytes("/etc/localtime"), let rules = TimeZoneRules(name: "local", tzif: bytes) { return rules }
        return .utc
    }

    static var directory: String {
        if let value = getenv("TZDIR").map({ String(cString: $0) }), !value.isEmpty { return value }
        return "/usr/share/zoneinfo"
    }
}
