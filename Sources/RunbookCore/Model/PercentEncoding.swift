/// Percent-encoding for URL path segments, query values and form fields (RFC 3986): the team server's routes and web
/// forms, and the command line that calls them.
public enum PercentEncoding {
    /// `text` with every byte outside the unreserved set (letters, digits, `-._~`) percent-encoded.
    public static func encode(_ text: String) -> String {
        let digits = Array("0123456789ABCDEF".unicodeScalars)
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x2D, 0x2E, 0x5F, 0x7E: out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out.unicodeScalars.append("%")
                out.unicodeScalars.append(digits[Int(byte >> 4)])
                out.unicodeScalars.append(digits[Int(byte & 0x0f)])
            }
        }
        return out
    }

    /// Percent-decoding, with `+` as a space where `plusIsSpace` (a form, not a path segment); a malformed escape stays
    /// as written.
    public static func decode(_ text: Substring, plusIsSpace: Bool) -> String {
        var bytes: [UInt8] = []
        let source = Array(text.utf8)
        var index = 0
        func hex(_ byte: UInt8) -> UInt8? {
            switch byte {
            case 0x30...0x39: byte - 0x30
            case 0x41...0x46: byte - 0x41 + 10
            case 0x61...0x66: byte - 0x61 + 10
            default: nil
            }
        }
        while index < source.count {
            let byte = source[index]
            if byte == 0x2B, plusIsSpace {
                bytes.append(0x20)
            } else if byte == 0x25, index + 2 < source.count, let high = hex(source[index + 1]), let low = hex(source[index + 2]) {
                bytes.append(high << 4 | low)
                index += 2
            } else {
                bytes.append(byte)
            }
            index += 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
