/// A bearer token of the team server (SPEC §10) as the database keeps it: never the secret, only its SHA-256.
///
/// The token names a roster person; the incident's frozen roster decides what that person may do.
public struct AccessToken: Sendable, Equatable {
    /// The short public id, shown by `runbook token list` and recorded on every event the token acts for.
    public var id: String
    /// The roster person the token acts as.
    public var person: String
    /// SHA-256 of the whole secret, hex.
    public var sha256: String
    public var createdAt: Instant
    /// Who created it (the operating-system login of `runbook token create`).
    public var createdBy: String
    public var revokedAt: Instant?
    public var revokedBy: String?

    public init(id: String, person: String, sha256: String, createdAt: Instant, createdBy: String,
                revokedAt: Instant? = nil, revokedBy: String? = nil) {
        self.id = id
        self.person = person
        self.sha256 = sha256
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.revokedAt = revokedAt
        self.revokedBy = revokedBy
    }

    public var revoked: Bool { revokedAt != nil }
}

/// Where the server's tokens live: the same database as the log, so a token revoked by any process on the host is
/// refused at the server's next request.
public protocol TokenStore {
    /// Stores a new token; fails when its id or hash is taken.
    func insertToken(_ token: AccessToken) throws(StoreError)
    /// Every token, revoked ones included, oldest first.
    func tokens() throws(StoreError) -> [AccessToken]
    /// The token whose secret hashes to `sha256`, revoked or not.
    func token(sha256: String) throws(StoreError) -> AccessToken?
    /// Marks a token revoked; false when there is no such token or it was already revoked.
    func revokeToken(id: String, at: Instant, by: String) throws(StoreError) -> Bool
}
