import RunbookCore
import Testing
import Foundation

/// The repository root, found from this file's path.
let repositoryRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

func shippedRunbook(_ id: String) throws -> (text: String, runbook: Runbook) {
    let path = "\(repositoryRoot)/runbooks/\(id).yaml"
    let text = try String(contentsOfFile: path, encoding: .utf8)
    let decoded = try RunbookLoader.load(text, file: "runbooks/\(id).yaml", expectedID: id).get()
    return (text, decoded.runbook)
}

/// The runbooks shipped in `runbooks/` (the roster, the contacts and the calendar are not runbooks): the manual's
/// procedures (README table), incident runbooks and routine checks.
let shippedRunbookIDs = [
    "daily-check", "db-backup", "db-connection-errors", "db-recovery", "disaster-recovery", "evening-check", "monthly-check",
    "performance-degradation", "rollback", "security-incident", "service-unreachable", "shift-handover", "storage-recovery",
    "update-deploy", "weekly-check",
]

/// The command a step runs, if it is a command step.
private func command(_ step: Step?) -> String? {
    if case .command(let spec) = step?.kind { return spec.run }
    return nil
}

/// Every command step of the runbook with its state.
private func commandSteps(_ runbook: Runbook) -> [(state: RunbookState, step: Step, run: String)] {
    runbook.states.flatMap { state in
        state.steps.compactMap { step in command(step).map { (state, step, $0) } }
    }
}

/// Everything `stepID` waits for, directly or through the steps it waits for.
private func allPrerequisites(of stepID: String, in state: RunbookState) -> Set<String> {
    var seen: Set<String> = []
    var pending = [stepID]
    while let next = pending.popLast() {
        for prerequisite in state.prerequisites(of: next) where seen.insert(prerequisite.step).inserted {
            pending.append(prerequisite.step)
        }
    }
    return seen
}

/// The roles each person holds in `runbooks/roster.yaml`, in either form (`kim: [oncall]` or
/// `choi: { roles: [manager], logins: [choi] }`).
private func rosterRoles() throws -> Set<String> {
    let text = try String(contentsOfFile: "\(repositoryRoot)/runbooks/roster.yaml", encoding: .utf8)
    guard let root = try YAMLParser.parse(text), case .mapping(let top) = root.content,
          let roster = top.first(where: { $0.key.scalar == "roster" })?.value, case .mapping(let people) = roster.content
    else { return [] }
    var roles: Set<String> = []
    for person in people {
        var list = person.value
        if case .mapping(let fields) = person.value.content, let held = fields.first(where: { $0.key.scalar == "roles" }) {
            list = held.value
        }
        if case .sequence(let items) = list.content { roles.formUnion(items.compactMap(\.scalar)) }
    }
    return roles
}

