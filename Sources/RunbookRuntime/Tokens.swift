public import RunbookCore

/// The team server's bearer tokens (SPEC §10): made by `runbook token create`, checked on every request.
///
/// A token is `rbk_` + its public id + `_` + 64 hex digits of a 256-bit random secret. The database keeps the
/// SHA-256 of the whole token and never the token itself, so a copy of the database grants nothing.
public struct Tokens {
    public let store: any TokenStore
    /// The database, for error messages.
    public let path: String

    public init(store: any TokenStore, path: String) {
        self.store = store
        self.path = path
    }

    /// The tokens of the service's database.
    public init(_ service: IncidentService) throws(UserError) {
        guard let store = service.store as? any TokenStore else {
            throw UserError(.usage, "this database keeps no tokens")
        }
        self.init(store: store, path: service.databaseName)
    }

    /// Refuses a `person` who is not in `roster`: a token acts as a roster person.
    public static func requireRosterPerson(_ person: String, roster: Roster, rosterPath: String) throws(UserError) {
        guard roster.roles[person] != nil else {
            throw UserError(.usage, .server(.tokenUnknownPerson(person: person, roster: rosterPath, people: roster.roles.keys.sorted())))
        }
    }

    /// Makes a token for `person`, who must be in `roster`; returns it with its secret, which is shown once.
    public func create(person: String, roster: Roster, rosterPath: String, by login: String, now: Instant) throws(UserError)
        -> (token: AccessToken, secret: String) {
        try Self.requireRosterPerson(person, roster: roster, rosterPath: rosterPath)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5 {
            let id = EventChain.hex((0..<4).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
            let secret = "rbk_\(id)_" + EventChain.hex((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
            let token = AccessToken(id: id, person: person, sha256: EventChain.sha256(secret), createdAt: now, createdBy: login)
            do {
                try store.insertToken(token)
                return (token, secret)
            } catch {
                // Two ids alike in 2^32 is a retry, anything else an error.
                if (try? store.tokens().contains { $0.id == id }) == true { continue }
                throw IncidentService.userError(error, database: path)
            }
        }
        throw UserError(.failed, "could not find a free token id; try again")
    }

    public func list() throws(UserError) -> [AccessToken] {
        do {
            return try store.tokens()
        } catch {
            throw IncidentService.userError(error, database: path)
        }
    }

    /// Revokes a token by its id; the server refuses it from its next request.
    public func revoke(id: String, by login: String, now: Instant) throws(UserError) {
        let all = try list()
        guard let token = all.first(where: { $0.id == id }) else {
            throw UserError(.usage, .server(.tokenNotFound(id: id)))
        }
        if let at = token.revokedAt {
            throw UserError(.usage, .server(.tokenAlreadyRevoked(id: id, at: LocalTime.full(at))))
        }
        do {
            _ = try store.revokeToken(id: id, at: now, by: login)
        } catch {
            throw IncidentService.userError(error, database: path)
        }
    }

    /// The live token a request presents, or why it is refused.
    public func authenticate(_ presented: String) throws(UserError) -> AccessToken {
        let token: AccessToken?
        do {
            token = try store.token(sha256: EventChain.sha256(presented))
        } catch {
            throw IncidentService.userError(error, database: path)
        }
        guard let token else { throw UserError(.usage, .server(.authUnknown)) }
        if let at = token.revokedAt {
            throw UserError(.usage, .server(.authRevoked(id: token.id, at: LocalTime.full(at))))
        }
        return token
    }
}
