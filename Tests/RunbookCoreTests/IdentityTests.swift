import RunbookCore
import RunbookTestSupport
import Testing

/// Who acted: the declared actor against the recording login and the logins the frozen roster binds.
@Suite struct IdentityTests {
    static let configured = "/srv/ops/runbooks"

    static func freeze(_ logins: [String: [String]], directory: String = configured, reload: Bool = false) -> RosterFreeze {
        RosterFreeze(rosterSHA256: "r\(logins.count)", contactsSHA256: "c", directory: directory, configuredDirectory: configured,
                     logins: logins, reload: reload)
    }

    /// Chains, stores and decodes events as (event, actor, login), one second apart.
    static func log(_ entries: [(IncidentEvent, String, String?)]) throws -> [RecordedEvent] {
        var records: [EventRecord] = []
        for (index, (event, actor, login)) in entries.enumerated() {
            let pending = event.pending(actor: actor, login: login, recordedAt: Instant(milliseconds: Int64(index) * 1000))
            records.append(EventRecord(chaining: pending, incidentID: "INC-1", sequence: Int64(index + 1),
                                       previousHash: records.last?.hash ?? EventChain.genesis))
        }
        return try records.map { record throws(EventDecodingError) in try IncidentEvent.decode(record) }
    }

    static let opened = IncidentEvent.opened(runbookID: "r", runbookSHA256: "s", title: "t", severity: "SEV2", drill: false)
    static func approval(_ step: String) -> IncidentEvent { .approvalGiven(state: "decide", step: step, role: "manager") }

    @Test func standingAgainstTheRosterEntry() {
        let roster = Self.freeze(["choi": ["choi", "choi2"]])
        #expect(Identity.standing(of: "choi", login: "choi2", in: roster) == .bound)
        #expect(Identity.standing(of: "choi", login: "root", in: roster) == .otherLogin)
        #expect(Identity.standing(of: "choi", login: nil, in: roster) == .otherLogin)
        #expect(Identity.standing(of: "kim", login: "kim", in: roster) == .unbound)
        #expect(Identity.standing(of: "choi", login: "choi", in: nil) == .unbound)
    }

    @Test func actionsAsABoundPersonFromAnotherLoginAreRecordedOnTheirBehalf() throws {
        let events = try Self.log([
            (Self.opened, "kim", "root"),
            (.noteAdded(text: "before the roster: nobody is bound yet"), "choi", "root"),
            (.rosterFrozen(Self.freeze(["choi": ["choi"]])), "kim", "root"),
            (.noteAdded(text: "from choi's own login"), "choi", "choi"),
            (.noteAdded(text: "from root as choi"), "choi", "root"),
            (.noteAdded(text: "kim is not bound"), "kim", "root"),
            (.acknowledged, Scheduler.systemActor, "root"),
            (.noteAdded(text: "recorded before logins were kept"), "choi", nil),
        ])

        #expect(Identity.recordedOnBehalf(events) == [nil, nil, nil, nil, "root", nil, nil, nil])
        #expect(Identity.onBehalfText(login: "root", actor: "choi") == "recorded by root on behalf of choi")
    }

