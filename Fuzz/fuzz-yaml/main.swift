// Fuzzes the YAML loader: libyaml's events into the node tree (any input: a tree or a YAMLError, never a
// crash). The same text is tried as an ISO-8601 time (RUNBOOK_NOW, --at): it parses or is refused, and a
// time it accepts prints as text that reads back as the same instant.
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
    return 0
}
