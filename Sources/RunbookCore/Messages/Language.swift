import Synchronization

/// The language messages are written in: Korean when the locale says so, English otherwise (SPEC §7).
public enum Language: UInt8, Sendable, CaseIterable {
    case english, korean

    /// The language of this process's messages.
    ///
    /// English until the front end sets it once at start-up from the environment (`Language.detect`); the core
    /// never reads the environment itself, and tests that run in the test process stay English whatever
    /// the developer's locale. Renderers take a `language` argument whose default is this value.
    public static var current: Language {
        get { Language(rawValue: storage.load(ordering: .relaxed)) ?? .english }
        set { storage.store(newValue.rawValue, ordering: .relaxed) }
    }

    private static let storage = Atomic<UInt8>(Language.english.rawValue)

    /// The language POSIX locale variables choose: the first set, non-empty one of `LC_ALL`, `LC_MESSAGES`
    /// and `LANG`; Korean when it starts with `ko` (`ko_KR.UTF-8`, `ko`), English otherwise (unset, `C`,
    /// `POSIX`, `en_US.UTF-8`).
    public static func detect(_ variable: (String) -> String?) -> Language {
        for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            guard let value = variable(name), !value.isEmpty else { continue }
            return value.hasPrefix("ko") ? .korean : .english
        }
        return .english
    }

    /// The text in this language; both are required, so a message cannot exist in one language only.
    @inline(__always)
    public func choose(english: @autoclosure () -> String, korean: @autoclosure () -> String) -> String {
        switch self {
        case .english: english()
        case .korean: korean()
        }
    }
}
