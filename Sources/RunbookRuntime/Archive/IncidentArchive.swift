public import RunbookCore
import RunbookStore

/// `runbook export` and `runbook import` (SPEC §10; the three-year archive of manual §3.3): incidents as JSON lines,
/// each carrying its row, runbook text, hash-chained records and frozen texts exactly as stored, so that an import
/// verifies every chain, row and checkpoint with the same code as `verify` before it adds anything.
public enum IncidentArchive {
    /// The first line's `format`: an export says what it is.
    public static let format = "runbook-export"
    public static let version: Int64 = 1

    /// Writes the header, then one line per incident opened at or after `since` (every incident when nil), oldest
    /// first, then an end line with the counts (an export cut short is refused by `import`). Returns the counts.
    public static func export(_ service: IncidentService, since: Instant?, now: Instant,
                              write: (String) -> Void) throws(UserError) -> (incidents: Int, events: Int) {
        let rows: [IncidentSummary]
        do {
            rows = try service.store.incidents(statuses: nil)
        } catch {
            throw IncidentService.userError(error, database: nil)
        }
        write(JSONValue.object([("format", .string(format)), ("version", .int(version)), ("exported_at", .string(now.iso8601))]).text)
        var counts = (incidents: 0, events: 0)
        for row in rows.reversed() where since.map({ row.openedAt >= $0 }) ?? true {
            let log = try service.storedLogJSON(row.id, after: 0)
            guard case .object(let members) = log else { continue }
            write(JSONValue.object([("incident", .string(row.id))] + members).text)
            counts.incidents += 1
            counts.events += log["records"]?.array?.count ?? 0
        }
        write(JSONValue.object([("end", .bool(true)), ("incidents", .int(Int64(counts.incidents))), ("events", .int(Int64(counts.events)))]).text)
        return counts
    }

    /// Reads an export (`text`), verifies every incident in a scratch database with the checks of `verify` (its hash
    /// chain, its row against the fold, its stored texts, the checkpoints of its reports with `service`'s keys), and
    /// only then adds them all to `store` in one transaction. A broken line, incident or id already present refuses the
    /// whole import, with nothing added. Returns how many incidents and events were added.
    public static func importLines(_ text: String, verifyingLike service: IncidentService,
                                   into open: () throws(UserError) -> any ImportingStore) throws(UserError) -> (incidents: Int, events: Int) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true).makeIterator()
        guard let first = lines.next(), let header = try? JSONValue(parsing: String(first)), header["format"]?.string == format else {
            throw UserError(.data, "this is not a runbook export (its first line must say \"format\": \"\(format)\"); nothing was imported")
        }
        guard header["version"]?.int == version else {
            throw UserError(.data, "this export is of version \(header["version"]?.int.map(String.init) ?? "?"), not \(version); nothing was imported")
        }
        var incidents: [ImportedIncident] = []
        var number = 1
        var ended = false
        while let line = lines.next() {
            number += 1
            guard !ended else { throw UserError(.data, "line \(number) of the export follows its end line; nothing was imported") }
            if let end = try? JSONValue(parsing: String(line)), end["end"]?.bool == true {
                guard end["incidents"]?.int == Int64(incidents.count),
                      end["events"]?.int == Int64(incidents.reduce(0) { $0 + $1.records.count }) else {
                    throw UserError(.data, "the export's end line counts other incidents or events than its lines hold; nothing was imported")
                }
                ended = true
                continue
            }
            incidents.append(try incident(String(line), line: number))
        }
        guard ended else {
            throw UserError(.data, "the export has no end line: it was cut short (\(incidents.count) incidents read); nothing was imported")
        }
        try verify(incidents, like: service)
        let store = try open()
        do {
            try store.importIncidents(incidents)
        } catch {
            throw IncidentService.userError(error, database: nil)
        }
        return (incidents.count, incidents.reduce(0) { $0 + $1.records.count })
    }

    /// One incident line, read.
    static func incident(_ line: String, line number: Int) throws(UserError) -> ImportedIncident {
        func refuse(_ why: String) -> UserError {
            UserError(.data, "line \(number) of the export: \(why); nothing was imported")
        }
        let value: JSONValue
        do {
            value = try JSONValue(parsing: line)
        } catch {
            throw refuse("not JSON (\(error.message))")
        }
        guard let id = value["incident"]?.string, let row = value["row"].flatMap(StoreJSON.summary), row.id == id,
              let runbook = value["runbook"].flatMap(StoreJSON.runbook), let items = value["records"]?.array,
              let facts = value["facts"].flatMap({ StoreJSON.facts($0, incidentID: id) }) else {
            throw refuse("not an incident of an export (it needs incident, row, runbook, records and facts)")
        }
        // Only ids runbook gives: two ids equal as Swift strings but not byte for byte (Unicode normalisation) would hide
        // one from verification, and a number near the counter's limit would stop every later opening that day.
        let plain = id.utf8.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == 0x2D
        }
        guard plain, let (_, number) = IncidentID.parse(id), number <= 999_999_999 else {
            throw refuse("\(TextHygiene.escape(id)) is not an incident id runbook gives (PREFIX-NUMBER in ASCII letters, digits and dashes, the number below 10^9)")
        }
        var records: [EventRecord] = []
        for item in items {
            guard let record = StoreJSON.record(item, incidentID: id) else { throw refuse("an event record of \(TextHygiene.escape(id)) does not read") }
            records.append(record)
        }
        let texts = (value["texts"]?.members ?? []).compactMap { $0.1.string }
        return ImportedIncident(row: row, runbook: runbook, records: records, texts: texts, scheduled: facts.scheduledRuns[id])
    }

    /// Verifies each incident alone in a scratch database in memory, as `verify` would in the target.
    static func verify(_ incidents: [ImportedIncident], like service: IncidentService) throws(UserError) {
        for incident in incidents {
            let id = TextHygiene.escape(incident.row.id)
            let scratch: SQLiteEventStore
            do {
                scratch = try SQLiteEventStore(path: ":memory:")
                try scratch.importIncidents([incident])
            } catch {
                throw UserError(.data, "incident \(id) of the export does not load: \(IncidentService.userError(error, database: nil).message); nothing was imported")
            }
            let checker = IncidentService(store: scratch, library: service.library, clock: service.clock, team: service.team,
                                          drillChannel: service.drillChannel, realClock: service.realClock)
            checker.checkpointKeys = service.checkpointKeys
            let verdict: IntegrityVerdict
            do {
                verdict = try checker.integrity(of: try checker.snapshot(incident.row.id))
            } catch {
                throw UserError(.data, "incident \(id) of the export does not replay: \(error.message); nothing was imported")
            }
            guard verdict.intact else {
                let problem = verdict.problems.first.map { $0.sentence } ?? "it does not verify"
                throw UserError(.data, "incident \(id) of the export does not verify: \(problem); nothing was imported")
            }
        }
    }
}
