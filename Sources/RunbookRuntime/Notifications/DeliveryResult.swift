/// The outcome of one delivery attempt through one channel.
public struct DeliveryResult: Sendable, Equatable {
    public var succeeded: Bool
    /// What happened, short: "HTTP 200", "exit 0", "appended to notifications.log", "HTTP 500", "curl exit 7".
    public var detail: String
    /// Why the attempt failed, on one line: "HTTP 500", "connection refused", "timed out after 10s",
    /// "exit 1: <first line of stderr>"; nil when it succeeded.
    public var error: String?

    public init(succeeded: Bool, detail: String, error: String? = nil) {
        self.succeeded = succeeded
        self.detail = detail
        self.error = error
    }

    /// A successful attempt.
    public static func success(_ detail: String) -> DeliveryResult {
        DeliveryResult(succeeded: true, detail: detail)
    }

    /// A failed attempt; `error` is reduced to one line.
    public static func failure(_ detail: String, error: String) -> DeliveryResult {
        DeliveryResult(succeeded: false, detail: detail, error: NotificationMessage.oneLine(error))
    }
}
