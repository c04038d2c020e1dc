import Foundation
import RunbookTestSupport
import Testing

/// The README's shell examples run as written, each command with the exit status the README shows (SPEC: the
/// README is the first thing a new user tries).
///
/// Every `$ command` line of a ```sh block runs in one bash session per block (so `export` carries over), in a
/// fresh team folder, on a fixed clock (the README's incident ids are of 2026-11-27). A command followed in the
/// README by a `runbook: error:` line must fail; every other must succeed. `printf … | runbook …` lines (the
/// scripted examples) must succeed. The programs the runbooks call are stubbed: `vercel` fails (not logged in),
/// `curl` and `supabase` succeed.
@Suite struct ReadmeExamplesTests {
    struct Example {
        var command: String
        var mustFail: Bool
    }

    /// The runnable examples of each ```sh block.
    static func blocks(_ readme: String) -> [[Example]] {
        var blocks: [[Example]] = []
        var current: [Example]?
        for line in readme.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("```sh") {
                current = []
            } else if line.hasPrefix("```"), let examples = current {
                if !examples.isEmpty { blocks.append(examples) }
                current = nil
            } else if current != nil {
                if line.hasPrefix("$ ") {
                    current?.append(Example(command: String(line.dropFirst(2)), mustFail: false))
                } else if line.hasPrefix("printf ") {
                    current?.append(Example(command: line, mustFail: false))
                } else if line.hasPrefix("runbook: error:"), let last = current?.indices.last {
                    current?[last].mustFail = true
                }
            }
        }
        return blocks
    }

    /// Runs `script` in bash in `directory`; returns stdout and stderr together.
    func bash(_ script: String, in directory: String, environment extra: [String: String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", script]
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("RUNBOOK_") }
        for (key, value) in extra { environment[key] = value }
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    @Test func theShellExamplesRunAsWritten() throws {
        let readme = try String(contentsOfFile: "\(repositoryRoot)/README.md", encoding: .utf8)
        let blocks = Self.blocks(readme)
        #expect(blocks.count >= 3, "the walkthrough, the gates and the drill")
        #expect(blocks.joined().contains { $0.command.contains("| runbook drill") }, "the scripted drill is among them")
        for (number, block) in blocks.enumerated() {
            try withWorkspace { _, directory in
                let stubs = "\(directory)/stubs"
                try FileManager.default.createDirectory(atPath: stubs, withIntermediateDirectories: true)
                try FileManager.default.createSymbolicLink(atPath: "\(stubs)/runbook", withDestinationPath: CLIRunner.executable)
                for (name, body) in [("vercel", "echo 'Error: not logged in' >&2; exit 1"), ("curl", "echo '{\"status\":\"ok\"}'"),
                                     ("supabase", "echo 'Finished supabase db reset.'")] {
                    try "#!/bin/sh\n\(body)\n".write(toFile: "\(stubs)/\(name)", atomically: true, encoding: .utf8)
                    chmod("\(stubs)/\(name)", 0o755)
                }
                var script = "set -u\n"
                // The gates example is of a db-recovery incident in its restore stage, the backup chosen, fetched, checked.
                if block.contains(where: { $0.command.contains("INC-20261127-0002") }) {
                    script += """
                        runbook start security-incident --no-guide --as kim >/dev/null
                        runbook start db-recovery --no-guide --as kim >/dev/null
                        for step in maintenance-on dump-current check-dump list-backups; do
                          runbook step 2 $step skip --note "README setup" --as kim >/dev/null || echo "@@setup failed: $step"
                        done
                        runbook input 2 backup-file db-20261126.dump --as kim >/dev/null || echo "@@setup failed: backup-file"
                        for step in fetch-backup check-backup; do
                          runbook step 2 $step skip --note "README setup" --as kim >/dev/null || echo "@@setup failed: $step"
                        done

                        """
                }
                for (index, example) in block.enumerated() {
                    script += "\(example.command)\necho \"@@\(index) $?\"\n"
                }
                let output = try bash(script, in: directory, environment: [
                    "PATH": "\(stubs):/usr/bin:/bin", "RUNBOOK_WATCHER": "off", "RUNBOOK_NOW": "2026-11-27T01:00:00Z", "TZ": "Asia/Seoul",
                ])
                #expect(!output.contains("@@setup failed"), "block \(number): \(output)")
                let statuses = output.split(separator: "\n").filter { $0.hasPrefix("@@") && !$0.hasPrefix("@@setup") }.compactMap { line in
                    line.dropFirst(2).split(separator: " ").last.flatMap { Int32($0) }
                }
                #expect(statuses.count == block.count, "block \(number) ran every command: \(output)")
                for (example, status) in zip(block, statuses) {
                    if example.mustFail {
                        #expect(status != 0, "README block \(number): `\(example.command)` is shown failing but exited 0\n\(output)")
                    } else {
                        #expect(status == 0, "README block \(number): `\(example.command)` exited \(status)\n\(output)")
                    }
                }
            }
        }
    }
}
