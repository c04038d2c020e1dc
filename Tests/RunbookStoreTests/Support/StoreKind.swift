import RunbookCore
import RunbookStore
import RunbookTestSupport
import Testing

/// The store implementations every conformance test runs against.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case inMemory
    case sqliteInMemory
    case sqliteFile

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
