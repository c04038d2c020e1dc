import Foundation
import RunbookTestSupport
import Testing

/// Stand-ins for the tools the shipped runbooks call (supabase, aws, psql, vercel, curl): each logs its
/// arguments to `calls.log` and writes what the next step checks, so a test can see what really ran.
func installFakeTools(in directory: String, without missing: Set<String> = []) throws -> String {
    let bin = "\(directory)/fake-bin"
    try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
    let tools = [
        // `supabase db dump [--data-only] -f FILE` writes FILE.
        "supabase": #"""
            echo "supabase $*" >> calls.log
            while [ $# -gt 0 ]; do if [ "$1" = "-f" ]; then echo "-- dump" > "$2"; fi; shift; done
            """#,
        // `aws s3 cp SRC DEST` writes DEST with rows.
        "aws": #"""
            echo "aws $*" >> calls.log
            if [ "$2" = "cp" ]; then echo "INSERT INTO t VALUES (1);" > "$4"; fi
            """#,
        "psql": #"echo "psql $*" >> calls.log"#,
        "vercel": #"echo "vercel $*" >> calls.log"#,
        "curl": #"echo "curl $*" >> calls.log; echo 200"#,
    ]
    for (name, body) in tools where !missing.contains(name) {
        let path = "\(bin)/\(name)"
        try ("#!/bin/sh\n" + body + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
    }
    return "\(bin):/usr/bin:/bin"
}

@Suite struct ShippedGateCommandsTests {
    /// One person's action at the fixed time, with the fake tools on the PATH.
    struct Responder {
        var cli: CLIRunner

        func act(_ arguments: [String], as actor: String = "kim") throws -> CLIResult {
            try cli.run(arguments + ["--as", actor])
        }

        func stage(_ id: String) throws -> String? {
            let status = try cli.run(["status", id, "--json"])
            return (try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])?["stage"] as? String
        }
    }

    func calls(_ directory: String) -> String {
        (try? String(contentsOfFile: "\(directory)/calls.log", encoding: .utf8)) ?? ""
    }

    @Test func dbRecoveryCannotResetBeforeTheBackupAndTheApproval() throws {
        try withWorkspace { base, directory in
            var cli = base
            cli.environment["RUNBOOK_NOW"] = "2026-11-26T01:00:00Z"
            cli.environment["PATH"] = try installFakeTools(in: directory)
            cli.environment["DATABASE_URL"] = "postgres://linked.example/db"
            let r = Responder(cli: cli)
            let id = try r.act(["start", "db-recovery"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(try r.act(["run", id, "maintenance-on"]).status == 0)
            #expect(try r.act(["run", id, "dump-current"]).status == 0)
            #expect(try r.act(["run", id, "check-dump"]).status == 0)
            #expect(try r.stage(id) == "restore")

            // Straight to the reset: refused, naming everything it waits for; nothing ran.
            let early = try r.act(["run", id, "reset", "--confirm", "reset"])
            #expect(early.status == 1)
            #expect(early.stderr == "runbook: error: step `reset` waits for approval `approve-reset` by 운영 매니저 (manager): choi; "
                    + "and for step `backup-file` (needs); "
                    + "and for step `check-backup` (needs); it cannot run until then (it may be skipped or failed with a note)\n")
            // The restore cannot jump ahead of the reset either.
            let restoreFirst = try r.act(["run", id, "restore", "--confirm", "restore"])
            #expect(restoreFirst.status == 1)
            #expect(restoreFirst.stderr.contains("step `restore` waits for approval `approve-reset`"))
            #expect(!calls(directory).contains("db reset"))
            #expect(!calls(directory).contains("psql"))

            #expect(try r.act(["run", id, "list-backups"]).status == 0)
            #expect(try r.act(["input", id, "backup-file", "backup_20250127.sql"]).status == 0)
            #expect(try r.act(["run", id, "fetch-backup"]).status == 0)
            #expect(try r.act(["run", id, "check-backup"]).status == 0)

            // The backup is there; the manager's approval is still missing, and the on-call engineer cannot give or skip it.
            #expect(try r.act(["run", id, "reset", "--confirm", "reset"]).status == 1)
            #expect(try r.act(["approve", id, "approve-reset"]).status == 1)
            #expect(try r.act(["step", id, "approve-reset", "skip", "--note", "no time"]).status == 1)
            #expect(try r.act(["step", id, "approve-reset", "fail"]).status == 1)
            #expect(!calls(directory).contains("db reset"))

            #expect(try r.act(["approve", id, "approve-reset"], as: "choi").status == 0)
            let unconfirmed = try r.act(["run", id, "reset"])
            #expect(unconfirmed.status == 64)
            #expect(unconfirmed.stderr == "runbook: error: step `reset` is destructive "
                    + "(supabase --yes db reset --db-url \"${DATABASE_URL:?set DATABASE_URL to the database to restore}\"); "
                    + "to run it, confirm by naming it: runbook run \(id) reset --confirm reset\n")
            #expect(!calls(directory).contains("db reset"))
            #expect(try r.act(["run", id, "reset", "--confirm", "reset"]).status == 0)
            #expect(calls(directory).contains("supabase --yes db reset --db-url postgres://linked.example/db"))
            #expect(try r.act(["run", id, "restore", "--confirm", "restore"]).status == 0)
            #expect(calls(directory).contains("psql postgres://linked.example/db -v ON_ERROR_STOP=1 -f ./backup_20250127.sql"))
            #expect(try r.stage(id) == "verify")
        }
    }

    @Test func rollbackReachesTheDatabaseOnlyThroughTheDecisionAndTheApproval() throws {
        try withWorkspace { base, directory in
            var cli = base
            cli.environment["RUNBOOK_NOW"] = "2026-11-26T01:00:00Z"
            let withTools = try installFakeTools(in: directory)
            // First without the Vercel CLI: `vercel ls` cannot run.
            cli.environment["PATH"] = try installFakeTools(in: "\(directory)/no-vercel", without: ["vercel"])
            var r = Responder(cli: cli)
            let id = try r.act(["start", "rollback"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let missing = try r.act(["run", id, "deployments"])
            #expect(missing.status == 1)
            #expect(missing.stderr.hasPrefix("runbook: error: step `deployments` could not run: command not found: vercel (exit 127)"))
            #expect(try r.stage(id) == "app-rollback")
            // Even failing it by hand pages (on_fail: escalate) and stays: nobody decided on the database.
            #expect(try r.act(["step", id, "deployments", "fail", "--note", "no Vercel CLI on this laptop"]).status == 0)
            #expect(try r.stage(id) == "app-rollback")

            r.cli.environment["PATH"] = withTools
            #expect(try r.act(["run", id, "deployments"]).status == 0)
            #expect(try r.act(["input", id, "deployment-url", "erp-abc.vercel.app"]).status == 0)
            #expect(try r.act(["run", id, "rollback"]).status == 0)
            #expect(try r.stage(id) == "verify-app")
            #expect(try r.act(["run", id, "health"]).status == 0)
            #expect(try r.act(["step", id, "smoke-test", "done"]).status == 0)
            let decided = try r.act(["input", id, "migration-cause", "yes"])
            #expect(decided.status == 0)
            #expect(try r.stage(id) == "db-rollback")

            let early = try r.act(["run", id, "migrations-down", "--confirm", "migrations-down"])
            #expect(early.status == 1)
            #expect(early.stderr.hasPrefix("runbook: error: step `migrations-down` waits for approval `approve` by 운영 매니저 (manager): choi"))
            #expect(try r.act(["run", id, "migration-list"]).status == 0)
            #expect(try r.act(["input", id, "previous-version", "20250120000000"]).status == 0)
            #expect(try r.act(["run", id, "dump-current"]).status == 0)
            #expect(try r.act(["approve", id, "approve"]).status == 1)
            #expect(!calls(directory).contains("migrations down"))
            #expect(try r.act(["approve", id, "approve"], as: "choi").status == 0)
            #expect(try r.act(["run", id, "migrations-down"]).status == 64)
            #expect(!calls(directory).contains("migrations down"))
            #expect(try r.act(["run", id, "migrations-down", "--confirm", "migrations-down"]).status == 0)
            #expect(calls(directory).contains("supabase --yes migrations down --linked"))
        }
    }

    @Test func rollbackWithoutAMigrationCauseResolvesWithoutTouchingTheDatabase() throws {
        try withWorkspace { base, directory in
            var cli = base
            cli.environment["RUNBOOK_NOW"] = "2026-11-26T01:00:00Z"
            cli.environment["PATH"] = try installFakeTools(in: directory)
            let r = Responder(cli: cli)
            let id = try r.act(["start", "rollback"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(try r.act(["run", id, "deployments"]).status == 0)
            #expect(try r.act(["input", id, "deployment-url", "erp-abc.vercel.app"]).status == 0)
            #expect(try r.act(["run", id, "rollback"]).status == 0)
            #expect(try r.act(["run", id, "health"]).status == 0)
            #expect(try r.act(["step", id, "smoke-test", "done"]).status == 0)
            let closed = try r.act(["input", id, "migration-cause", "no"])
            #expect(closed.stdout.contains("incident closed"))
            let timeline = try cli.run(["timeline", id]).stdout
            #expect(!timeline.contains("db-rollback"))
            #expect(!calls(directory).contains("migration"))
        }
    }
}
