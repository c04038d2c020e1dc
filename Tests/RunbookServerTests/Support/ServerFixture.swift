import FoundationEssentials
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import RunbookCore
import RunbookRuntime
@testable import RunbookServer
import RunbookStore
import RunbookTestSupport

/// A restore whose commands leave marker files in the database's directory, so a test can tell whether they ran.
let gatedRestore = """
    runbook: gated-restore
    title: "복구 (Gated restore)"
    roles:
      oncall: { title: "운영팀 당직자 (on-call operator)" }
      manager: { title: "운영 매니저 (operations manager)" }
    escalation:
      tiers:
        - { notify: [oncall], after: 0m }
        - { notify: [manager], after: 10m }
    initial: restore
    states:
      restore:
        deadline: 1h
        steps:
          - { id: approve-reset, title: Approve the reset, approve: { role: manager } }
          - { id: reset, title: Reset, run: "touch reset-ran && echo reset done", destructive: true }
          - { id: restore, title: Restore, run: "no-such-program-xyz --restore", needs: [reset] }
        resolves: true
        end: true

    """

/// A fresh team directory (the shipped runbooks and `gated-restore`), a database with a token for each roster
/// person, and the server's application over it on a manual clock.
final class ServerFixture: @unchecked Sendable {
    let directory: String
    let clock = ManualClock()
    var settings: ServeSettings
    /// The secret of each person's token, by person.
    private(set) var secrets: [String: String] = [:]
    private(set) var tokenIDs: [String: String] = [:]

    /// The repository root, found from this file's path (Tests/RunbookServerTests/Support/).
    static let repositoryRoot: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(4)
        return parts.joined(separator: "/")
    }()

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("runbook-server-tests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: "\(Self.repositoryRoot)/runbooks", toPath: "\(directory)/runbooks")
        try gatedRestore.write(toFile: "\(directory)/runbooks/gated-restore.yaml", atomically: true, encoding: .utf8)
        settings = ServeSettings(host: "127.0.0.1", port: 0, databasePath: "\(directory)/incidents.db",
                                 runbooksPath: "\(directory)/runbooks", configuredRunbooks: "\(directory)/runbooks",
                                 reportsDirectory: "\(directory)/reports", watcher: false)
        let store = try SQLiteEventStore(path: settings.databasePath)
        let tokens = Tokens(store: store, path: settings.databasePath)
        let roster = try Roster.load(directory: settings.runbooksPath)
        for person in ["kim", "lee", "park", "choi", "cto"] {
            let made = try tokens.create(person: person, roster: roster, rosterPath: "roster.yaml", by: "root", now: clock.now())
            secrets[person] = made.secret
            tokenIDs[person] = made.token.id
        }
    }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Runs `body` against the whole server on a real loopback port.
    func live(_ body: @Sendable (Client) async throws -> Void) async throws {
        let desks = try Desks(settings: settings, clock: clock)
        var logger = Logger(label: "runbook-tests")
        logger.logLevel = .critical
        let app = TeamServer.application(settings: settings, desks: desks, logger: logger)
        try await app.test(.live) { client in
            try await body(Client(client: client, fixture: self))
        }
    }

    func exists(_ name: String) -> Bool {
        FileManager.default.fileExists(atPath: "\(directory)/\(name)")
    }

    /// A client that speaks JSON as one person.
    struct Client: Sendable {
        let client: any TestClientProtocol
        let fixture: ServerFixture

        /// Sends a request as `person` (nil: with no token), with a JSON body when given.
        func send(_ method: HTTPRequest.Method, _ path: String, as person: String?, body: String? = nil,
                  headers extra: HTTPFields = [:]) async throws -> Reply {
            var headers = extra
            if let person, let secret = fixture.secrets[person] { headers[.authorization] = "Bearer \(secret)" }
            if body != nil { headers[.contentType] = "application/json" }
            let response = try await client.execute(uri: path, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
            return Reply(status: response.status.code, headers: response.headers, text: String(buffer: response.body))
        }

        func get(_ path: String, as person: String? = "kim") async throws -> Reply {
            try await send(.get, path, as: person)
        }

        func post(_ path: String, as person: String? = "kim", _ body: String? = nil, headers: HTTPFields = [:]) async throws -> Reply {
            try await send(.post, path, as: person, body: body, headers: headers)
        }

        /// Opens an incident of `runbook` as `person` and returns its id.
        func start(_ runbook: String, as person: String = "kim", severity: String? = "SEV2") async throws -> String {
            let severityField = severity.map { ", \"severity\": \"\($0)\"" } ?? ""
            let reply = try await post("/api/v1/incidents", as: person, "{\"runbook\": \"\(runbook)\"\(severityField)}")
            guard reply.status == 201, let id = reply.json["incident"]?["id"]?.string else {
                throw FixtureError("could not start \(runbook): \(reply.status) \(reply.text)")
            }
            return id
        }
    }

    /// A response: its status, headers, text and (when it is JSON) its value. A body that is not JSON fails the
    /// test where it is read as JSON.
    struct Reply: Sendable {
        let status: Int
        let headers: HTTPFields
        let text: String

        var json: JSONValue {
            (try? JSONValue(parsing: text)) ?? .string("<not JSON: \(text)>")
        }

        /// The `detail` of a problem body.
        var detail: String? { json["detail"]?.string }
    }
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
