/// A database named by a PostgreSQL URL (`--db postgres://…`, SPEC §10) rather than a file path.
public enum PostgresLocation {
    /// Whether `location` names a PostgreSQL database: a `postgres://` or `postgresql://` URL.
    public static func isPostgres(_ location: String) -> Bool {
        location.hasPrefix("postgres://") || location.hasPrefix("postgresql://")
    }

    /// `url` as messages may show it: without the password of its user part (`postgres://ops:secret@db/x` →
    /// `postgres://ops@db/x`) and without its query, which may carry one too.
    public static func display(_ url: String) -> String {
        guard let schemeEnd = url.firstRange(of: "://") else { return url }
        let scheme = url[..<schemeEnd.upperBound]
        var rest = url[schemeEnd.upperBound...]
        if let query = rest.firstIndex(of: "?") { rest = rest[..<query] }
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@") else { return String(scheme + rest) }
        let user = rest[..<at]
        let name = user.firstIndex(of: ":").map { user[..<$0] } ?? user
        return String(scheme + name + rest[at...])
    }
}

/// A store that names its database for messages without the path of a file: a PostgreSQL URL without its password.
public protocol NamedDatabase {
    var databaseName: String { get }
}
