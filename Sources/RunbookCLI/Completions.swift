import ArgumentParser
import RunbookCore
import RunbookRuntime
import RunbookStore

/// Shell completion of runbook, incident and step ids (bash, zsh, fish: `runbook --generate-completion-script`).
///
/// A completion never fails loudly and never creates or changes anything: it opens the database read-only, and
/// offers nothing when something is missing.
enum Completions {
    /// The ids of the runbooks in the folder the command line names.
    static let runbooks = CompletionKind.custom { words, _, prefix in
        let ids = (try? RunbookLibrary(directory: option("--runbooks", in: words) ?? environment("RUNBOOK_PATH") ?? "runbooks").ids()) ?? []
        return ids.filter { $0.hasPrefix(prefix) }
    }

    /// The open and resolved incidents of the database the command line names (newest first, as the store lists them).
    static let incidents = CompletionKind.custom { words, _, prefix in
        guard let store = store(words), let summaries = try? store.incidents(statuses: ["open", "resolved"]) else { return [] }
        return summaries.map(\.id).filter { $0.hasPrefix(prefix) }
    }

    /// The resolved and closed incidents, for `reopen`.
    static let reopenable = CompletionKind.custom { words, _, prefix in
        guard let store = store(words), let summaries = try? store.incidents(statuses: ["resolved", "closed"]) else { return [] }
        return summaries.map(\.id).filter { $0.hasPrefix(prefix) }
    }

    /// The steps of the current stage of the incident named before the step.
    static let steps = CompletionKind.custom { words, index, prefix in
        guard let store = store(words), index >= 1, index <= words.count,
              let team = try? TeamFiles(directory: runbooksPath(words)) else { return [] }
        // The incident is the positional word before the step (options and their values skipped).
        let before = positionals(Array(words.prefix(index)))
        guard let named = before.last else { return [] }
        let service = IncidentService(store: store, library: RunbookLibrary(directory: runbooksPath(words)), clock: SystemClock(),
                                      team: team)
        guard let id = try? service.resolveIncidentID(named), let snapshot = try? service.snapshot(id),
              let stage = snapshot.runbook.state(snapshot.state.stateID) else { return [] }
        return stage.steps.map(\.id).filter { $0.hasPrefix(prefix) }
    }

    static func runbooksPath(_ words: [String]) -> String {
        option("--runbooks", in: words) ?? environment("RUNBOOK_PATH") ?? "runbooks"
    }

    static func store(_ words: [String]) -> SQLiteEventStore? {
        let path = option("--db", in: words) ?? environment("RUNBOOK_DB") ?? "incidents.db"
        guard FileIO.exists(path) else { return nil }
        return try? SQLiteEventStore(path: path, readOnly: true)
    }

    /// The value of `--name VALUE` or `--name=VALUE` on the command line.
    static func option(_ name: String, in words: [String]) -> String? {
        for (position, word) in words.enumerated() {
            if word == name, position + 1 < words.count { return words[position + 1] }
            if word.hasPrefix(name + "=") { return String(word.dropFirst(name.count + 1)) }
        }
        return nil
    }

    /// The positional words after the program and subcommand (options that take a value skip it).
    static func positionals(_ words: [String]) -> [String] {
        let valued: Set<String> = ["--db", "--runbooks", "--color", "--as", "--at", "--note", "--reason", "--attempt", "--format", "-o",
                                   "--output", "--title", "--severity", "--speed", "--checkpoint", "--public-key"]
        var result: [String] = []
        var skip = false
        for word in words.dropFirst(2) {
            if skip { skip = false; continue }
            if word.hasPrefix("-") {
                skip = valued.contains(word)
                continue
            }
            result.append(word)
        }
        return result
    }
}
