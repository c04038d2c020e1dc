/// A stage whose steps wait for its maintenance window (`window:` on a state, SPEC §3.2): the one verdict that
/// the engine refuses by, and guided mode and `status` show.
public struct WindowGate: Sendable, Equatable {
    public var stage: String
    public var window: String
    /// "sunday-maintenance (정기 점검)".
    public var label: String
    /// When the window opens next, as its zone reads it ("Sun 2026-11-29 02:00 KST"); nil when it never opens again.
    public var opens: String?
    /// False when the window is not in the calendar frozen into the incident (it then never opens).
    public var known: Bool

    public init(stage: String, window: String, label: String, opens: String?, known: Bool) {
        self.stage = stage
        self.window = window
        self.label = label
        self.opens = opens
        self.known = known
    }

    /// The gate on `stage`'s steps at `instant`: nil when the stage names no window or its window is open.
    public static func closed(_ stage: RunbookState, state: IncidentState, at instant: Instant) -> WindowGate? {
        guard let name = stage.window else { return nil }
        guard let window = state.calendar.first(where: { $0.name == name }) else {
            return WindowGate(stage: stage.id, window: name, label: name, opens: nil, known: false)
        }
        if window.isOpen(at: instant) { return nil }
        return WindowGate(stage: stage.id, window: name, label: window.label, opens: window.opening(after: instant).map(window.format), known: true)
    }
}
