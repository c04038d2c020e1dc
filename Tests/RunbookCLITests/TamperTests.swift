import Foundation
import RunbookCore
import RunbookTestSupport
import Testing

/// The attacks of issue 9, each done behind runbook's back with the sqlite3 shell, each caught.
@Suite struct TamperTests {
    /// An incident with a few notes, in a fresh workspace; `body` gets the CLI, the database path and the id.
    func withIncident(_ body: (CLIRunner, String, String) throws -> Void) throws {
        try withWorkspace { cli, directory in
            let id = try cli.run(["start", "security-incident", "--as", "kim"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            for index in 0..<3 { try cli.run(["note", id, "note \(index)", "--as", "kim"]) }
            try body(cli, "\(directory)/incidents.db", id)
        }
    }

    func dropGuards(_ database: String) throws {
        _ = try sqlite(database, "DROP TRIGGER events_refuse_update; DROP TRIGGER events_refuse_delete;")
    }

    func checkpoint(_ cli: CLIRunner, _ id: String) throws -> String {
        let verify = try cli.run(["verify", id])
        #expect(verify.status == 0)
        let text = verify.stdout.split(separator: " ").last.map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) }
        return try #require(text)
    }

    @Test func verifyTakesAShortIncidentId() throws {
        try withIncident { cli, _, id in
            let short = try cli.run(["verify", String(id.suffix(4))])
            #expect(short.status == 0, "\(short.stderr)")
            #expect(short.stdout.hasPrefix("\(id): "))
            let other = try cli.run(["verify", String(id.suffix(4)), "--checkpoint", "INC-20990101-0001#1:0123456789abcdef"])
            #expect(other.status == 64)
            #expect(other.stderr.contains("belongs to INC-20990101-0001, not \(id)"))
        }
    }

