internal import CLibPQ
#if canImport(Glibc)
import Glibc
#endif

/// A failure of the PostgreSQL connection or of one statement, with the server's SQLSTATE when it gave one.
public struct PGError: Error, CustomStringConvertible {
    /// The five-character SQLSTATE (`23505` unique violation, `40P01` deadlock, …), nil for a connection failure.
    public var sqlState: String?
    /// libpq's message, first line only (its later lines repeat the statement).
    public var message: String

    public var description: String { message }

    var isUniqueViolation: Bool { sqlState == "23505" }
    /// The error a trigger raises (`RAISE EXCEPTION`), as the append-only guards do.
    var isRaised: Bool { sqlState == "P0001" }

    init(sqlState: String?, message: String) {
        self.sqlState = sqlState
        self.message = message.split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init)?
            .trimmingPrefix("ERROR:").drop(while: { $0 == " " }).description ?? "unknown error"
    }
}

private extension Substring {
    func trimmingPrefix(_ prefix: String) -> Substring { hasPrefix(prefix) ? dropFirst(prefix.count) : self }
}

/// A value bound to a statement's parameter, sent as text (`nil` is SQL NULL).
public protocol PGBindable {
    var pgText: String? { get }
}

extension String: PGBindable { public var pgText: String? { self } }
extension Int64: PGBindable { public var pgText: String? { String(self) } }
extension Int: PGBindable { public var pgText: String? { String(self) } }
extension Bool: PGBindable { public var pgText: String? { self ? "t" : "f" } }
extension Optional: PGBindable where Wrapped: PGBindable { public var pgText: String? { self?.pgText } }

/// The rows of one statement's result, read as text (the wire's text format).
public final class PGResult {
    private let handle: OpaquePointer

    fileprivate init(_ handle: OpaquePointer) { self.handle = handle }
    deinit { PQclear(handle) }

    public var count: Int { Int(PQntuples(handle)) }
    /// Rows the statement changed (`UPDATE`, `INSERT … RETURNING` counts too).
    var changed: Int { Int(String(cString: PQcmdTuples(handle))) ?? 0 }

    func isNull(_ row: Int, _ column: Int) -> Bool { PQgetisnull(handle, Int32(row), Int32(column)) != 0 }

    public func text(_ row: Int, _ column: Int) -> String {
        String(cString: PQgetvalue(handle, Int32(row), Int32(column)))
    }

    func optionalText(_ row: Int, _ column: Int) -> String? { isNull(row, column) ? nil : text(row, column) }

    /// An integer column; a column that does not read as one (never written by runbook) reads as 0.
    public func int64(_ row: Int, _ column: Int) -> Int64 { Int64(text(row, column)) ?? 0 }

    func optionalInt64(_ row: Int, _ column: Int) -> Int64? { isNull(row, column) ? nil : int64(row, column) }

    func bool(_ row: Int, _ column: Int) -> Bool { text(row, column) == "t" }

    /// Every row, read by `read` with the row's index.
    func rows<T>(_ read: (Int) -> T) -> [T] { (0..<count).map(read) }
}

/// One connection to PostgreSQL through libpq, used from one thread or task at a time (as a SQLite connection is).
///
/// Statements are prepared once per connection and kept by their text; values are always bound as parameters, never
/// spliced into the text. A connection the server dropped (a restart, a failover) is re-established at the next
/// statement, so a long-running `serve` outlives a database restart: the statement that met the broken connection
/// fails, the next one works.
public final class PGConnection {
    private let handle: OpaquePointer
    /// How long one wait for the server's answer may last before the statement is abandoned, in milliseconds.
    private let answerTimeout: Int64
    /// A statement was abandoned (no answer in time, a failed wait): libpq may still count it as running, so the
    /// connection is made again before the next one.
    private var abandoned = false
    /// Open transactions: a connection lost inside one is not made again there (the rest would run outside it).
    private var transactionDepth = 0
    /// Prepared statement names by their SQL.
    private var prepared: [String: String] = [:]

