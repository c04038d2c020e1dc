import RunbookCore

/// Events, snapshots and projections for store tests.
enum Fixture {
    /// 2026-11-26T16:33:20Z.
    static let start = Instant(milliseconds: 1_795_710_800_000)

    static let runbook = RunbookSnapshot(runbookID: "db-recovery", text: """
        id: db-recovery
        title: 데이터베이스 복구
        states:
          triage:
            deadline: 15m
        """)

    /// Note number `number`, recorded `number` seconds after `start`.
    static func note(_ number: Int, actor: String = "kim") -> PendingEvent {
        PendingEvent(type: "note.added", data: #"{"text":"note \#(number)"}"#, actor: actor,
                     recordedAt: Instant(milliseconds: start.milliseconds + Int64(number) * 1000))
    }

    /// Notes `range`.
    static func notes(_ range: ClosedRange<Int>, actor: String = "kim") -> [PendingEvent] {
        range.map { note($0, actor: actor) }
    }

    static func projection(title: String = "Primary database down", status: String = "open", stage: String = "triage",
                           nextDueAt: Instant? = nil, drill: Bool = false) -> IncidentProjection {
        IncidentProjection(title: title, severity: "sev1", status: status, stage: stage, nextDueAt: nextDueAt, drill: drill)
    }

    /// `start` plus `minutes` minutes.
    static func minutes(_ minutes: Int64) -> Instant {
        Instant(milliseconds: start.milliseconds + minutes * 60_000)
    }
}
