import RunbookCore

extension Notifier {
    /// The shell text of every command channel: the message piped by the `printf` builtin into the user's
    /// command, both read from the environment, so no text of the message or of the command is spliced in.
    ///
    /// A pipe rather than a temporary file: a watcher killed in the middle of a delivery leaves nothing
    /// behind. A command that does not read its input still succeeds (the pipeline's status is its own).
    static let commandShellText = #"printf '%s\n' "$RUNBOOK_MESSAGE" | eval "$RUNBOOK_NOTIFY_COMMAND""#

    /// Runs `command` with `/bin/sh -c`, the message text on standard input and in `RUNBOOK_*` variables.
    ///
    /// Exit status 0 is a delivery; anything else fails with the status and the first line of standard error.
    func run(_ command: String, with message: NotificationMessage, timeout: RunbookDuration) async -> DeliveryResult {
        var environment = message.environment
        environment["RUNBOOK_NOTIFY_COMMAND"] = command
        let outcome: CommandOutcome
        do {
            outcome = try await runner.run(Self.commandShellText, environment: environment,
                                           timeout: .seconds(timeout.seconds))
        } catch let error as UserError {
            return .failure("not run", error: error.message)
        } catch {
            return .failure("not run", error: "cancelled before the command finished")
        }
        if outcome.timedOut {
            return .failure("timed out", error: "timed out after \(timeout)")
        }
        if let signal = outcome.signal {
            return .failure("signal \(signal)", error: "killed by signal \(signal)")
        }
        let status = outcome.exitCode ?? -1
        guard status == 0 else {
            let reason = Self.firstLine(of: outcome.stderr.head).map { "exit \(status): \($0)" } ?? "exit \(status)"
            return .failure("exit \(status)", error: reason)
        }
        return .success("exit 0")
    }
}

extension NotificationMessage {
    /// The variables a command channel sees, besides the inherited environment.
    ///
    /// `RUNBOOK_MESSAGE` is `text`; standard input carries the same text with a final line break.
    /// `RUNBOOK_NOTIFY_COMMAND`, the command itself, is added by the notifier.
    var environment: [String: String] {
        var variables = [
            "RUNBOOK_INCIDENT": incidentID,
            "RUNBOOK_RUNBOOK": runbookID,
            "RUNBOOK_TITLE": title,
            "RUNBOOK_SEVERITY": severity,
            "RUNBOOK_STAGE": stage,
            "RUNBOOK_ROLE": role,
            "RUNBOOK_TIER": String(tier),
            "RUNBOOK_ROUND": String(round),
            "RUNBOOK_REASON": reason,
            "RUNBOOK_SUBJECT": subject,
            "RUNBOOK_MESSAGE": text,
            "RUNBOOK_ACK_COMMAND": acknowledgeCommand,
            "RUNBOOK_DRILL": drill ? "1" : "0",
        ]
        // The person on duty in the role's rotation (SPEC §3.2), so a gateway can reach them alone.
        if let onDuty { variables["RUNBOOK_ON_DUTY"] = Self.oneLine(onDuty.person) }
        return variables
    }
}
