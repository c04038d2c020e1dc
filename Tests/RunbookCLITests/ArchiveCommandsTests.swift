import Foundation
import RunbookTestSupport
import Testing

/// `runbook export` and `runbook import`: incidents move between databases exactly as stored, and a broken export
/// changes nothing.
@Suite struct ArchiveCommandsTests {
    /// A workspace with two incidents in incidents.db (a frozen roster, notes, a step, an acknowledgement), and its export.
    func withExport(_ body: (_ cli: CLIRunner, _ directory: String, _ export: String) throws -> Void) throws {
        try withWorkspace { base, directory in
            var cli = base
            cli.environment["RUNBOOK_NOW"] = "2026-11-26T01:00:00Z"
            let first = try cli.run(["start", "security-incident", "--title", "로그인 장애 (login failures)", "--no-guide"])
            #expect(first.status == 0, "\(first.stderr)")
            let id = first.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(try cli.run(["ack", id, "--as", "kim"]).status == 0)
            #expect(try cli.run(["note", id, "impact: 로그인 실패 \u{1B}[2J", "--as", "kim"]).status == 0)
            #expect(try cli.run(["start", "db-connection-errors", "--no-guide"]).status == 0)
            let export = try cli.run(["export"])
            #expect(export.status == 0, "\(export.stderr)")
            #expect(export.stderr.contains("Exported 2 incidents"), "\(export.stderr)")
            try body(cli, directory, export.stdout)
        }
    }

    @Test func anExportImportsWithTheSameHashesAndBackAgain() throws {
        try withExport { cli, directory, export in
            let lines = export.split(separator: "\n")
            #expect(lines.count == 4, "header, two incidents, end")
            try export.write(toFile: "\(directory)/a.jsonl", atomically: true, encoding: .utf8)
            let imported = try cli.run(["import", "a.jsonl", "--db", "b.db"])
            #expect(imported.status == 0, "\(imported.stderr)")
            #expect(imported.stdout.contains("Imported 2 incidents"), "\(imported.stdout)")
            #expect(try cli.run(["verify", "--db", "b.db"]).status == 0)
            let again = try cli.run(["export", "--db", "b.db"]).stdout.split(separator: "\n")
            // The same incidents, records and hashes; only the time of the export differs.
            #expect(Array(again.dropFirst()) == Array(lines.dropFirst()))
            // And back into a third database, through standard input.
            let third = try cli.run(["import", "--db", "c.db"], input: export)
            #expect(third.status == 0, "\(third.stderr)")
            #expect(try cli.run(["timeline", "1", "--db", "c.db"]).stdout == (try cli.run(["timeline", "1"])).stdout)
            // An incident opened after the import takes the next number, not an imported one.
            let next = try cli.run(["start", "security-incident", "--no-guide", "--db", "b.db"])
            #expect(next.stdout.hasSuffix("-0003\n"), "\(next.stdout)")
            // Importing the same incidents twice is refused.
            let twice = try cli.run(["import", "a.jsonl", "--db", "b.db"])
            #expect(twice.status != 0)
            #expect(twice.stderr.contains("already in this database; nothing was imported"), "\(twice.stderr)")
        }
    }

