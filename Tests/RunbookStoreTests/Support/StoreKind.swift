import RunbookCore
import RunbookPostgres
import RunbookStore
import RunbookTestSupport
import Testing

/// The store implementations every conformance test runs against.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case inMemory
    case sqliteInMemory
    case sqliteFile
    /// A fresh schema on the throwaway cluster of `make test` (`RUNBOOK_TEST_POSTGRES`).
    case postgres

    var testDescription: String { rawValue }

    /// A new, empty store of this kind; keep the result alive while using the store.
    func makeStore() throws -> StoreUnderTest {
        switch self {
        case .inMemory:
            return StoreUnderTest(store: InMemoryEventStore(), directory: nil)
        case .sqliteInMemory:
            return StoreUnderTest(store: try SQLiteEventStore(path: ":memory:"), directory: nil)
        case .sqliteFile:
            let directory = try TemporaryDirectory()
            return StoreUnderTest(store: try SQLiteEventStore(path: directory.path("incidents.db")), directory: directory)
        case .postgres:
            return StoreUnderTest(store: try PostgresEventStore(url: try TestPostgres.freshURL()), directory: nil)
        }
    }
}

/// A store and, for file databases, the temporary directory that holds its file.
final class StoreUnderTest {
    let store: any EventStore
    let directory: TemporaryDirectory?

    init(store: any EventStore, directory: TemporaryDirectory?) {
        self.store = store
        self.directory = directory
    }
}

/// A database that several stores open at once, each its own connection, as several processes or servers would: a
/// SQLite file, or a fresh schema on the test cluster.
final class SharedDatabase {
    /// The kinds a database can be shared by several connections in.
    static let kinds: [StoreKind] = [.sqliteFile, .postgres]

    /// The path or URL every store opens.
    let location: String
    let kind: StoreKind
    private let directory: TemporaryDirectory?

    init(_ kind: StoreKind) throws {
        self.kind = kind
        switch kind {
        case .postgres:
            location = try TestPostgres.freshURL()
            directory = nil
        default:
            let directory = try TemporaryDirectory()
            location = directory.path("incidents.db")
            self.directory = directory
        }
        // Created (and migrated) once before any racing opener.
        _ = try open()
    }

    /// A new store on the database, with its own connection.
    func open() throws -> any EventStore { try Self.open(kind, location) }

    /// `open()` for a task that must not capture the database object.
    static func open(_ kind: StoreKind, _ location: String) throws -> any EventStore {
        kind == .postgres ? try PostgresEventStore(url: location) : try SQLiteEventStore(path: location)
    }
}
