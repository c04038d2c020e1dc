import RunbookCore

extension Notifier {
    /// The shell text that posts a webhook with curl; the body, URL and timeout come from the environment,
    /// never spliced in, and the body reaches curl through a pipe (no temporary file to leave behind).
    ///
    /// `-q` ignores the user's `.curlrc`; `--proto` refuses anything but HTTP(S), so a `file://` URL cannot
    /// read local files; the empty `Expect:` header stops curl from waiting a second for `100 Continue`.
    static let webhookShellText = """
        printf '%s' "$RUNBOOK_WEBHOOK_BODY" | exec "$RUNBOOK_CURL" -q -sS -o /dev/null -w '%{http_code}' \
        --proto '=http,https' -H 'Content-Type: application/json' -H 'Expect:' --data-binary @- \
        --max-time "$RUNBOOK_WEBHOOK_TIMEOUT" --connect-timeout "$RUNBOOK_WEBHOOK_TIMEOUT" -- "$RUNBOOK_WEBHOOK_URL"
        """

    /// How much longer than the webhook's timeout curl may run before it is killed: curl's own
    /// `--max-time` should strike first and say what timed out.
    static let curlGrace = 5

    /// Posts the message as JSON to `url` with curl and reports the HTTP status.
    ///
    /// A 2xx status is a delivery; redirects are not followed. curl does the HTTP and TLS work, because the
    /// runbook binary links no networking library.
    func post(_ message: NotificationMessage, to url: String, timeout: RunbookDuration) async -> DeliveryResult {
        let environment = [
            "RUNBOOK_CURL": curl,
            "RUNBOOK_WEBHOOK_URL": url,
            "RUNBOOK_WEBHOOK_BODY": message.webhookPayload.text,
            "RUNBOOK_WEBHOOK_TIMEOUT": String(timeout.seconds),
        ]
        let outcome: CommandOutcome
        do {
            outcome = try await runner.run(Self.webhookShellText, environment: environment,
                                           timeout: .seconds(timeout.seconds + Self.curlGrace))
        } catch let error as UserError {
            return .failure("not sent", error: error.message)
        } catch {
            return .failure("not sent", error: "cancelled before the request finished")
        }
        if outcome.timedOut {
            return .failure("timed out", error: "timed out after \(timeout)")
        }
        if let signal = outcome.signal {
            return .failure("signal \(signal)", error: "curl was killed by signal \(signal)")
        }
        let status = outcome.exitCode ?? -1
        guard status == 0 else {
            return .failure("curl exit \(status)", error: curlError(status, outcome.stderr.head, url: url, timeout: timeout))
        }
        guard let code = Int(outcome.stdout.head.filter { !$0.isWhitespace }), code > 0 else {
            return .failure("curl exit 0", error: "curl reported no HTTP status")
        }
        switch code {
        case 200..<300:
            return .success("HTTP \(code)")
        case 300..<400:
            return .failure("HTTP \(code)", error: "HTTP \(code): redirects are not followed; use the final URL")
        default:
            return .failure("HTTP \(code)", error: "HTTP \(code)")
        }
    }

    /// A one-line reason for a curl exit status (see curl(1), EXIT CODES).
    private func curlError(_ status: Int32, _ stderr: String, url: String, timeout: RunbookDuration) -> String {
        switch status {
        case 127:
            return "curl is not installed; install it (apt-get install curl) to use webhook channels"
        case 6:
            return "cannot resolve host \(NotificationChannel.host(of: url) ?? url)"
        case 7:
            return "connection refused"
        case 28:
            return "timed out after \(timeout)"
        default:
            // curl writes "curl: (N) Reason"; keep the reason.
            guard var line = Self.firstLine(of: stderr) else { return "curl exit \(status)" }
            if line.hasPrefix("curl: ("), let close = line.firstIndex(of: ")") {
                line = String(line[line.index(after: close)...].drop { $0 == " " })
            }
            return "curl exit \(status): \(line)"
        }
    }
}

extension NotificationMessage {
    /// The JSON a webhook receives: Slack's `text` (the whole message, its first line the subject), then
    /// each field on its own for other receivers.
    var webhookPayload: JSONValue {
        .object([
            ("text", .string(text)),
            ("incident", .string(incidentID)),
            ("title", .string(title)),
            ("runbook", .string(runbookID)),
            ("severity", .string(severity)),
            ("stage", .string(stage)),
            ("role", .string(role)),
            ("tier", .int(Int64(tier))),
            ("round", .int(Int64(round))),
            ("reason", .string(reason)),
            ("drill", .bool(drill)),
            ("acknowledge", .string(acknowledgeCommand)),
        ])
    }
}
