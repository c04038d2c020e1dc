import FoundationEssentials
import RunbookCore
@testable import RunbookRuntime
import RunbookTestSupport
import Testing

/// The process died between the child's opening and the parent's `call.started` (or a second run won the step): the
/// child names a parent that does not wait for it. Its views say so instead of claiming the link.
@Suite struct UnlinkedChildTests {
    @Test func aChildItsParentNeverRecordedSaysSo() throws {
        let f = try CallServiceTests.fixture()
        let parentID = try f.service.start(runbookID: "parent", title: nil, severity: nil, drill: false, actor: "kim").state.id
        try f.service.perform(.input(step: "staging-url", value: "x"), on: parentID, actor: "kim")
        let linked = try f.service.startCall("restore-database", on: parentID, actor: "kim").child.state.id

        // The child of a run that crashed before recording the call: opened as startCall opens it, never recorded.
        let parent = try f.service.snapshot(parentID)
        let loaded = try RunbookLibrary(directory: f.folder).load("child")
        let freeze = try #require(parent.state.roster)
        let opened = try f.service.open(loaded, title: nil, severity: parent.state.severity, drill: false, drillClock: nil, actor: "kim",
                                        now: f.clock.now(), team: parent.team, freeze: freeze, impact: nil,
                                        calledBy: CallOrigin(incident: parentID, step: "restore-database", environment: []),
                                        bringUpToDate: true)
        let orphan = try #require(opened).state.id

        let unlinked = try f.service.snapshotAsOfNow(orphan)
        #expect(unlinked.linked == [LinkedIncident(role: .parent, incident: parentID, step: "restore-database", runbook: nil, result: nil,
                                                   recorded: false)])
        #expect(Message.calledByUnlinked(incident: parentID, step: "restore-database").text(in: .english)
                == "called by \(parentID) step restore-database, which did not record it: \(parentID) does not wait for this incident")
        // The child the parent did record keeps its plain link.
        #expect(try f.service.snapshotAsOfNow(linked).linked
                == [LinkedIncident(role: .parent, incident: parentID, step: "restore-database", runbook: nil, result: nil)])
    }
}
