public import ArgumentParser
import RunbookCore
import RunbookRuntime
#if canImport(Glibc)
import Glibc
#endif

/// The `runbook` command: a local-first incident response engine.
public struct RunbookCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "runbook",
        abstract: "Guide an incident response through a YAML runbook, with deadlines, escalation and a tamper-evident log.",
        discussion: """
            Runbooks live in ./runbooks (one YAML file each); incidents are recorded in ./incidents.db; in a team \
            directory made by `runbook init DIR` (or with RUNBOOK_HOME=DIR), in its runbooks/ and incidents.db. \
            Start with `runbook list` and `runbook show security-incident`; open an incident with \
            `runbook start security-incident`, which guides you stage by stage on a terminal. \
            Who acts: --as NAME, else $RUNBOOK_USER, else $USER; every event also records the login the \
            process runs as (its real user id). RUNBOOK_NOW (ISO-8601) fixes "now" for one invocation \
            (drills, back-filling). With RUNBOOK_SERVER (a `runbook serve` URL) and RUNBOOK_TOKEN, the \
            incident commands work through that team server instead, as the token's person.

            Exit codes: 0 success, 1 the action failed, 64 bad usage, 65 invalid runbook or data.
            """,
        version: "0.1.0",
        subcommands: [List.self, Show.self, Lint.self, ScheduleCommand.self, Start.self, Guide.self, StepCommand.self, Run.self, Input.self,
                      Approve.self, Note.self, Ack.self, Escalate.self, Resolve.self, Reopen.self, Status.self, Timeline.self, Verify.self,
                      Report.self, Stats.self, Output.self, Severity.self, Watch.self, Drill.self, RosterCommand.self, Oncall.self, Serve.self, TokenCommand.self, Export.self, Import.self,
                      Init.self, Doctor.self]
    )

    public init() {}

    /// Runs the command line; user errors print one line on stderr and exit with their code.
    public static func main() async {
        // Messages in Korean under a `ko` locale (SPEC §7), decided once: three getenv calls, no file read.
        Language.current = Language.detect { name in getenv(name).map { String(cString: $0) } }
        do {
            // The team directory's settings become this process's defaults (SPEC §7), before parsing, so that shell
            // completion finds the team's runbooks and database too. A broken one stops every command but `init`,
            // which makes one, and help.
            let given = TeamHome.variables.map { ($0, getenv($0).map { String(cString: $0) }) }
            // A plain optional, not a Result: instantiating Result<TeamHome?, UserError>'s metadata cost 0.7 % of a
            // `status` (callgrind).
            var homeError: UserError?
            do throws(UserError) { try TeamHome.apply() } catch { homeError = error }
            var command = try parseAsRoot()
            if command is Init {
                // `init` makes a team directory from what it is given, not from the settings of one around it.
                for (name, value) in given {
                    if let value { setenv(name, value, 1) } else { unsetenv(name) }
                }
            } else if let homeError {
                throw homeError
            }
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as UserError {
            err("runbook: error: \(TTY.inline(error.message))")
            Glibc.exit(error.exitCode)
        } catch {
            // Help and version go out as ArgumentParser prints them; an error may quote an argument, which
            // is shown escaped like any user text (TTY.inline), line by line.
            let code = exitCode(for: error)
            guard code != .success else { exit(withError: error) }
            let message = fullMessage(for: error)
            if !message.isEmpty {
                err(message.split(separator: "\n", omittingEmptySubsequences: false).map { TTY.inline($0) }.joined(separator: "\n"))
            }
            Glibc.exit(code.rawValue)
        }
    }
}
