/// Who acted, as the log proves it (SPEC §3.1): the declared actor against the operating-system login that
/// recorded the event and the logins the actor's roster entry binds, as frozen into the incident then.
public enum Identity {
    /// How a recorded login stands against a person's roster entry.
    public enum Standing: Sendable, Equatable {
        /// The entry binds logins and the event was recorded from one of them.
        case bound
        /// The entry binds no logins (or there is no frozen roster): the name is only declared.
        case unbound
        /// The entry binds logins, and the event was recorded from another one (or from an unknown login).
        case otherLogin
    }

    /// How `login` stands against the entry of `actor` in `roster`.
    public static func standing(of actor: String, login: String?, in roster: RosterFreeze?) -> Standing {
        guard let logins = roster?.logins[actor], !logins.isEmpty else { return .unbound }
        guard let login, logins.contains(login) else { return .otherLogin }
        return .bound
    }

    /// For each event, in order: the login it was recorded from when the actor is bound to other logins
    /// (an action recorded on behalf of that person), else nil. Each event is judged against the roster in
    /// force when it was recorded; the engine's own events and events without a login are never flagged.
    public static func recordedOnBehalf(_ events: [RecordedEvent]) -> [String?] {
        var roster: RosterFreeze?
        return events.map { event in
            defer { if case .rosterFrozen(let freeze) = event.event { roster = freeze } }
            guard event.actor != Scheduler.systemActor, let login = event.login,
                  standing(of: event.actor, login: login, in: roster) == .otherLogin else { return nil }
            return login
        }
    }

    /// "recorded by root on behalf of choi".
    public static func onBehalfText(login: String, actor: String, language: Language = .current) -> String {
        Message.recordedOnBehalf(login: login, actor: actor).text(in: language)
    }
}
