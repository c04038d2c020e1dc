import RunbookRuntime

/// Shared inputs of the notification tests.
enum NotificationFixtures {
    /// The repository root, found from this file's path (Tests/RunbookRuntimeTests/Notifications/Support/).
    static let repositoryRoot: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(5)
        return parts.joined(separator: "/")
    }()

    /// A tier-2 page for a missed stage deadline, with Korean titles.
    static let message = NotificationMessage(
        incidentID: "INC-20261126-0001", runbookID: "security-incident",
        title: "고객 데이터 유출 의심 (suspected customer data leak)", severity: "SEV1", stage: "격리 (Isolate)",
        role: "manager", tier: 2, round: 1,
        reason: "stage `isolate` 격리 (Isolate) missed its 15m deadline by 3m", drill: false,
        acknowledgeCommand: "runbook ack INC-20261126-0001")
}
