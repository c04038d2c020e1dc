/// A store that says cheaply whether anything was committed since its last answer, by anyone (the server's event
/// streams poll it): SQLite's `PRAGMA data_version`, PostgreSQL's change announcements (`NOTIFY`).
public protocol ChangeVersioned {
    /// A number that changes whenever another connection or process committed a change.
    func dataVersion() throws(StoreError) -> Int64
}

/// What the team server's `/metrics` and `/readyz` read beside the store interface.
public protocol MetricsReadable: EventStore {
    /// The events of `incidentID` with a sequence in `after + 1 ... through` whose type is one of `types`, in order.
    func events(of incidentID: String, after sequence: Int64, through last: Int64, types: [String]) throws(StoreError) -> [EventRecord]
    /// The migrations this version knows that the database has not recorded (none for a database in order).
    func missingMigrations() throws(StoreError) -> [String]
}
