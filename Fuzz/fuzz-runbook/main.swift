// Fuzzes the runbook loader: YAML, the decoder walking the tree, lint, and the rendered diagnostics; and the same
// text as a maintenance calendar (calendar.yaml), whose windows must answer when they open and close.
import FuzzSupport
import RunbookCore

runFuzzer { data, size in
    let text = String(decoding: fuzzInput(data, size), as: UTF8.self)
    switch RunbookLoader.load(text, file: "fuzz.yaml") {
    case .success(let decoded):
        _ = decoded.runbook.states.count
    case .failure(let invalid):
        guard !invalid.diagnostics.isEmpty else { fuzzFailure("a refused runbook without a diagnostic") }
        for diagnostic in invalid.diagnostics {
            _ = diagnostic.rendered(source: text)
        }
    }
    let utc = ZoneInfo(rules: .utc)
    let (calendar, diagnostics) = CalendarDecoder.decode(text, file: "calendar.yaml", zones: { TimeZoneRules(fixedName: $0).map { ZoneInfo(rules: $0) } },
                                                         defaultZone: utc)
    for diagnostic in diagnostics { _ = diagnostic.rendered(source: text) }
    let now = Instant(milliseconds: 1_795_737_600_000)
    for window in calendar.windows {
        _ = window.isOpen(at: now)
        _ = window.opening(after: now)
        _ = window.closing(after: now)
    }
    return 0
}
