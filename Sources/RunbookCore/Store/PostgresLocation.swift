/// A database named by a PostgreSQL URL (`--db postgres://…`, SPEC §10) rather than a file path.
public enum PostgresLocation {
    /// Whether `location` names a PostgreSQL database: a `postgres://` or `postgresql://` URL.
    public static func isPostgres(_ location: String) -> Bool {
        location.hasPrefix("postgres://") || location.hasPrefix("postgresql://")
    }

    /// `url` as messages may show it: without the password of its user part (`postgres://ops:secret@db/x` →
    /// `postgres://ops@db/x`) and without its query, which may carry one too.
    ///
    /// The user part is taken to end at the last `@` of the whole URL, so that a password holding `/`, `?` or `@`
    /// (which libpq accepts unencoded) is never shown: a URL whose query holds an `@` shows less, never more.
    public static func display(_ url: String) -> String {
        guard let schemeEnd = url.firstRange(of: "://") else { return url }
        let scheme = url[..<schemeEnd.upperBound]
        let rest = url[schemeEnd.upperBound...]
        var user: Substring = ""
        var hostPart = rest
        if let at = rest.lastIndex(of: "@") {
            let info = rest[..<at]
            user = (info.firstIndex(of: ":").map { info[..<$0] } ?? info) + "@"
            hostPart = rest[rest.index(after: at)...]
        }
        if let query = hostPart.firstIndex(of: "?") { hostPart = hostPart[..<query] }
        return String(scheme + user + hostPart)
    }

    /// `text` (a message of libpq's, which may quote the URL) with the URL's password replaced by `***`, as written and
    /// percent-decoded, and with the URL itself replaced by what `display` shows.
    public static func redact(_ text: String, url: String) -> String {
        var redacted = text.replacing(url, with: display(url))
        guard let schemeEnd = url.firstRange(of: "://") else { return redacted }
        let rest = url[schemeEnd.upperBound...]
        guard let at = rest.lastIndex(of: "@"), let colon = rest[..<at].firstIndex(of: ":") else { return redacted }
        let password = rest[rest.index(after: colon)..<at]
        for secret in [String(password), PercentEncoding.decode(password, plusIsSpace: false)] where !secret.isEmpty {
            redacted = redacted.replacing(secret, with: "***")
        }
        return redacted
    }
}
