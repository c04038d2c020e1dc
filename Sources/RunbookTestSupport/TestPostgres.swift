import Foundation

/// The throwaway PostgreSQL cluster `make test` starts (scripts/postgres.sh) and names in `RUNBOOK_TEST_POSTGRES`.
public enum TestPostgres {
    public struct Missing: Error, CustomStringConvertible {
        public var description: String {
            "RUNBOOK_TEST_POSTGRES is not set: run the tests with `make test`, which starts a throwaway PostgreSQL "
                + "(scripts/postgres.sh start; then RUNBOOK_TEST_POSTGRES=$(scripts/postgres.sh url DIR) swift test)"
        }
    }

    /// The cluster's database URL; throws (failing the test) when the suite runs without one.
    public static func baseURL() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["RUNBOOK_TEST_POSTGRES"], !url.isEmpty else { throw Missing() }
        return url
    }

    /// A URL whose `search_path` names a new, unused schema: the store creates it and its tables there, so every test
    /// starts from an empty log without creating a database.
    public static func freshURL() throws -> String {
        let base = try baseURL()
        let schema = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        return base + (base.contains("?") ? "&" : "?") + "options=-csearch_path%3D" + schema
    }
}