@Suite struct ShippedRunbookTests {
    @Test func everyRunbookInTheFolderIsChecked() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: "\(repositoryRoot)/runbooks")
        let runbooks = files.filter { $0.hasSuffix(".yaml") && !["roster.yaml", "contacts.yaml", "calendar.yaml", "alerts.yaml"].contains($0) }
            .map { String($0.dropLast(".yaml".count)) }.sorted()
        #expect(runbooks == shippedRunbookIDs)
    }

    @Test(arguments: shippedRunbookIDs)
    func loadsAndLintsClean(_ id: String) throws {
        let runbook = try shippedRunbook(id).runbook
        #expect(runbook.id == id)
        #expect(runbook.states.contains { $0.end })
        #expect(runbook.roles.map(\.id).contains("oncall"))
    }

    /// A role that is paged or approves must be held by someone on the roster, or nobody answers.
    @Test(arguments: shippedRunbookIDs)
    func everyRoleThatActsHasAHolder(_ id: String) throws {
        let runbook = try shippedRunbook(id).runbook
        let held = try rosterRoles()
        let paged = runbook.escalation.tiers.flatMap(\.notify)
        let approving = runbook.states.flatMap(\.steps).compactMap { $0.approval?.role }
        for role in paged + approving {
            #expect(runbook.role(role) != nil, "\(id): role `\(role)` is not among the runbook's roles")
            #expect(held.contains(role), "\(id): nobody on the roster holds `\(role)`")
        }
    }

    /// Appendix A: the health check is `https://erp.duly.co.kr/api/health`; every incident runbook has one, and every
    /// one fails on an error status (`curl -f`, or an `expect:` on the status code it prints).
    @Test(arguments: shippedRunbookIDs)
    func healthChecksUseApiHealth(_ id: String) throws {
        let runbook = try shippedRunbook(id).runbook
        let checks = commandSteps(runbook).filter { $0.run.contains("/api/health") }
        if runbook.kind == .incident {
            #expect(!checks.isEmpty, "\(id) has no health check")
        }
        for check in checks {
            #expect(check.run.contains("https://erp.duly.co.kr/api/health") || check.run.contains("$RUNBOOK_VAR_STAGING_URL/api/health"),
                    "\(id): \(check.step.id) runs \(check.run)")
            guard case .command(let command) = check.step.kind else { continue }
            // A timing check (`time_total`) fails by its expected number, not by the status.
            let statusChecked = command.expect?.check == .match(pattern: "^200$")
            let timed = command.expect.map { if case .number = $0.check { true } else { false } } ?? false
            #expect(check.run.contains(" -fsS") || statusChecked || (timed && check.run.contains("time_total")),
                    "\(id): \(check.step.id) must fail on an error status")
        }
    }

    /// Manual §3.3: logs are in Vercel, Supabase and Sentry; there is no `/var/log/app` on this system.
    @Test(arguments: shippedRunbookIDs)
    func noLocalLogDirectories(_ id: String) throws {
        #expect(!(try shippedRunbook(id).text.contains("/var/log")))
    }

    /// Commands act on the linked Supabase project, never on a local development stack, and whatever
    /// drops or overwrites data is destructive and waits for an approval listed before it.
    @Test(arguments: shippedRunbookIDs)
    func databaseCommandsTargetTheLinkedProjectAndAreGated(_ id: String) throws {
        let runbook = try shippedRunbook(id).runbook
        for (state, step, run) in commandSteps(runbook) {
            let resets = run.contains("db reset") || run.contains("migrations down")
            let restores = run.contains("psql") && run.contains(" -f ")
            // A reset names its target: the linked project, or the database DATABASE_URL names (never a local stack).
            if resets { #expect(run.contains("--linked") || run.contains("--db-url \"${DATABASE_URL"), "\(id): \(step.id) runs \(run)") }
            if run.contains("psql") { #expect(run.contains("DATABASE_URL"), "\(id): \(step.id) runs \(run)") }
            if resets || restores {
                #expect(step.destructive, "\(id): \(step.id) overwrites data")
            }
            if step.destructive {
                #expect(state.prerequisites(of: step.id).contains { $0.reason == .approvalGate },
                        "\(id): destructive \(step.id) is not gated by an approval")
            }
        }
    }

    @Test func securityIncidentFollowsManualSection6_3() throws {
        let runbook = try shippedRunbook("security-incident").runbook
        #expect(runbook.states.map(\.id) == ["detect", "isolate", "analyze", "recover", "follow-up"])
        #expect(runbook.states.map(\.deadline) == [.minutes(5), .minutes(15), .minutes(30), .hours(1), .hours(24)])
        #expect(runbook.states.map(\.title) == ["탐지 (Detect)", "격리 (Isolate)", "분석 (Analyze)", "복구 (Recover)", "사후 조치 (Follow-up)"])
        #expect(runbook.state("recover")?.resolves == true)
        #expect(runbook.state("follow-up")?.end == true)
        // Manual §7.2: on-call operator, then operations manager, then CTO; §1.2: the security officer
        // (보안 담당자) is paged with on-call from the start.
        #expect(runbook.escalation.tiers.map(\.notify) == [["oncall", "security"], ["manager"], ["cto"]])
    }

    /// Manual §1.2: the 보안 담당자 does the analysis, and the steps say so.
    @Test func securityOfficerLeadsTheAnalysis() throws {
        let runbook = try shippedRunbook("security-incident").runbook
        #expect(runbook.role("security")?.title == "보안 담당자 (security officer)")
        let analyze = try #require(runbook.state("analyze"))
        for step in analyze.steps where step.approval == nil {
            #expect(step.title.contains("보안 담당자") && step.title.contains("security officer"), "\(step.id): \(step.title)")
        }
    }

    /// Manual §3.3: evidence is the Vercel function logs, the Supabase logs and Sentry.
    @Test func securityEvidenceIsWhatThisSystemKeeps() throws {
        let runbook = try shippedRunbook("security-incident").runbook
        let isolate = try #require(runbook.state("isolate"))
        let logs = try #require(command(isolate.step("preserve-evidence")))
        #expect(logs.hasPrefix("vercel logs \"$RUNBOOK_VAR_DEPLOYMENT\""))
        #expect(isolate.prerequisites(of: "preserve-evidence") == [Prerequisite(step: "deployment", reason: .needs)])
        let titles = isolate.steps.map(\.title).joined(separator: "\n")
        for source in ["Vercel function logs", "Supabase logs", "Sentry"] {
            #expect(titles.contains(source), "no evidence step for \(source)")
        }
    }

    @Test func disasterRecoveryBranchesOnTheScenario() throws {
        let runbook = try shippedRunbook("disaster-recovery").runbook
        let assess = try #require(runbook.state("assess"))
        #expect(assess.deadline == .minutes(10))
        guard case .input(let input) = assess.steps.last?.kind else {
            Issue.record("the scenario is chosen by an input step")
            return
        }
        #expect(input.choices == ["vercel", "supabase", "ddos", "data-loss"])
        // Manual §9.1: each scenario's RTO.
        #expect(runbook.state("vercel-failover")?.rto == .minutes(30))
        #expect(runbook.state("supabase-contain")?.rto == .hours(2))
        #expect(runbook.state("ddos-waf")?.rto == .minutes(15))
        #expect(runbook.rto == .hours(4))
        // Manual §4.4, 전체 시스템: the objective, not what a dump restore reaches (see the YAML comment).
        #expect(runbook.rpo == .hours(1))
        // Manual §9.2 phases on the full track.
        #expect(["contain", "recover", "resume", "follow-up"].map { runbook.state($0)?.deadline }
                == [.minutes(30), .hours(2), .minutes(30), .hours(24)])
        // Tiers are per runbook; two of the four tracks are the database's.
        #expect(runbook.escalation.tiers.first?.notify == ["oncall", "dba"])
    }

    /// The data-loss track restores through db-recovery (manual §4.3) instead of repeating it: one call step, whose
    /// child carries the dump, the approval and the destructive reset (gated in `dbRecoveryCannotResetBefore…`).
    @Test func disasterRecoveryDataLossCallsDbRecovery() throws {
        let runbook = try shippedRunbook("disaster-recovery").runbook
        let recover = try #require(runbook.state("recover"))
        #expect(recover.steps.map(\.id) == ["restore-database"])
        #expect(recover.step("restore-database")?.call == CallSpec(runbook: "db-recovery"))
        #expect(recover.next == "resume")
        #expect(!runbook.states.flatMap(\.steps).contains { $0.destructive }, "the destructive steps live in db-recovery only")
    }

    @Test func dbRecoveryFollowsManualSection4_3() throws {
        let runbook = try shippedRunbook("db-recovery").runbook
        #expect(runbook.states.map(\.id) == ["maintenance-on", "dump", "restore", "verify", "maintenance-off", "follow-up"])
        #expect(runbook.states.dropLast().map(\.next) == ["dump", "restore", "verify", "maintenance-off", "follow-up"])
        #expect(runbook.rto == .hours(2))
        let commands = commandSteps(runbook).map(\.run)
        #expect(commands.contains { $0.hasPrefix("supabase db dump --db-url \"${DATABASE_URL:?") && $0.contains("-f current_state.sql") })
        #expect(commands.contains("supabase --yes db reset --db-url \"${DATABASE_URL:?set DATABASE_URL to the database to restore}\""))
        #expect(commands.contains { $0.contains("-c 'SELECT COUNT(*) FROM inspection_applications;'") })
        // Manual §1.2/§7.2: the DB 관리자 is paged with on-call.
        #expect(runbook.escalation.tiers.map(\.notify) == [["oncall", "dba"], ["manager"], ["cto"]])
    }

    /// Manual §4.1: a dump restore reaches the age of the daily full dump, not the 15m that §4.4 gives
    /// for point-in-time recovery from the transaction log.
    @Test func dbRecoveryRPOIsWhatADumpRestoreReaches() throws {
        let (text, runbook) = try shippedRunbook("db-recovery")
        #expect(runbook.rpo == .hours(24))
        #expect(text.contains("point-in-time"))
    }

    /// Manual §4.2/§4.3: the backup is chosen, fetched from S3 and checked, then the manager approves, then
    /// the reset and the restore run, both destructive; each step waits for the one before.
    @Test func dbRecoveryResetWaitsForTheBackupAndTheApproval() throws {
        let runbook = try shippedRunbook("db-recovery").runbook
        let restore = try #require(runbook.state("restore"))
        #expect(restore.sequential)
        #expect(restore.steps.map(\.id)
                == ["list-backups", "backup-file", "fetch-backup", "check-backup", "approve-reset", "reset", "restore"])
        #expect(restore.step("approve-reset")?.approval == ApprovalSpec(role: "manager"))
        let prerequisites = restore.prerequisites(of: "reset")
        #expect(prerequisites.contains(Prerequisite(step: "backup-file", reason: .needs)))
        #expect(prerequisites.contains(Prerequisite(step: "approve-reset", reason: .approvalGate)))
        #expect(allPrerequisites(of: "restore", in: restore)
                == ["list-backups", "backup-file", "fetch-backup", "check-backup", "approve-reset", "reset"])
        #expect(restore.steps.filter(\.destructive).map(\.id) == ["reset", "restore"])
        #expect(command(restore.step("list-backups")) == "aws s3 ls s3://duly-backups/db/")
        #expect(command(restore.step("fetch-backup"))?.hasPrefix("aws s3 cp \"s3://duly-backups/db/$RUNBOOK_VAR_BACKUP_FILE\"") == true)
        #expect(command(restore.step("restore"))?.contains("-f \"./$RUNBOOK_VAR_BACKUP_FILE\"") == true)
        // The current state is dumped in the stage before, so it is done before the reset can start.
        #expect(runbook.state("dump")?.steps.map(\.id) == ["dump-current", "check-dump"])
    }

    @Test func rollbackObjectives() throws {
        let runbook = try shippedRunbook("rollback").runbook
        #expect(runbook.rto == .minutes(30))  // §4.4 애플리케이션
        #expect(runbook.rpo == .zero)         // §4.4 애플리케이션: 코드 재배포
        #expect(runbook.state("db-rollback")?.rto == .hours(2))
    }

    /// Manual §8.3: a failed app rollback never leads into the database rollback; the only way in is the
    /// answer "yes" to "is the failure caused by the migration?".
    @Test func rollbackReachesTheDatabaseOnlyThroughTheMigrationDecision() throws {
        let runbook = try shippedRunbook("rollback").runbook
        let edgesIntoDatabase = runbook.states.flatMap { state in
            state.successors.filter { $0.state == "db-rollback" }.map { "\(state.id) --\($0.label)--> db-rollback" }
        }
        #expect(edgesIntoDatabase == ["verify-app --yes--> db-rollback"])
        let app = try #require(runbook.state("app-rollback"))
        #expect(app.successors.map { $0.state } == ["verify-app"])
        #expect(app.onFail == .escalate)
        let verify = try #require(runbook.state("verify-app"))
        guard case .input(let decision) = verify.step("migration-cause")?.kind else {
            Issue.record("the migration decision is an input step")
            return
        }
        #expect(decision.choices == ["no", "yes"])
        #expect(decision.goto.map(\.choice) == ["yes"])
        #expect(verify.onFail == .escalate)
        // The decision comes after checking the rolled-back application.
        #expect(allPrerequisites(of: "migration-cause", in: verify) == ["health", "smoke-test"])
    }

    /// Ask before rolling anything back: the deployment before `vercel rollback`, the version before the
    /// migrations go down, and the manager's approval before the destructive migration rollback.
    @Test func rollbackAsksBeforeRollingBack() throws {
        let runbook = try shippedRunbook("rollback").runbook
        let app = try #require(runbook.state("app-rollback"))
        #expect(allPrerequisites(of: "rollback", in: app).contains("deployment-url"))
        #expect(command(app.step("rollback")) == "vercel rollback \"$RUNBOOK_VAR_DEPLOYMENT_URL\"")
        let database = try #require(runbook.state("db-rollback"))
        #expect(database.step("approve")?.approval == ApprovalSpec(role: "manager"))
        #expect(database.prerequisites(of: "migrations-down").contains(Prerequisite(step: "approve", reason: .approvalGate)))
        #expect(allPrerequisites(of: "migrations-down", in: database)
                == ["migration-list", "previous-version", "dump-current", "approve"])
        #expect(database.step("migrations-down")?.destructive == true)
        #expect(command(database.step("migrations-down")) == "supabase --yes migrations down --linked")
    }

    /// The diagrams draw each state's gates in a note; db-recovery has every kind (order, needs, approval,
    /// destructive), security-incident a `needs` only.
    @Test(arguments: ["security-incident", "db-recovery"])
    func mermaidSnapshot(_ id: String) throws {
        let runbook = try shippedRunbook(id).runbook
        let snapshotPath = "\(repositoryRoot)/Tests/RunbookCoreTests/Snapshots/\(id).mmd"
        let actual = RunbookDiagram.mermaid(runbook)
        if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
            try actual.write(toFile: snapshotPath, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOfFile: snapshotPath, encoding: .utf8)
        #expect(actual == expected, "re-record on purpose with RECORD_SNAPSHOTS=1")
    }
}
