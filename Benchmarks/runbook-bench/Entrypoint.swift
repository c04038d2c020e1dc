import Foundation

/// `runbook-bench [GROUP…]`: prints a table of the product's figures against references measured in the same run.
@main
struct Bench {
    static func main() {
        let groups = Array(CommandLine.arguments.dropFirst())
        let all: [(String, () -> [Row])] = [("yaml", { yamlRows() + deepYAMLRows() }), ("store", storeRows), ("stats", statsRowsOnly), ("replay", replayRowsInTemporary),
                                            ("report", guarded(reportRows)), ("server", serverRowsAlone), ("watch", guarded { try watchRows(runbook: runbookBinary()) }), ("postgres", postgresRows)]
        let unknown = groups.filter { name in !all.contains { $0.0 == name } }
        guard unknown.isEmpty else {
            print("runbook-bench: unknown group \(unknown.joined(separator: ", ")); groups: \(all.map(\.0).joined(separator: ", "))")
            return
        }
        var rows: [Row] = []
        // The whole table measures `stats` and the server within the store group (on its database); their groups run them alone.
        for (name, run) in all where groups.isEmpty ? name != "stats" && name != "server" : groups.contains(name) {
            rows += run()
        }
        printTable(rows)
    }
}

/// The bulk-append row, then the CLI rows on the database it built.
func storeRows() -> [Row] {
    do {
        let (rows, database) = try bulkAppendRows(incidents: 10_000, eventsPerIncident: 100)
        defer { try? FileManager.default.removeItem(atPath: database.directory) }
        let runbook = runbookBinary()
        try FileManager.default.copyItem(atPath: "runbooks", toPath: "\(database.directory)/runbooks")
        return rows + (try cliRows(database, runbook: runbook)) + (try statsRows(database, runbook: runbook))
            + (try serverRows(database, server: runbook + "-server"))
    } catch {
        print("runbook-bench: store rows failed: \(error)")
        return []
    }
}

/// The server rows alone, on a database built for them (BENCH_INCIDENTS incidents of 100 events, default 10 000).
func serverRowsAlone() -> [Row] {
    do {
        let incidents = ProcessInfo.processInfo.environment["BENCH_INCIDENTS"].flatMap { Int($0) } ?? 10_000
        let (_, database) = try bulkAppendRows(incidents: incidents, eventsPerIncident: 100)
        // BENCH_KEEP=1 leaves the database for profiling a command on it by hand.
        defer { if ProcessInfo.processInfo.environment["BENCH_KEEP"] != "1" { try? FileManager.default.removeItem(atPath: database.directory) } }
        try FileManager.default.copyItem(atPath: "runbooks", toPath: "\(database.directory)/runbooks")
        return try serverRows(database, server: runbookBinary() + "-server")
    } catch {
        print("runbook-bench: server rows failed: \(error)")
        return []
    }
}

func replayRowsInTemporary() -> [Row] {
    let directory = NSTemporaryDirectory() + "runbook-bench-replay-\(getpid())"
    do {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        return try replayRows(directory: directory)
    } catch {
        print("runbook-bench: replay rows failed: \(error)")
        return []
    }
}

/// The `runbook` binary built beside this one.
func runbookBinary() -> String {
    URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("runbook").path
}

/// Runs a group of rows, printing its error instead of stopping the table.
func guarded(_ body: @escaping () throws -> [Row]) -> () -> [Row] {
    {
        do {
            return try body()
        } catch {
            print("runbook-bench: \(error)")
            return []
        }
    }
}
