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

    /// The login recorded for an action taken through the team server with bearer token `id`: the token is the
    /// identity there (SPEC §3.1, §10). An operating-system login never holds a colon (`/etc/passwd` separates its
    /// fields with them), so no login can pass for a token.
    public static func tokenLogin(_ id: String) -> String { "token:\(id)" }

    /// The login recorded for what an alert source (`alertmanager`, `grafana`, `generic`) records through the team
    /// server's webhook: its per-source secret is the identity there (SPEC §10). Like a token's, it holds a colon,
    /// which no operating-system login does.
    public static func alertLogin(_ source: String) -> String { "alert:\(source)" }

    /// The source of a login recorded by an alert webhook; nil for any other login.
    public static func alertSource(of login: String?) -> String? {
        guard let login, login.hasPrefix("alert:") else { return nil }
        let source = login.dropFirst("alert:".count)
        return source.isEmpty ? nil : String(source)
    }

    /// The token id of a login recorded by the team server; nil for an operating-system login.
    public static func tokenID(of login: String?) -> String? {
        guard let login, login.hasPrefix("token:") else { return nil }
        let id = login.dropFirst("token:".count)
        return id.isEmpty ? nil : String(id)
    }

    /// How `login` stands against the entry of `actor` in `roster`. A server token names its person, so an action
    /// recorded under one is that person's whatever logins their entry binds.
    public static func standing(of actor: String, login: String?, in roster: RosterFreeze?) -> Standing {
        if tokenID(of: login) != nil { return .bound }
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
