// Fuzzes the runbook loader: YAML, the decoder walking the tree, lint, and the rendered diagnostics.
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
    return 0
}
