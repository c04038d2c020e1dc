public import RunbookCore

/// A runbook read from a file, with its exact text.
public struct LoadedRunbook: Sendable {
    public var runbook: Runbook
    public var text: String
    public var file: String
}

/// The runbooks folder: one YAML file per runbook, the file name being the runbook id.
public struct RunbookLibrary: Sendable {
    public var directory: String

    /// Files in the folder that configure the engine rather than describe a runbook.
    public static let configurationFiles: Set<String> = ["contacts", "roster", "calendar", "alerts"]

    public init(directory: String) {
        self.directory = directory
    }

    /// The runbook files of the folder, sorted.
    public func files() throws(UserError) -> [String] {
        guard let names = FileIO.list(directory) else {
            throw UserError(.usage, .runbooksFolderUnreadable(directory))
        }
        return names.filter { ($0.hasSuffix(".yaml") || $0.hasSuffix(".yml"))
            && !Self.configurationFiles.contains(FileIO.baseName($0)) }
            .map { "\(directory)/\($0)" }
    }

    /// The runbook ids of the folder.
    public func ids() throws(UserError) -> [String] {
        try files().map(FileIO.baseName)
    }

    /// Loads the runbook `id` from the folder, refusing an invalid one.
    public func load(_ id: String) throws(UserError) -> LoadedRunbook {
        let candidates = try files()
        guard let file = candidates.first(where: { FileIO.baseName($0) == id }) else {
            let known = candidates.map(FileIO.baseName)
            throw UserError(.usage, .unknownRunbook(id, directory: directory, nearest: Suggestion.nearest(to: id, in: known)))
        }
        return try Self.load(file: file)
    }

    /// Loads and checks one runbook file.
    public static func load(file: String) throws(UserError) -> LoadedRunbook {
        try load(text: try FileIO.read(file), file: file)
    }

    /// Loads and checks one runbook's text, as read from `file` (a team server's runbook, read through its API).
    public static func load(text: String, file: String) throws(UserError) -> LoadedRunbook {
        switch RunbookLoader.load(text, file: file, expectedID: FileIO.baseName(file), zoneExists: TimeZones.exists) {
        case .success(let decoded):
            return LoadedRunbook(runbook: decoded.runbook, text: text, file: file)
        case .failure(let invalid):
            let first = invalid.diagnostics.first.map(\.headline) ?? "\(file) is invalid"
            let more = invalid.diagnostics.count > 1 ? " (and \(invalid.diagnostics.count - 1) more; run `runbook lint \(file)`)" : ""
            throw UserError(.data, first + more)
        }
    }
}
