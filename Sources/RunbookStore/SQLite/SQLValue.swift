/// A value SQLite stores: NULL, an integer, a real, text or a blob.
package enum SQLValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
}

/// A Swift value that binds to a statement parameter.
///
/// Conformers bind themselves without boxing, so `statement.run(id, sequence, text)` costs what the
/// individual `bind` calls cost.
package protocol SQLBindable {
    /// Binds `self` to parameter `index` (1-based) of `statement`.
    func bind(to statement: Statement, at index: Int32) throws
}

extension Int64: SQLBindable {
    package func bind(to statement: Statement, at index: Int32) throws {
        try statement.bind(self, at: index)
    }
}

extension Int: SQLBindable {
    package func bind(to statement: Statement, at index: Int32) throws {
        try statement.bind(Int64(self), at: index)
    }
}

extension Bool: SQLBindable {
    package func bind(to statement: Statement, at index: Int32) throws {
        try statement.bind(self ? 1 as Int64 : 0, at: index)
    }
}

extension Double: SQLBindable {
    package func bind(to statement: Statement, at index: Int32) throws {
        try statement.bind(self, at: index)
    }
}

extension String: SQLBindable {
    package func bind(to statement: Statement, at index: Int32) throws {
        try statement.bind(self, at: index)
    }
}

extension Array: SQLBindable where Element == UInt8 {
    package func bind(to statement: Statement, at index: Int32) throws {
        try statement.bind(blob: self, at: index)
    }
}

extension Optional: SQLBindable where Wrapped: SQLBindable {
    package func bind(to statement: Statement, at index: Int32) throws {
        switch self {
        case .none: try statement.bindNull(at: index)
        case .some(let value): try value.bind(to: statement, at: index)
        }
    }
}

extension SQLValue: SQLBindable {
    package func bind(to statement: Statement, at index: Int32) throws {
        switch self {
        case .null: try statement.bindNull(at: index)
        case .integer(let value): try statement.bind(value, at: index)
        case .real(let value): try statement.bind(value, at: index)
        case .text(let value): try statement.bind(value, at: index)
        case .blob(let value): try statement.bind(blob: value, at: index)
        }
    }
}
