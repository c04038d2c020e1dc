/// A key read from a terminal in raw mode.
enum Key: Equatable, Sendable {
    /// Typed text: one or more printable characters (a fast typist or an unbracketed paste sends several).
    case text(String)
    /// Text pasted while the terminal's bracketed paste mode was on; it may hold line breaks.
    case paste(String)
    case enter, tab, backTab, backspace, delete, escape
    case up, down, left, right, home, end
    /// A control key other than those above: Ctrl-A is 1, Ctrl-C is 3, Ctrl-E is 5.
    case control(UInt8)
    /// An escape sequence this program does not use, swallowed whole so none of its bytes become text.
    case ignored
    /// The terminal was closed (a read returned nothing).
    case endOfInput
}

/// Turns the bytes a terminal sends into keys (pure: bytes in, keys out).
///
/// Escape sequences (CSI `ESC [ … final`, SS3 `ESC O x`, Alt-x `ESC x`) become one key each or `.ignored`;
/// a lone `ESC` stays pending until more bytes show it was a sequence, or `flush()` (called when nothing
/// followed within a short time) makes it the Esc key. Bracketed paste (`ESC [200~ … ESC [201~`) becomes
/// one `.paste`. UTF-8 is assembled across reads; invalid bytes are dropped.
struct KeyDecoder {
    private var pending: [UInt8] = []
    /// The bytes of a bracketed paste so far, while one is open.
    private var pasted: [UInt8]?

    /// Whether bytes wait for the rest of a sequence (the caller should read again shortly, then `flush`).
    var isWaiting: Bool { !pending.isEmpty || pasted != nil }

    /// The keys that `bytes` complete; an incomplete sequence waits for the next call.
    mutating func feed(_ bytes: some Sequence<UInt8>) -> [Key] {
        pending.append(contentsOf: bytes)
        var keys: [Key] = []
        var text: [UInt8] = []
        func flushText() {
            if !text.isEmpty {
                keys.append(.text(String(decoding: text, as: UTF8.self)))
                text = []
            }
        }
        func emit(_ key: Key) {
            flushText()
            keys.append(key)
        }
        var index = 0
        scan: while index < pending.count {
            if pasted != nil {
                let end: [UInt8] = [0x1B, 0x5B, 0x32, 0x30, 0x31, 0x7E]  // ESC [ 2 0 1 ~
                if let found = Self.find(end, in: pending, from: index) {
                    pasted?.append(contentsOf: pending[index..<found])
                    emit(.paste(String(decoding: pasted ?? [], as: UTF8.self)))
                    pasted = nil
                    index = found + end.count
                    continue
                }
                // Keep what could be the start of the end marker for the next read.
                let keep = min(end.count - 1, pending.count - index)
                pasted?.append(contentsOf: pending[index..<(pending.count - keep)])
                index = pending.count - keep
                break scan
            }
            let byte = pending[index]
            switch byte {
            case 0x1B:
                guard index + 1 < pending.count else { break scan }
                let next = pending[index + 1]
                if next == 0x5B {  // CSI
                    var end = index + 2
                    while end < pending.count, (0x20...0x3F).contains(pending[end]) { end += 1 }
                    guard end < pending.count else { break scan }
                    let final = pending[end]
                    guard (0x40...0x7E).contains(final) else {
                        // Malformed: drop the introducer and what was read of it.
                        emit(.ignored)
                        index = end
                        continue
                    }
                    let parameters = String(decoding: pending[(index + 2)..<end], as: UTF8.self)
                    index = end + 1
                    let key = Self.csi(parameters, final: final)
                    if key == .paste("") {
                        flushText()
                        pasted = []
                    } else {
                        emit(key)
                    }
                } else if next == 0x4F {  // SS3: ESC O x
                    guard index + 2 < pending.count else { break scan }
                    emit(Self.ss3(pending[index + 2]))
                    index += 3
                } else if (0x20...0x7E).contains(next) {
                    // Alt-x: nothing here uses it; swallowed.
                    emit(.ignored)
                    index += 2
                } else {
                    emit(.escape)
                    index += 1
                }
            case 0x0D, 0x0A:
                emit(.enter)
                index += (byte == 0x0D && index + 1 < pending.count && pending[index + 1] == 0x0A) ? 2 : 1
            case 0x09:
                emit(.tab)
                index += 1
            case 0x7F, 0x08:
                emit(.backspace)
                index += 1
            case 0x00..<0x20:
                emit(.control(byte))
                index += 1
            case 0x20..<0x7F:
                text.append(byte)
                index += 1
            default:
                let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 0
                guard length > 0, byte < 0xF8 else {
                    index += 1  // a stray continuation or invalid byte
                    continue
                }
                guard index + length <= pending.count else { break scan }
                let sequence = pending[index..<(index + length)]
                if sequence.dropFirst().allSatisfy({ $0 & 0xC0 == 0x80 }),
                   let scalar = String(validating: sequence, as: UTF8.self)?.unicodeScalars.first,
                   !(0x80...0x9F).contains(scalar.value) {
                    text.append(contentsOf: sequence)
                    index += length
                } else {
                    index += 1
                }
            }
        }
        flushText()
        pending.removeFirst(index)
        return keys
    }

    /// Called when no byte followed within the escape timeout: a lone `ESC` is the Esc key; the start of a
    /// sequence that never finished, or a cut UTF-8 character, is dropped. An open paste keeps waiting.
    mutating func flush() -> [Key] {
        guard pasted == nil, !pending.isEmpty else { return [] }
        defer { pending = [] }
        return pending == [0x1B] ? [.escape] : pending.first == 0x1B ? [.ignored] : []
    }

    /// The key of `ESC [ parameters final`; `.paste("")` marks the start of a bracketed paste.
    static func csi(_ parameters: String, final: UInt8) -> Key {
        switch final {
        case 0x41: return .up  // A
        case 0x42: return .down  // B
        case 0x43: return .right  // C
        case 0x44: return .left  // D
        case 0x48: return .home  // H
        case 0x46: return .end  // F
        case 0x5A: return .backTab  // Z
        case 0x7E:  // ~
            switch parameters {
            case "1", "7": return .home
            case "4", "8": return .end
            case "3": return .delete
            case "200": return .paste("")
            default: return .ignored
            }
        default: return .ignored
        }
    }

    /// The key of `ESC O final` (cursor keys in application mode).
    static func ss3(_ final: UInt8) -> Key {
        switch final {
        case 0x41: .up
        case 0x42: .down
        case 0x43: .right
        case 0x44: .left
        case 0x48: .home
        case 0x46: .end
        default: .ignored
        }
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard haystack.count - start >= needle.count else { return nil }
        for index in start...(haystack.count - needle.count) where haystack[index..<(index + needle.count)].elementsEqual(needle) {
            return index
        }
        return nil
    }
}