    /// A deadline that passed while nobody acted is due, not recorded: views fold it in, and the incident's row, which
    /// is of what is stored, must not be called altered for lacking it (a false alarm in every view).
    @Test func aDeadlineDueButNotYetRecordedIsNotTampering() throws {
        try withWorkspace { base, _ in
            var cli = base
            cli.environment["RUNBOOK_NOW"] = "2026-11-26T01:00:00Z"
            let id = try cli.run(["start", "security-incident", "--as", "kim"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            cli.environment["RUNBOOK_NOW"] = "2026-11-26T01:20:00Z"
            let status = try cli.run(["status", id])
            #expect(status.status == 0)
            #expect(status.stdout.contains("missed its 5m deadline"), "the due page is shown: \(status.stdout)")
            #expect(!status.stdout.contains("log altered"), "\(status.stdout)")
            let json = try cli.run(["status", id, "--json"])
            #expect(!json.stdout.contains("\"intact\":false") && !json.stdout.contains("\"intact\": false"), "\(json.stdout)")
            let report = try cli.run(["report", id])
            #expect(report.stdout.contains("Log verified"), "\(report.stdout)")
        }
    }

    @Test func anEditedReviewFactIsFound() throws {
        try withIncident { cli, database, id in
            // `stats` reads these instead of the events: raising the break-glass count behind runbook's back is found.
            _ = try sqlite(database, "UPDATE incidents SET break_glass = 5 WHERE id = '\(id)'")
            let verify = try cli.run(["verify", id])
            #expect(verify.status == 1)
            #expect(verify.stderr.contains("the incident row says review facts"), "\(verify.stderr)")
            #expect(verify.stderr.contains("break-glass 5"))
        }
    }

    /// The row fields the watcher and the review act on: a row edited never to fall due would silence its pages, one
    /// edited to a drill would leave the review; an edited opening time would move every figure of the report.
    @Test func aRowEditedNeverToFallDueOrToBeADrillIsFound() throws {
        try withIncident { cli, database, id in
            _ = try sqlite(database, "UPDATE incidents SET next_due_at = NULL, drill = 1, opened_at = opened_at - 60000 WHERE id = '\(id)'")
            let verify = try cli.run(["verify", id])
            #expect(verify.status == 1)
            #expect(verify.stderr.contains("the incident row says next due never, its events say 20"), "\(verify.stderr)")
            #expect(verify.stderr.contains("the incident row says drill true, its events say false"), "\(verify.stderr)")
            #expect(verify.stderr.contains("the incident row says opened "), "\(verify.stderr)")
        }
    }

    /// An id counter set back (the next opening would collide with an incident) or far ahead (verification must not count
    /// up to it) is named, and `verify` ends at once either way.
    @Test func anEditedIdCounterIsFoundWithoutCountingToIt() throws {
        try withIncident { cli, database, _ in
            _ = try sqlite(database, "DELETE FROM incident_counters")
            let behind = try cli.run(["verify"])
            #expect(behind.status == 1)
            #expect(behind.stderr.contains("says 0 but an incident there has number 1"), "\(behind.stderr)")
            _ = try sqlite(database, "INSERT INTO incident_counters VALUES ((SELECT substr(id, 1, length(id) - 5) FROM incidents), 9000000000000000000)")
            let ahead = try cli.run(["verify"])
            #expect(ahead.status == 1)
            let deleted = ahead.stderr.split(separator: "\n").filter { $0.contains("was given out by the id counter") }
            #expect(deleted.count == 100, "\(ahead.stderr.prefix(500))")
        }
    }

    @Test func droppedGuardsAreFound() throws {
        try withIncident { cli, database, id in
            try dropGuards(database)
            let verify = try cli.run(["verify"])
            #expect(verify.status == 1)
            #expect(verify.stderr.contains("incidents.db: the append-only guard events_refuse_delete is missing"))
            #expect(verify.stderr.contains("incidents.db: the append-only guard events_refuse_update is missing"))
            let status = try cli.run(["status", id])
            #expect(status.stdout.contains("! log altered: the append-only guard events_refuse_delete is missing"))
        }
    }

    @Test func aCutTailIsFoundByVerifyAndTheReportAndItsNumbersAreNeverReused() throws {
        try withIncident { cli, database, id in
            let last = try #require(Int(try sqlite(database, "SELECT max(sequence) FROM events").trimmingCharacters(in: .whitespacesAndNewlines)))
            try dropGuards(database)
            _ = try sqlite(database, "DELETE FROM events WHERE incident_id = '\(id)' AND sequence >= \(last - 1)")
            let verify = try cli.run(["verify", id])
            #expect(verify.status == 1)
            #expect(verify.stderr.contains("\(id): events \(last - 1) to \(last) are missing: the incident counts \(last) events, the log ends at event \(last - 2)"))
            let report = try cli.run(["report", id])
            #expect(report.stdout.contains("> **log broken since #\(last - 1): events \(last - 1) to \(last) are missing"))
            #expect(!report.stdout.contains("Log verified"))
            // The team goes on; the next note is numbered after the cut, so the gap stays visible.
            let note = try cli.run(["note", id, "after the cut", "--as", "kim"])
            #expect(note.status == 0)
            #expect(note.stdout.contains("\(id) #\(last + 1) note: after the cut"))
            #expect(try cli.run(["verify", id]).status == 1)
            #expect(try cli.run(["status", id]).stdout.contains("! log broken since #\(last - 1)"))
            #expect(try cli.run(["status"]).stdout.contains("\(id) (log broken since #\(last - 1))"), "the list flags it too")
        }
    }

    @Test func aCutTailWithALoweredCountIsCaughtByACheckpoint() throws {
        try withIncident { cli, database, id in
            let taken = try checkpoint(cli, id)
            let last = try #require(Int(try sqlite(database, "SELECT max(sequence) FROM events").trimmingCharacters(in: .whitespacesAndNewlines)))
            try dropGuards(database)
            _ = try sqlite(database, """
                DELETE FROM events WHERE incident_id = '\(id)' AND sequence = \(last);
                UPDATE incidents SET last_sequence = \(last - 1) WHERE id = '\(id)';
                CREATE TRIGGER events_refuse_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
                CREATE TRIGGER events_refuse_delete BEFORE DELETE ON events BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
                """)
            // From inside the file this looks whole; the checkpoint taken earlier does not.
            let verify = try cli.run(["verify", id, "--checkpoint", taken])
            #expect(verify.status == 1)
            #expect(verify.stderr.contains("\(id): checkpoint \(taken) does not hold: the log ends at event \(last - 1); event \(last) is gone"))
        }
    }

    @Test func aDeletedIncidentRowOrAWholeDeletedIncidentIsFound() throws {
        try withWorkspace { cli, directory in
            let database = "\(directory)/incidents.db"
            let ids = try (0..<3).map { _ in try cli.run(["start", "security-incident", "--as", "kim"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines) }
            try dropGuards(database)
            _ = try sqlite(database, """
                PRAGMA foreign_keys = OFF;
                DELETE FROM incidents WHERE id = '\(ids[1])';
                DELETE FROM events WHERE incident_id = '\(ids[2])';
                DELETE FROM incidents WHERE id = '\(ids[2])';
                """)
            let verify = try cli.run(["verify"])
            #expect(verify.status == 1)
            #expect(verify.stderr.contains("\(ids[1]): incident \(ids[1]) has events but no incident row: it was removed from every view"))
            #expect(verify.stderr.contains("incidents.db: incident \(ids[2]) was given out by the id counter but is not in the database: it was deleted"))
        }
    }

    @Test func anEditedRunbookTextIsFoundAndItsCommandsAreNotRun() throws {
        try withIncident { cli, database, id in
            _ = try sqlite(database, "UPDATE runbooks SET text = replace(text, 'vercel logs', 'touch pwned; vercel logs')")
            let verify = try cli.run(["verify", id])
            #expect(verify.status == 1)
            #expect(verify.stderr.contains("was edited: it no longer hashes to its key"))
            let report = try cli.run(["report", id, "--format", "json"])
            let json = try #require(try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any])
            #expect((json["integrity"] as? [String: Any])?["verified"] as? Bool == false)
            try cli.run(["step", id, "confirm-alert", "done", "--as", "kim"])
            try cli.run(["input", id, "severity", "SEV2", "--as", "kim"])
            try cli.run(["step", id, "block", "done", "--as", "kim"])
            try cli.run(["input", id, "deployment", "erp-abc.vercel.app", "--as", "kim"])
            let run = try cli.run(["run", id, "preserve-evidence", "--as", "kim"])
            #expect(run.status == 65)
            #expect(run.stderr.contains("was edited after it started"))
            #expect(!FileManager.default.fileExists(atPath: "\(cli.directory)/pwned"))
        }
    }

    @Test func aWholeLogRewrittenWithRecomputedHashesIsCaughtByACheckpoint() throws {
        try withIncident { cli, database, id in
            let taken = try checkpoint(cli, id)
            // Rewrite every event from the first note on, with hashes recomputed so the chain is whole again.
            let rows = try sqlite(database, "SELECT sequence, recorded_at, actor, type, data, prev_hash FROM events WHERE incident_id = '\(id)' ORDER BY sequence")
            var previous = EventChain.genesis
            var statements = ["DROP TRIGGER events_refuse_update;"]
            for line in rows.split(separator: "\n") {
                let fields = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
                guard fields.count >= 6, let sequence = Int64(fields[0]), let at = Int64(fields[1]) else { continue }
                let data = fields[4].replacingOccurrences(of: "note 0", with: "nothing to see")
                let record = EventRecord(chaining: PendingEvent(type: fields[3], data: data, actor: fields[2], recordedAt: Instant(milliseconds: at)),
                                         incidentID: id, sequence: sequence, previousHash: previous)
                previous = record.hash
                let quoted = data.replacingOccurrences(of: "'", with: "''")
                statements.append("UPDATE events SET data = '\(quoted)', prev_hash = '\(record.previousHash)', hash = '\(record.hash)' "
                                  + "WHERE incident_id = '\(id)' AND sequence = \(sequence);")
            }
            statements.append("CREATE TRIGGER events_refuse_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;")
            _ = try sqlite(database, statements.joined(separator: "\n"))
            #expect(try cli.run(["verify", id]).status == 0, "a whole rewrite cannot be seen from inside the file")
            let verify = try cli.run(["verify", id, "--checkpoint", taken])
            #expect(verify.status == 1)
            #expect(verify.stderr.contains("the log was rewritten after the checkpoint was taken"))
        }
    }

    @Test func pagesCarryTheCheckpoint() throws {
        try withWorkspace { cli, directory in
            _ = try cli.run(["start", "security-incident", "--as", "kim"])
            let log = try String(contentsOfFile: "\(directory)/notifications.log", encoding: .utf8)
            #expect(log.contains("| checkpoint INC-"))
            let checkpoint = try #require(log.split(separator: "|").last?.trimmingCharacters(in: .whitespacesAndNewlines))
            let verify = try cli.run(["verify", "--checkpoint", String(checkpoint.dropFirst("checkpoint ".count))])
            #expect(verify.status == 0)
            #expect(verify.stdout.contains(", holds #"))
        }
    }

    @Test func signedCheckpointsAreSignedEverywhereAndCheckedByVerify() throws {
        try withWorkspace { base, directory in
            let keyFile = "\(directory)/../signing-\(getpid()).key"
            try String(repeating: "7a", count: 32).write(toFile: keyFile, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: keyFile) }
            var cli = base
            cli.environment["RUNBOOK_SIGNING_KEY"] = keyFile
            let id = try cli.run(["start", "security-incident", "--as", "kim"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let log = try String(contentsOfFile: "\(directory)/notifications.log", encoding: .utf8)
            let paged = try #require(log.split(separator: "|").last?.trimmingCharacters(in: .whitespacesAndNewlines).dropFirst("checkpoint ".count))
            #expect(Checkpoint(parsing: String(paged))?.signature?.count == 128, "the page carries a signed checkpoint")
            #expect(try cli.run(["verify", id, "--checkpoint", String(paged)]).stdout.contains("(signature valid)"))

            // A machine that only checks holds the public key.
            let publicKey = try cli.run(["verify", "--public-key"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(publicKey.count == 64)
            var checker = base
            checker.environment["RUNBOOK_VERIFY_KEY"] = publicKey
            #expect(try checker.run(["verify", id, "--checkpoint", String(paged)]).status == 0)
            // A forged signature is refused.
            let forged = String(paged.dropLast(2)) + (paged.hasSuffix("00") ? "11" : "00")
            let refused = try checker.run(["verify", id, "--checkpoint", forged])
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("its signature does not match the signing key"))
            // Without any key the signature is said to be unchecked.
            #expect(try base.run(["verify", id, "--checkpoint", String(paged)]).stderr.contains("was not checked"))
            // A pipe is refused, not read: the background watcher start launches reads the same variable later, when a
            // `<(pass show …)` would be gone, and could then sign no page.
            let pipe = "\(directory)/signing.fifo"
            #expect(mkfifo(pipe, 0o600) == 0)
            var piped = base
            piped.environment["RUNBOOK_SIGNING_KEY"] = pipe
            let refusedPipe = try piped.run(["verify", "--public-key"])
            #expect(refusedPipe.status == 64)
            #expect(refusedPipe.stderr.contains("cannot read \(pipe): it is not a regular file"), "\(refusedPipe.stderr)")
            // A key file that is not a key is an error.
            try "not a key".write(toFile: keyFile, atomically: true, encoding: .utf8)
            let bad = try cli.run(["verify", id])
            #expect(bad.status == 64)
            #expect(bad.stderr.contains("does not hold an Ed25519 key as 64 hex digits"))
        }
    }

    @Test func anEditedFrozenRosterDoesNotLockTheTeamOut() throws {
        try withIncident { cli, database, id in
            _ = try sqlite(database, "UPDATE frozen_texts SET text = text || ' '")
            let note = try cli.run(["note", id, "still working", "--as", "kim"])
            #expect(note.status == 0, "\(note.stderr)")
            let status = try cli.run(["status", id])
            #expect(status.status == 0)
            #expect(status.stdout.contains("! log altered: the stored text"))
            #expect(try cli.run(["verify", id]).status == 1)
        }
    }

    @Test func aMissingRunbookTextOrADeletedIncidentIsTamperingNotBadUsage() throws {
        try withWorkspace { cli, directory in
            let database = "\(directory)/incidents.db"
            let ids = try (0..<2).map { _ in try cli.run(["start", "security-incident", "--as", "kim"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines) }
            let kept = try checkpoint(cli, ids[1])
            try dropGuards(database)
            _ = try sqlite(database, """
                PRAGMA foreign_keys = OFF;
                DELETE FROM events WHERE incident_id = '\(ids[1])';
                DELETE FROM incidents WHERE id = '\(ids[1])';
                UPDATE incident_counters SET last_number = 1;
                DELETE FROM runbooks;
                """)
            let status = try cli.run(["status", ids[0]])
            #expect(status.status == 65)
            #expect(status.stderr.contains("runs is missing from the database"))
            let verify = try cli.run(["verify", "--checkpoint", kept])
            #expect(verify.status == 1)
            #expect(verify.stderr.contains("\(ids[0]): the runbook text incident \(ids[0]) runs is missing from the database"))
            #expect(verify.stderr.contains("\(ids[1]): checkpoint \(kept) does not hold: incident \(ids[1]) is not in the database any more"))
            let one = try cli.run(["verify", ids[1], "--checkpoint", kept])
            #expect(one.status == 1)
        }
    }
}
