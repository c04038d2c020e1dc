public import RunbookCore

/// One channel a role is reached through.
public enum NotificationChannel: Sendable, Equatable, CustomStringConvertible {
    /// Appends one line per notification to the file at `path` (created with mode 0600 when missing).
    case file(path: String)
    /// Runs `/bin/sh -c` with the message on standard input and in `RUNBOOK_*` environment variables.
    case command(String, timeout: RunbookDuration)
    /// Sends an HTTP POST of JSON with a Slack-compatible `text` field.
    case webhook(url: String, timeout: RunbookDuration)
    /// Prints the message on standard output (local use, drills).
    case stdout

    /// How long a `command` channel may run when contacts.yaml gives no `timeout`.
    public static let defaultCommandTimeout = RunbookDuration.seconds(30)
    /// How long a `webhook` channel may take when contacts.yaml gives no `timeout`.
    public static let defaultWebhookTimeout = RunbookDuration.seconds(10)

    /// A one-line, log-safe name of the channel: `file notifications.log`,
    /// ``command `mail -s "$RUNBOOK_SUBJECT" ops@example.com` ``, `webhook https://hooks.example.com/services/x`.
    ///
    /// Distinct channels of a role get distinct descriptions, except webhooks that differ only in what is
    /// hidden: a webhook URL loses its user name, password, query string and fragment, where secrets go.
    /// A command is shown whole (on one line), as written in contacts.yaml; keep its secrets in variables.
    public var description: String {
        switch self {
        case .file(let path):
            return "file \(path)"
        case .command(let command, _):
            return "command `\(NotificationMessage.oneLine(command))`"
        case .webhook(let url, _):
            return "webhook \(Self.redacted(url: url))"
        case .stdout:
            return "stdout"
        }
    }

    /// `scheme://host[:port]/… #abc123` for `url`: webhook paths and queries often carry the secret (Slack's
    /// do), so only the host is shown, with a short digest of the whole URL that tells two hooks apart.
    static func redacted(url: String) -> String {
        let digest = String(EventChain.sha256(url).prefix(6))
        guard let separator = url.firstRange(of: "://") else { return "… #\(digest)" }
        let scheme = url[..<separator.lowerBound]
        let rest = url[separator.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        if let at = authority.lastIndex(of: "@") {
            authority = authority[authority.index(after: at)...]
        }
        return "\(scheme)://\(authority)/… #\(digest)"
    }

    /// The host (and port) of `url`, without user information; nil when it has none.
    static func host(of url: String) -> String? {
        guard let separator = url.firstRange(of: "://") else { return nil }
        var rest = url[separator.upperBound...]
        rest = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if let at = rest.lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
        let host = rest
        return host.isEmpty ? nil : String(host)
    }
}