    @Test func findingsNameAStartFromAnotherDirectoryAndApprovalsWithoutABoundIdentity() throws {
        let events = try Self.log([
            (Self.opened, "kim", "root"),
            (.rosterFrozen(Self.freeze(["choi": ["choi"]], directory: "/tmp/elsewhere")), "kim", "root"),
            (Self.approval("sign"), "cto", "root"),
            (Self.approval("sign"), "choi", "choi"),
            (Self.approval("sign"), "choi", "root"),
            (.rosterFrozen(Self.freeze([:], reload: true)), "lee", "lee"),
            (Self.approval("again"), "choi", "choi"),
            (.approvalOverridden(state: "decide", step: "again", role: "manager", reason: "manager unreachable for 20m"), "kim", "kim"),
        ])

        let findings = Findings.of(events)

        #expect(findings == [
            Finding(kind: .otherRunbooksDirectory(directory: "/tmp/elsewhere", configured: Self.configured, reload: false), sequence: 2,
                    at: Instant(milliseconds: 1000)),
            Finding(kind: .approvalIdentityNotBound(by: "cto", step: "sign", login: "root"), sequence: 3, at: Instant(milliseconds: 2000)),
            Finding(kind: .approvalFromOtherLogin(by: "choi", step: "sign", login: "root"), sequence: 5, at: Instant(milliseconds: 4000)),
            Finding(kind: .approvalIdentityNotBound(by: "choi", step: "again", login: "choi"), sequence: 7, at: Instant(milliseconds: 6000)),
            Finding(kind: .approvalOverridden(by: "kim", step: "again", role: "manager", reason: "manager unreachable for 20m"), sequence: 8,
                    at: Instant(milliseconds: 7000)),
        ])
        #expect(findings.map(\.message) == [
            "incident started from /tmp/elsewhere, not the team's configured runbooks directory /srv/ops/runbooks",
            "approved by cto, identity not bound (step `sign`, login root)",
            "approved by choi from login root, not one of choi's logins (step `sign`)",
            "approved by choi, identity not bound (step `again`, login choi)",
            "kim broke the glass: approval `again` overridden without manager: manager unreachable for 20m",
        ])
    }

    @Test func aReloadFromAnotherDirectoryIsAFindingAndAnIncidentWithoutARosterFindsEveryApprovalUnbound() throws {
        let reloaded = try Self.log([
            (Self.opened, "kim", "root"),
            (.rosterFrozen(Self.freeze([:])), "kim", "root"),
            (.rosterFrozen(Self.freeze([:], directory: "/home/lee/runbooks", reload: true)), "lee", "lee"),
        ])
        #expect(Findings.of(reloaded).map(\.message)
                == ["roster reloaded from /home/lee/runbooks, not the team's configured runbooks directory /srv/ops/runbooks"])

        let older = try Self.log([(Self.opened, "kim", nil), (Self.approval("sign"), "choi", nil)])
        #expect(Findings.of(older).map(\.message) == ["approved by choi, identity not bound (step `sign`)"])
    }

    @Test func theReportKeepsTheSameFindings() throws {
        var h = try EngineHarness(yaml: approvalRunbook, roster: ["choi": ["manager"]])
        try h.send(.approve(step: "sign"), as: "choi")
        let report = PostmortemReport(runbook: h.runbook, events: h.events, integrity: Integrity.chain(incidentID: "INC-TEST-0001", records: h.events.map(\.record)), now: h.now)
        #expect(report.findings == Findings.of(h.events))
        #expect(report.findings.map(\.message) == ["approved by choi, identity not bound (step `sign`)"])
    }

    @Test func theRosterFreezeFoldsIntoTheStateAndAReloadOfTheSameVersionIsRefused() throws {
        let h = try EngineHarness(yaml: approvalRunbook)
        var state = h.state
        let first = Self.freeze(["choi": ["choi"]])
        let frozen = try Self.log([(.rosterFrozen(first), "kim", "root")])[0]
        var record = frozen.record
        record.sequence = state.lastSequence + 1
        state.apply(RecordedEvent(record: record, event: frozen.event, occurredAt: nil, login: "root"))
        #expect(state.roster == first)

        let context = DecisionContext(runbook: h.runbook, actor: "kim", actorRoles: ["oncall"], now: h.now, formatTime: EngineHarness.formatTime)
        let refusal = #expect(throws: Refusal.self) {
            try IncidentEngine.decide(.reloadRoster(first), state: state, context: context)
        }
        #expect(refusal?.reason == .rosterUnchanged(incident: "INC-TEST-0001", directory: "/srv/ops/runbooks"))
        #expect(refusal?.message == "incident INC-TEST-0001 already uses this roster and these contacts from /srv/ops/runbooks; "
                + "edit roster.yaml or contacts.yaml first, then reload")
        let next = Self.freeze(["choi": ["choi"], "cto": ["cto"]], reload: true)
        #expect(try IncidentEngine.decide(.reloadRoster(next), state: state, context: context) == [.rosterFrozen(next)])
        // Someone not on the roster in force cannot make themselves a manager by reloading another one.
        let stranger = DecisionContext(runbook: h.runbook, actor: "mallory", now: h.now, formatTime: EngineHarness.formatTime)
        #expect(throws: Refusal("mallory is not on incident INC-TEST-0001's roster; only people on it may reload it (a shift handover)")) {
            try IncidentEngine.decide(.reloadRoster(next), state: state, context: stranger)
        }
        // Nor can a roster from another folder take over the incident.
        var elsewhere = next
        elsewhere.directory = "/tmp/evil/runbooks"
        #expect(throws: Refusal("incident INC-TEST-0001's roster comes from /srv/ops/runbooks, not /tmp/evil/runbooks: a roster from another "
                                + "folder cannot take over a running incident; edit the roster there and reload with --runbooks /srv/ops/runbooks")) {
            try IncidentEngine.decide(.reloadRoster(elsewhere), state: state, context: context)
        }
    }

    @Test func openingRecordsTheFrozenRosterRightAfterTheOpening() throws {
        let runbook = try RunbookLoader.load(approvalRunbook, file: "t.yaml").get().runbook
        let freeze = Self.freeze([:])
        let context = DecisionContext(runbook: runbook, actor: "kim", now: Instant(milliseconds: 0))
        let events = try IncidentEngine.open(runbook: runbook, snapshotSHA256: "s", title: nil, severity: nil, drill: false,
                                             roster: freeze, context: context)
        #expect(events.prefix(2) == [.opened(runbookID: "t", runbookSHA256: "s", title: runbook.title, severity: "SEV2", drill: false),
                                     .rosterFrozen(freeze)])
    }

    @Test func theContextKnowsWhetherTheIdentityIsBound() throws {
        let runbook = try RunbookLoader.load(approvalRunbook, file: "t.yaml").get().runbook
        func context(login: String?, logins: [String]?) -> DecisionContext {
            DecisionContext(runbook: runbook, actor: "choi", actorRoles: ["manager"], login: login, actorLogins: logins, now: Instant(milliseconds: 0))
        }
        #expect(context(login: "choi", logins: ["choi"]).identityBound)
        #expect(!context(login: "root", logins: ["choi"]).identityBound)
        #expect(!context(login: "choi", logins: nil).identityBound)
    }
}

let approvalRunbook = """
    runbook: t
    title: Approval
    severity: SEV2
    roles:
      manager: { title: Manager }
    escalation:
      tiers:
        - { notify: [manager], after: 10m }
    initial: decide
    states:
      decide:
        title: Decide
        steps:
          - { id: sign, title: Sign, approve: { role: manager } }
        resolves: true
        end: true

    """
