import RunbookCore

extension Notifier {
    /// The shell text of every command channel: standard input from the message file, then the user's
    /// command, read from the environment, so no text of the message or of the command is spliced in.
    static let commandShellText = #"exec <"$RUNBOOK_MESSAGE_FILE" || exit 125; eval "$RUNBOOK_NOTIFY_COMMAND""#

    /// Runs `command` with `/bin/sh -c`, the message text on standard input and in `RUNBOOK_*` variables.
    ///
    /// Exit status 0 is a delivery; anything else fails with the status and the first line of standard error.
    func run(_ command: String, with message: NotificationMessage, timeout: RunbookDuration) async -> DeliveryResult {
        let input: PrivateTemporaryFile
        do {
            input = try PrivateTemporaryFile(containing: message.text + "\n")
        } catch {
            return .failure("not run", error: error.message)
        }
        defer { input.remove() }
        var environment = message.environment
        environment["RUNBOOK_MESSAGE_FILE"] = input.path
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
    var environment: [String: String] {
        [
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
    }
}