    @Test func aTamperedOrCutExportIsRefusedAndNothingIsWritten() throws {
        try withExport { cli, directory, export in
            // A note edited in the file: its record no longer hashes to its chain.
            let edited = export.replacingOccurrences(of: "로그인 실패", with: "로그인 성공")
            #expect(edited != export)
            let tampered = try cli.run(["import", "--db", "d.db"], input: edited)
            #expect(tampered.status == 65, "\(tampered.stdout)\(tampered.stderr)")
            #expect(tampered.stderr.contains("does not verify"), "\(tampered.stderr)")
            #expect(tampered.stderr.split(separator: "\n").count == 1, "\(tampered.stderr)")
            #expect(!FileManager.default.fileExists(atPath: "\(directory)/d.db"), "a refused import made a database")
            // The last line (the end line) lost: cut short.
            let cut = export.split(separator: "\n").dropLast().joined(separator: "\n") + "\n"
            let short = try cli.run(["import", "--db", "d.db"], input: cut)
            #expect(short.status == 65)
            #expect(short.stderr.contains("cut short"), "\(short.stderr)")
            // An incident's line lost: the end line's counts disagree.
            var lines = export.split(separator: "\n")
            lines.remove(at: 1)
            let missing = try cli.run(["import", "--db", "d.db"], input: lines.joined(separator: "\n"))
            #expect(missing.status == 65)
            #expect(missing.stderr.contains("end line counts"), "\(missing.stderr)")
            // An id runbook never gives (a number past the counter's range) is refused before anything is checked.
            let id = try #require(export.components(separatedBy: "\"").first { $0.hasPrefix("INC-") && $0.hasSuffix("-0001") })
            let huge = try cli.run(["import", "--db", "d.db"], input: export.replacingOccurrences(of: id, with: id + "9999999999"))
            #expect(huge.status == 65)
            #expect(huge.stderr.contains("is not an incident id runbook gives"), "\(huge.stderr)")
            let garbage = try cli.run(["import", "--db", "d.db"], input: "hello\n")
            #expect(garbage.status == 65)
            #expect(garbage.stderr.contains("not a runbook export"), "\(garbage.stderr)")
            #expect(!FileManager.default.fileExists(atPath: "\(directory)/d.db"))
        }
    }

    /// SQLite → PostgreSQL → SQLite (SPEC §10): every line identical but the export's time, and the PostgreSQL log
    /// verifies with the same checks; a tampered export is refused by PostgreSQL too, which then holds nothing.
    @Test func theRoundTripThroughPostgresKeepsEveryHashAndATamperedExportChangesNothing() throws {
        try withExport { cli, directory, export in
            let postgres = try TestPostgres.freshURL()
            let tampered = try cli.run(["import", "--db", postgres], input: export.replacingOccurrences(of: "로그인 실패", with: "로그인 성공"))
            #expect(tampered.status == 65, "\(tampered.stderr)")
            #expect(tampered.stderr.contains("does not verify"), "\(tampered.stderr)")
            let empty = try cli.run(["export", "--db", postgres])
            #expect(empty.status != 0 || empty.stderr.contains("Exported 0 incidents"), "\(empty.stderr)")

            let imported = try cli.run(["import", "--db", postgres], input: export)
            #expect(imported.status == 0, "\(imported.stderr)")
            #expect(imported.stdout.contains("into postgresql://postgres@/postgres"), "\(imported.stdout)")
            #expect(try cli.run(["verify", "--db", postgres]).status == 0)
            let fromPostgres = try cli.run(["export", "--db", postgres])
            #expect(fromPostgres.status == 0, "\(fromPostgres.stderr)")
            #expect(Array(fromPostgres.stdout.split(separator: "\n").dropFirst()) == Array(export.split(separator: "\n").dropFirst()))
            let back = try cli.run(["import", "--db", "back.db"], input: fromPostgres.stdout)
            #expect(back.status == 0, "\(back.stderr)")
            let again = try cli.run(["export", "--db", "back.db"]).stdout
            #expect(Array(again.split(separator: "\n").dropFirst()) == Array(export.split(separator: "\n").dropFirst()))
            #expect(try cli.run(["stats", "--db", postgres, "--format", "json"]).stdout
                    == (try cli.run(["stats", "--db", "back.db", "--format", "json"])).stdout)
            // The same incidents again are refused, and the log is unchanged.
            let twice = try cli.run(["import", "--db", postgres], input: export)
            #expect(twice.status != 0)
            #expect(twice.stderr.contains("already in this database; nothing was imported"), "\(twice.stderr)")
            _ = directory
        }
    }
}
