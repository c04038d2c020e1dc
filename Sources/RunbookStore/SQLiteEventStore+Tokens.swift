public import RunbookCore

extension SQLiteEventStore: TokenStore {
    public func insertToken(_ token: AccessToken) throws(StoreError) {
        try guarded {
            try connection.prepare(TokenSQL.insert).run(token.id, token.person, token.sha256, token.createdAt.milliseconds, token.createdBy)
        }
    }

    public func tokens() throws(StoreError) -> [AccessToken] {
        try guarded { try connection.prepare(TokenSQL.all).rows(as: Self.token) }
    }

    public func token(sha256: String) throws(StoreError) -> AccessToken? {
        try guarded { try connection.prepare(TokenSQL.byHash).first(sha256, as: Self.token) }
    }

    public func revokeToken(id: String, at: Instant, by: String) throws(StoreError) -> Bool {
        try guarded {
            try connection.prepare(TokenSQL.revoke).run(at.milliseconds, by, id)
            return connection.changes > 0
        }
    }

    private static func token(_ row: Row) -> AccessToken {
        AccessToken(id: row.text(0), person: row.text(1), sha256: row.text(2), createdAt: Instant(milliseconds: row.int64(3)),
                    createdBy: row.text(4), revokedAt: row.optionalInt64(5).map(Instant.init(milliseconds:)),
                    revokedBy: row.optionalText(6))
    }
}

private enum TokenSQL {
    static let columns = "id, person, sha256, created_at, created_by, revoked_at, revoked_by"
    static let insert = "INSERT INTO tokens (id, person, sha256, created_at, created_by) VALUES (?, ?, ?, ?, ?)"
    static let all = "SELECT \(columns) FROM tokens ORDER BY created_at, id"
    static let byHash = "SELECT \(columns) FROM tokens WHERE sha256 = ?"
    static let revoke = "UPDATE tokens SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL"
}
