import ArgumentParser
import RunbookCore
import RunbookRuntime

extension RunbookCommand {
    struct Lint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "lint",
            abstract: "Check runbook files and report every problem with its position.",
            discussion: """
                Checks YAML syntax, unknown and duplicate keys, types, durations ("5m", "1h30m", "24h"), \
                control characters in titles, choices, prompts and notes (escape sequences, tabs, bidi \
                overrides), references to states and roles, unreachable states, states with no path to an end, and \
                stage deadlines that add up to more than the RTO, and `call:` steps: the runbook called must \
                exist in the same folder (DIR/NAME.yaml), a runbook may not call itself, and calls may not form \
                a cycle across runbooks (a calls b calls a). With no files given, also the folder's calendar.yaml \
                (maintenance windows, and `window:` names in runbooks), the rotations in roster.yaml (errors, and a \
                warning for hours no shift covers) and alerts.yaml (unknown sources and keys, routes with no label to \
                match, to an unknown runbook or a routine check, or with an unknown severity). Errors print as \
                FILE:LINE:COLUMN: error: PATH: MESSAGE, then the source line and a caret. \
                Exit status 0 when every file is clean, 65 when any is invalid.
                """)

        @OptionGroup var global: GlobalOptions

        @Argument(help: "Runbook files to check (default: every runbook in the runbooks folder).")
        var files: [String] = []

        func run() async throws {
            let result = try Self.check(RunbookLibrary(directory: global.runbooksPath), files: files)
            for line in result.lines { err(line) }
            let checked = "\(result.summary.runbooks) runbook\(result.summary.runbooks == 1 ? "" : "s") checked"
            if result.summary.errors == 0 {
                out("\(checked), no problems")
            } else {
                let (errorCount, badFiles) = (result.summary.errors, result.summary.badFiles)
                err("\(checked): \(errorCount) error\(errorCount == 1 ? "" : "s") in \(badFiles) file\(badFiles == 1 ? "" : "s")")
                throw ExitCode(UserError.Kind.data.rawValue)
            }
        }

        /// Lints `files` (none: every runbook of the library, with its calendar, roster rotations and alerts): the
        /// diagnostics as they print (the runbooks' own first, then the team files'), and the counts (`runbook doctor`
        /// reports those).
        static func check(_ library: RunbookLibrary, files: [String]) throws(UserError) -> (lines: [String], summary: TeamDoctor.LintSummary) {
            let paths = files.isEmpty ? try library.files() : files
            var runbookLines: [String] = []
            var errorCount = 0
            var badFiles = 0
            // The team files' problems print after the runbooks' own.
            var teamFileLines: [String] = []
            func report(_ diagnostics: [Diagnostic], source: String) {
                for diagnostic in diagnostics {
                    teamFileLines.append(diagnostic.rendered(source: source).split(separator: "\n", omittingEmptySubsequences: false)
                        .map { TTY.inline($0) }.joined(separator: "\n"))
                }
                let errors = diagnostics.filter { !$0.isWarning }.count
                errorCount += errors
                if errors > 0 { badFiles += 1 }
            }
            // The folder's calendar and the roster's rotations (SPEC §3.2), when the whole folder is checked.
            var windows: Set<String>?
            if files.isEmpty {
                let ids = Set(paths.map(FileIO.baseName))
                if let (calendar, diagnostics, text) = try CalendarFile.read(directory: library.directory, runbookIDs: ids) {
                    report(diagnostics, source: text)
                    windows = Set(calendar.windows.map(\.name))
                    // A broken window is the calendar's error, not also one in every state naming it (unreadable: not checked).
                    if diagnostics.contains(where: { !$0.isWarning }) {
                        windows = CalendarDecoder.declaredNames(text).map { $0.union(windows ?? []) }
                    }
                } else {
                    windows = []
                }
                let rosterPath = "\(library.directory)/roster.yaml"
                if FileIO.exists(rosterPath) {
                    let text = try FileIO.read(rosterPath)
                    do {
                        report(try Roster.parse(text, file: rosterPath).warnings, source: text)
                    } catch {
                        let all = Roster.rotationDiagnostics(text, file: rosterPath)
                        if all.contains(where: { !$0.isWarning }) {
                            report(all, source: text)
                        } else {
                            teamFileLines.append(error.message)
                            errorCount += 1
                            badFiles += 1
                        }
                    }
                }
                // The alert sources and routes of `runbook serve` (SPEC §10).
                if let (_, diagnostics, text) = try AlertsFile.read(directory: library.directory, library: library) {
                    report(diagnostics, source: text)
                }
            }
            var folders: [String: [String: [String]]] = [:]
            for path in paths {
                // A runbook of the folder that cannot be read (a FIFO, a device, no permission) is one bad file; the
                // others are still checked (doctor counts them). A file named on the command line must be readable.
                let text: String
                do throws(UserError) {
                    text = try FileIO.read(path)
                } catch {
                    guard files.isEmpty else { throw error }
                    runbookLines.append(error.message)
                    badFiles += 1
                    errorCount += 1
                    continue
                }
                var diagnostics: [Diagnostic] = []
                switch RunbookLoader.load(text, file: path, expectedID: FileIO.baseName(path), zoneExists: TimeZones.exists,
                                          windows: windows) {
                case .failure(let invalid):
                    diagnostics = invalid.diagnostics
                case .success(let decoded):
                    // `call:` steps are checked against the runbooks of the file's own folder.
                    let directory = FileIO.parent(of: path)
                    let folder = folders[directory] ?? callGraph(of: directory)
                    folders[directory] = folder
                    diagnostics = RunbookLint.checkCalls(decoded, file: path, folder: folder, directory: directory)
                }
                if !diagnostics.isEmpty {
                    badFiles += 1
                    errorCount += diagnostics.count
                    for diagnostic in diagnostics {
                        // The quoted source line may hold a raw control character (the reason for the error).
                        runbookLines.append(diagnostic.rendered(source: text).split(separator: "\n", omittingEmptySubsequences: false)
                            .map { TTY.inline($0) }.joined(separator: "\n"))
                    }
                }
            }
            return (runbookLines + teamFileLines, TeamDoctor.LintSummary(runbooks: paths.count, errors: errorCount, badFiles: badFiles))
        }

        /// Every runbook id of the folder with the runbooks it calls (none for a file that does not load).
        static func callGraph(of directory: String) -> [String: [String]] {
            var graph: [String: [String]] = [:]
            for file in (try? RunbookLibrary(directory: directory).files()) ?? [] {
                let id = FileIO.baseName(file)
                guard let text = try? FileIO.read(file),
                      case .success(let decoded) = RunbookLoader.load(text, file: file, expectedID: id) else {
                    graph[id] = []
                    continue
                }
                graph[id] = RunbookLint.callees(decoded.runbook)
            }
            return graph
        }
    }
}
