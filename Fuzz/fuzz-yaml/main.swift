// Fuzzes the YAML loader: libyaml's events into the node tree (any input: a tree or a YAMLError, never a
// crash). The same text is tried as an ISO-8601 time (RUNBOOK_NOW, --at): it parses or is refused, and a
// time it accepts prints as text that reads back as the same instant. The bytes are also read as a TZif zone file
// (schedules, windows and rotations are computed in one): read or refused, and a zone read gives an offset within a
// day for any instant, and turns a wall time back into an instant.
import FuzzSupport
import RunbookCore

runFuzzer { data, size in
    var bytes = Array(fuzzInput(data, size))
    do throws(YAMLError) {
        if let root = try YAMLParser.parse(bytes: &bytes) {
            _ = root.kindName
        }
    } catch {
        guard error.mark.line >= 1, error.mark.column >= 1 else { fuzzFailure("a mark before 1:1: \(error.mark)") }
    }
    let text = String(decoding: bytes, as: UTF8.self)
    if let instant = Instant(iso8601: text) {
        let printed = instant.iso8601
        let year = CivilTime(utcMilliseconds: instant.milliseconds).year
        if (0...9999).contains(year), Instant(iso8601: printed)?.milliseconds != instant.milliseconds {
            fuzzFailure("\(text) is \(printed), which reads back differently")
        }
    }
    if let zone = TimeZoneRules(name: "fuzz", tzif: bytes) {
        for milliseconds: Int64 in [-2_000_000_000_000, 0, 1_795_737_600_000, 4_102_444_800_000] {
            let offset = zone.offset(at: Instant(milliseconds: milliseconds))
            guard abs(offset) <= 86_400 * 2 else { fuzzFailure("an offset of \(offset) s") }
        }
        if let date = LocalDate("2026-03-29"), let time = ClockTime("02:30") { _ = zone.instant(date, time) }
    }
    if let rule = TimeZoneRules(name: "fuzz", posix: text) {
        _ = rule.offset(at: Instant(milliseconds: 1_795_737_600_000))
    }
    return 0
}
