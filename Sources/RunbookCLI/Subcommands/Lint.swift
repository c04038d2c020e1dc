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
                stage deadlines that add up to more than the RTO. Errors print as \
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
            for path in paths {
                let text = try FileIO.read(path)
                if case .failure(let invalid) = RunbookLoader.load(text, file: path, expectedID: FileIO.baseName(path),
                                                                  zoneExists: TimeZones.exists) {
                    badFiles += 1
                    errorCount += invalid.diagnostics.count
                    for diagnostic in invalid.diagnostics {
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
    }
}
