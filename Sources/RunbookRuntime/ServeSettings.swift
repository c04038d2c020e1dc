import RunbookCore
/// What `runbook serve` was asked for, as the CLI parsed it; the server binary runs it.
public struct ServeSettings: Sendable, Equatable {
    /// The address to listen on (default 127.0.0.1: nothing is served to other hosts unless asked).
    public var host: String
    /// The port; 0 picks a free one (the line "Serving … on http://HOST:PORT" says which).
    public var port: Int
    /// The database: a file path, or a PostgreSQL URL (`onPostgres`).
    public var databasePath: String
    public var runbooksPath: String
    /// The team's configured runbooks directory (RUNBOOK_PATH, else ./runbooks).
    public var configuredRunbooks: String
    /// Where the watcher writes post-mortems.
    public var reportsDirectory: String
    /// Whether the server runs the database's watcher (it stands by while another one runs).
    public var watcher: Bool
    /// How often an open event stream gets a heartbeat, and its caller is checked again (a revoked token ends it).
    public var streamHeartbeat: Duration = .seconds(15)

    public init(host: String = "127.0.0.1", port: Int = 8080, databasePath: String, runbooksPath: String,
                configuredRunbooks: String = "runbooks", reportsDirectory: String = "reports", watcher: Bool = true) {
        self.host = host
        self.port = port
        self.databasePath = databasePath
        self.runbooksPath = runbooksPath
        self.configuredRunbooks = configuredRunbooks
        self.reportsDirectory = reportsDirectory
        self.watcher = watcher
    }

    /// Whether the database is a PostgreSQL one (SPEC §10): several servers may share it.
    public var onPostgres: Bool { PostgresLocation.isPostgres(databasePath) }
    /// The database as messages name it: a PostgreSQL URL without its password.
    public var databaseName: String { PostgresLocation.display(databasePath) }
    /// The file that relative paths beside the database are resolved from (the drill log, command steps' folders): on
    /// PostgreSQL, a name in the server's working directory.
    public var databaseFile: String { onPostgres ? "incidents.db" : databasePath }

    /// Reads `HOST:PORT` (`[::1]:8080` for IPv6); nil when it is not one.
    public static func parseListen(_ text: String) -> (host: String, port: Int)? {
        let host: Substring, portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard !host.isEmpty, !host.contains(where: { $0 == " " || $0 == "/" }), let port = Int(portText), (0...65535).contains(port) else {
            return nil
        }
        return (String(host), port)
    }
}
