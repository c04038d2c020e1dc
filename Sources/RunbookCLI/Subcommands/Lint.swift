import ArgumentParser
import RunbookCore
import RunbookRuntime

extension RunbookCommand {
    struct Lint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check runbook files and report every problem with its position.",
            discussion: """
                Checks YAML syntax, unknown and duplicate keys, types, durations ("5m", "1h30m", "24h"), \
                control characters in titles, choices, prompts and notes (escape sequences, tabs, bidi \
                overrides), references to states and roles, unreachable states, states with no path to an end, and \
                stage deadlines that add up to more than the RTO, and `call:` steps: the runbook called must \
                exist in the same folder (DIR/NAME.yaml), a runbook may not call itself, and calls may not form \
                a cycle across runbooks (a calls b calls a). Errors print as \
                FILE:LINE:COLUMN: error: PATH: MESSAGE, then the source line and a caret. \
                Exit status 0 when every file is clean, 65 when any is invalid.
                """)

        @OptionGroup var global: GlobalOptions

        @Argument(help: "Runbook files to check (default: every runbook in the runbooks folder).")
        var files: [String] = []

        func run() async throws {
            let paths = files.isEmpty ? try RunbookLibrary(directory: global.runbooksPath).files() : files
            var errorCount = 0
            var badFiles = 0
            var folders: [String: [String: [String]]] = [:]
            for path in paths {
                let text = try FileIO.read(path)
                var diagnostics: [Diagnostic] = []
                switch RunbookLoader.load(text, file: path, expectedID: FileIO.baseName(path), zoneExists: TimeZones.exists) {
                case .failure(let invalid):
                    diagnostics = invalid.diagnostics
                case .success(let decoded):
                    // `call:` steps are checked against the runbooks of the file's own folder.
                    let directory = Self.directory(of: path)
                    let folder = folders[directory] ?? Self.callGraph(of: directory)
                    folders[directory] = folder
                    diagnostics = RunbookLint.checkCalls(decoded, file: path, folder: folder, directory: directory)
                }
                if !diagnostics.isEmpty {
                    badFiles += 1
                    errorCount += diagnostics.count
                    for diagnostic in diagnostics {
                        // The quoted source line may hold a raw control character (the reason for the error).
                        err(diagnostic.rendered(source: text).split(separator: "\n", omittingEmptySubsequences: false)
                            .map { TTY.inline($0) }.joined(separator: "\n"))
                    }
                }
            }
            let checked = "\(paths.count) runbook\(paths.count == 1 ? "" : "s") checked"
            if errorCount == 0 {
                out("\(checked), no problems")
            } else {
                err("\(checked): \(errorCount) error\(errorCount == 1 ? "" : "s") in \(badFiles) file\(badFiles == 1 ? "" : "s")")
                throw ExitCode(UserError.Kind.data.rawValue)
            }
        }

        /// The folder of a runbook file ("." for a bare file name).
        static func directory(of path: String) -> String {
            guard let slash = path.lastIndex(of: "/") else { return "." }
            return slash == path.startIndex ? "/" : String(path[..<slash])
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
