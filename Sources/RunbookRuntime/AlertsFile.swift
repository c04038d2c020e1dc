public import RunbookCore

/// `runbooks/alerts.yaml`: the team's alert sources and routes (SPEC §10 "Alerts start runbooks").
public enum AlertsFile {
    /// The file of `directory`.
    public static func path(in directory: String) -> String { "\(directory)/alerts.yaml" }

    /// The rules of `directory` (nil when it has no alerts.yaml), with every problem found and the file's text.
    /// Routes are checked against the runbooks of `library`: each must name one that handles incidents.
    public static func read(directory: String, library: RunbookLibrary) throws(UserError) -> (AlertRules, [Diagnostic], text: String)? {
        let path = path(in: directory)
        guard FileIO.exists(path) else { return nil }
        let text = try FileIO.read(path)
        let (rules, diagnostics) = AlertRulesDecoder.decode(text, file: path, runbooks: runbookKinds(library))
        return (rules, diagnostics, text)
    }

    /// Every runbook of the folder that loads, by id, with its kind (a file that does not load is left out: lint says why).
    public static func runbookKinds(_ library: RunbookLibrary) -> [String: RunbookKind] {
        var kinds: [String: RunbookKind] = [:]
        for file in (try? library.files()) ?? [] {
            if let loaded = try? RunbookLibrary.load(file: file) { kinds[loaded.runbook.id] = loaded.runbook.kind }
        }
        return kinds
    }
}
