import Foundation
import RunbookTestSupport
import Testing

/// The bash completion script completes runbook, incident and step ids (SPEC §7), driven as bash drives it.
@Suite struct ShellCompletionTests {
    /// Runs `script` in bash in `directory` and returns its standard output.
    func bash(_ script: String, in directory: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", script]
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("RUNBOOK_") }
        environment["RUNBOOK_WATCHER"] = "off"
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    @Test func bashCompletesRunbookIncidentAndStepIds() throws {
        try withWorkspace { base, directory in
            var cli = base
            cli.environment["RUNBOOK_NOW"] = "2026-11-26T01:00:00Z"
            #expect(try cli.run(["start", "security-incident", "--as", "kim"]).status == 0)
            #expect(try cli.run(["start", "disaster-recovery", "--as", "kim"]).status == 0)
            let script = try cli.run(["--generate-completion-script", "bash"])
            try script.stdout.write(toFile: "\(directory)/runbook.bash", atomically: true, encoding: .utf8)
            // As bash calls a completion function: the words, the word under the cursor and the one before it.
            let driver = """
                source ./runbook.bash
                complete_line() {
                  COMP_LINE="$1"; COMP_POINT=${#COMP_LINE}
                  read -ra COMP_WORDS <<< "$COMP_LINE"
                  [[ "$COMP_LINE" == *" " ]] && COMP_WORDS+=("")
                  COMP_WORDS[0]='\(CLIRunner.executable)'
                  COMP_CWORD=$((${#COMP_WORDS[@]}-1))
                  COMPREPLY=()
                  _runbook runbook "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
                  echo "[${COMPREPLY[*]}]"
                }
                complete_line "runbook start sec"
                complete_line "runbook drill "
                complete_line "runbook note "
                complete_line "runbook step INC-20261126-0001 "
                complete_line "runbook step --as kim 0002 "
                complete_line "runbook run INC-20261126-0001 con"
                complete_line "runbook status --db nowhere.db "
                """
            let lines = try bash(driver, in: directory).split(separator: "\n").map(String.init)
            #expect(lines.count == 7, "\(lines)")
            guard lines.count == 7 else { return }
            #expect(lines[0] == "[security-incident]")
            #expect(lines[1].contains("disaster-recovery") && lines[1].contains("security-incident"))
            #expect(lines[2] == "[INC-20261126-0002 INC-20261126-0001]", "open incidents, newest first")
            #expect(lines[3] == "[confirm-alert severity]", "the steps of the incident's current stage")
            #expect(lines[4] == "[impact severity assemble scenario]", "options before the incident are skipped")
            #expect(lines[5] == "[confirm-alert]")
            #expect(lines[6] == "[]", "a missing database offers nothing and creates nothing")
            #expect(!FileManager.default.fileExists(atPath: "\(directory)/nowhere.db"))
        }
    }

    /// Inside a team directory (runbook init), below its top, completion finds the team's runbooks and incidents.
    @Test func completionInsideATeamDirectory() throws {
        let base = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: base) }
        let cli = CLIRunner(directory: base)
        #expect(try cli.run(["init", "team"]).status == 0)
        let id = try CLIRunner(directory: "\(base)/team").run(["start", "security-incident", "--as", "kim"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try cli.run(["--generate-completion-script", "bash"]).stdout.write(toFile: "\(base)/runbook.bash", atomically: true, encoding: .utf8)
        let driver = """
            source ../../runbook.bash
            complete_line() {
              COMP_LINE="$1"; COMP_POINT=${#COMP_LINE}
              read -ra COMP_WORDS <<< "$COMP_LINE"
              [[ "$COMP_LINE" == *" " ]] && COMP_WORDS+=("")
              COMP_WORDS[0]='\(CLIRunner.executable)'
              COMP_CWORD=$((${#COMP_WORDS[@]}-1))
              COMPREPLY=()
              _runbook runbook "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
              echo "[${COMPREPLY[*]}]"
            }
            complete_line "runbook start sec"
            complete_line "runbook note "
            complete_line "runbook step \(id) "
            """
        let lines = try bash(driver, in: "\(base)/team/runbooks").split(separator: "\n").map(String.init)
        #expect(lines == ["[security-incident]", "[\(id)]", "[confirm-alert severity]"])
    }
}