    /// Connects to `url` (`postgres://` or `postgresql://`, any libpq URI). `displayURL` names it in messages.
    ///
    /// A server that does not answer is given up after 10 seconds (`connect_timeout`) unless the URL sets its own, so a
    /// probe or a command never hangs on a dead host. Once connected, a statement whose answer has not come after
    /// `answerTimeout` seconds (a frozen server, a host cut off without the connection closing) is abandoned with its
    /// connection, which is made again at the next statement outside a transaction: a request fails instead of hanging.
    /// The limit is per wait (preparing a new statement is one, running it another); no statement of runbook's takes
    /// more than a fraction of it.
    public init(url: String, displayURL: String, answerTimeout: Int = 30) throws(PGError) {
        self.answerTimeout = Int64(min(max(answerTimeout, 1), 86_400)) * 1000
        let keywords = ["connect_timeout", "dbname"], values = ["10", url]
        let connected = withCStrings(keywords) { names in
            withCStrings(values) { given in PQconnectdbParams(names + [nil], given + [nil], 1) }
        }
        guard let handle = connected else {
            throw PGError(sqlState: nil, message: "out of memory connecting to \(displayURL)")
        }
        guard PQstatus(handle) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(handle))
            PQfinish(handle)
            throw PGError(sqlState: nil, message: message)
        }
        self.handle = handle
        // Statements are sent without blocking, so waiting for the server is this connection's poll, with its timeout.
        PQsetnonblocking(handle, 1)
        // Notices (`relation already exists, skipping`, a server's `terminating connection` before a restart) are not the
        // user's business: libpq would print them on standard error; a failure reaches the caller as an error.
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
        try execute("SET client_min_messages TO warning")
    }

    deinit { PQfinish(handle) }

    /// Runs `sql` with `parameters` and returns its rows.
    @discardableResult
    public func query(_ sql: String, _ parameters: [any PGBindable] = []) throws(PGError) -> PGResult {
        try reconnectIfBroken()
        let texts = parameters.map(\.pgText)
        // PostgreSQL's text cannot hold NUL; refused rather than cut short (the stored hash would no longer match).
        if texts.contains(where: { $0?.utf8.contains(0) == true }) {
            throw PGError(sqlState: "22021", message: "a value holds a NUL character, which PostgreSQL cannot store")
        }
        let name = try statementName(sql, parameterCount: parameters.count)
        let sent = withCStrings(texts) { values in
            PQsendQueryPrepared(handle, name, Int32(values.count), values, nil, nil, 0)
        }
        return try checked(answer(sent))
    }

    /// Runs one or more statements without parameters (schema changes, `BEGIN`, `COMMIT`).
    public func execute(_ sql: String) throws(PGError) {
        try reconnectIfBroken()
        _ = try checked(answer(PQsendQuery(handle, sql)))
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN")
        transactionDepth += 1
        defer { transactionDepth -= 1 }
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            // Refused without a word on a connection lost inside the transaction (the server rolls it back).
            try? execute("ROLLBACK")
            throw error
        }
    }

    // MARK: LISTEN / NOTIFY

    /// The connection's socket, for a poll that waits on notifications among other things.
    var socket: Int32 { PQsocket(handle) }

    /// Starts listening on `channel`.
    func listen(_ channel: String) throws(PGError) {
        try execute("LISTEN \(try identifier(channel))")
    }

    /// `name` quoted as an SQL identifier, for the statements that cannot take it as a parameter.
    func identifier(_ name: String) throws(PGError) -> String {
        guard let quoted = PQescapeIdentifier(handle, name, name.utf8.count) else {
            throw PGError(sqlState: nil, message: String(cString: PQerrorMessage(handle)))
        }
        defer { PQfreemem(quoted) }
        return String(cString: quoted)
    }

    /// Waits up to `milliseconds` for notifications and returns their payloads (empty on a timeout). A broken
    /// connection fails, so the caller can reconnect and listen again.
    func notifications(waitingUpTo milliseconds: Int32) throws(PGError) -> [String] {
        var payloads = try drainNotifications()
        guard payloads.isEmpty else { return payloads }
        var descriptor = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
        guard descriptor.fd >= 0 else { throw brokenConnection() }
        if poll(&descriptor, 1, milliseconds) > 0 {
            payloads = try drainNotifications()
        }
        return payloads
    }

    private func drainNotifications() throws(PGError) -> [String] {
        guard PQconsumeInput(handle) == 1 else { throw brokenConnection() }
        var payloads: [String] = []
        while let notification = PQnotifies(handle) {
            payloads.append(String(cString: notification.pointee.extra))
            PQfreemem(notification)
        }
        return payloads
    }

    // MARK: Internals

    private func statementName(_ sql: String, parameterCount: Int) throws(PGError) -> String {
        if let name = prepared[sql] { return name }
        let name = "runbook_\(prepared.count + 1)"
        _ = try checked(answer(PQsendPrepare(handle, name, sql, Int32(parameterCount), nil)))
        prepared[sql] = name
        return name
    }

    /// A connection the server dropped, or on which a statement was abandoned, is reset before the next statement (its
    /// prepared statements are gone with it); inside a transaction it is not, and the statement fails.
    private func reconnectIfBroken() throws(PGError) {
        guard abandoned || PQstatus(handle) != CONNECTION_OK else { return }
        guard transactionDepth == 0 else {
            throw PGError(sqlState: nil, message: "the connection to the server was lost inside a transaction")
        }
        abandoned = false
        PQreset(handle)
        prepared = [:]
        guard PQstatus(handle) == CONNECTION_OK else { throw brokenConnection() }
        PQsetnonblocking(handle, 1)
        try execute("SET client_min_messages TO warning")
    }

    /// The answer to what was just sent (`sent` is the send call's result): the first error of several statements (the
    /// server runs none after it), else the last result, as `PQexec` gives it. Waits on the socket at most
    /// `answerTimeout` in all. Whatever fails on the way leaves the statement abandoned, so the next one connects again.
    private func answer(_ sent: Int32) throws(PGError) -> OpaquePointer? {
        var kept: OpaquePointer?
        do throws(PGError) {
            guard sent == 1 else { throw brokenConnection() }
            let deadline = Self.milliseconds() + answerTimeout
            var flushed = PQflush(handle)
            while flushed == 1 {
                let ready = try wait(for: Int16(POLLIN | POLLOUT), until: deadline)
                if ready & Int16(POLLIN) != 0, PQconsumeInput(handle) == 0 { throw brokenConnection() }
                flushed = PQflush(handle)
            }
            guard flushed == 0 else { throw brokenConnection() }
            while true {
                while PQisBusy(handle) == 1 {
                    _ = try wait(for: Int16(POLLIN), until: deadline)
                    guard PQconsumeInput(handle) == 1 else { throw brokenConnection() }
                }
                guard let next = PQgetResult(handle) else { return kept }
                if let kept, PQresultStatus(kept) == PGRES_FATAL_ERROR {
                    PQclear(next)
                } else {
                    if let kept { PQclear(kept) }
                    kept = next
                }
            }
        } catch {
            if let kept { PQclear(kept) }
            abandoned = true
            throw error
        }
    }

    /// Waits until the socket is ready for `events` and returns what it is ready for; past `deadline` (monotonic
    /// milliseconds) the connection is shut and the wait fails.
    private func wait(for events: Int16, until deadline: Int64) throws(PGError) -> Int16 {
        var descriptor = pollfd(fd: PQsocket(handle), events: events, revents: 0)
        guard descriptor.fd >= 0 else { throw brokenConnection() }
        while true {
            let left = deadline - Self.milliseconds()
            if left <= 0 {
                // The server may yet answer; the connection is no longer in a known state, so it is closed here.
                shutdown(descriptor.fd, Int32(SHUT_RDWR))
                while PQconsumeInput(handle) == 1, PQstatus(handle) == CONNECTION_OK {}
                throw PGError(sqlState: nil, message: "no answer from the server in \(answerTimeout / 1000) s; the connection was closed")
            }
            let count = poll(&descriptor, 1, Int32(min(left, Int64(Int32.max))))
            if count > 0 { return descriptor.revents }
            if count < 0, errno != EINTR { throw PGError(sqlState: nil, message: "waiting for the server: \(String(cString: strerror(errno)))") }
        }
    }

    private static func milliseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }

    private func brokenConnection() -> PGError {
        PGError(sqlState: nil, message: String(cString: PQerrorMessage(handle)))
    }

    private func checked(_ result: OpaquePointer?) throws(PGError) -> PGResult {
        guard let result else { throw brokenConnection() }
        let wrapped = PGResult(result)
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK:
            return wrapped
        default:
            let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
            throw PGError(sqlState: state, message: String(cString: PQresultErrorMessage(result)))
        }
    }
}

/// Calls `body` with `texts` as C strings (NULL for nil), valid only during the call.
private func withCStrings<T>(_ texts: [String?], _ body: ([UnsafePointer<CChar>?]) -> T) -> T {
    let copies: [UnsafeMutablePointer<CChar>?] = texts.map { text in text.flatMap { strdup($0) } }
    defer { copies.forEach { free($0) } }
    return body(copies.map { $0.map { UnsafePointer($0) } })
}
