import RunbookCore

/// A bounded capture of one output stream: its first and last `cap` bytes, its size and its SHA-256.
///
/// Memory stays at about `2 * cap` bytes however much the command writes: bytes past the head go into a
/// ring buffer that keeps only the most recent `cap` of them.
struct OutputCapture {
    /// The most bytes kept for the head, and separately for the tail.
    let cap: Int
    private var head: [UInt8] = []
    /// The bytes after the head, oldest first once rotated by `ringStart`; at most `cap` of them.
    private var ring: [UInt8] = []
    /// Where the oldest byte of a full ring is.
    private var ringStart = 0
    private var totalBytes: Int64 = 0
    private var hasher = StreamingSHA256()

    init(cap: Int) {
        self.cap = max(0, cap)
    }

    /// Adds the next chunk of the stream.
    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else { return }
        hasher.update(bytes)
        totalBytes += Int64(bytes.count)
        var rest = bytes[...]
        if head.count < cap {
            let taken = min(cap - head.count, rest.count)
            head.append(contentsOf: rest.prefix(taken))
            rest = rest.dropFirst(taken)
        }
        guard !rest.isEmpty, cap > 0 else { return }
        if rest.count >= cap {
            // The chunk alone fills the tail: whatever the ring held is superseded.
            ring = Array(rest.suffix(cap))
            ringStart = 0
            return
        }
        if ring.count < cap {
            let taken = min(cap - ring.count, rest.count)
            ring.append(contentsOf: rest.prefix(taken))
            rest = rest.dropFirst(taken)
        }
        // The ring is full: overwrite its oldest bytes, in at most two runs (before and after wrapping).
        while !rest.isEmpty {
            let taken = min(cap - ringStart, rest.count)
            ring.replaceSubrange(ringStart..<(ringStart + taken), with: rest.prefix(taken))
            ringStart = (ringStart + taken) % cap
            rest = rest.dropFirst(taken)
        }
    }

    /// The captured head and tail as text, with the total size and digest of the whole stream.
    ///
    /// Text is decoded as lossy UTF-8 (invalid bytes become U+FFFD). A character cut by the head's end is
    /// moved to the tail when head and tail are contiguous and the tail has room, and dropped otherwise;
    /// continuation bytes cut off from their character at the tail's start are dropped. So neither part
    /// ever ends or starts with a torn character, and dropped bytes show in `CapturedOutput.truncated`.
    func finish() -> CapturedOutput {
        let digest = hasher.finalizeHex()
        guard totalBytes > Int64(head.count) else {
            return CapturedOutput(head: String(decoding: head, as: UTF8.self), tail: "", totalBytes: totalBytes,
                                  sha256: digest)
        }
        let tail = Array(ring[ringStart...] + ring[..<ringStart])
        let headEnd = UTF8Boundary.completePrefixLength(of: head)
        let carried = head[headEnd...]
        let contiguous = totalBytes == Int64(head.count + tail.count)
        let tailBytes: ArraySlice<UInt8>
        if contiguous && carried.count + tail.count <= cap {
            tailBytes = ArraySlice(carried + tail)
        } else {
            tailBytes = tail.dropFirst(UTF8Boundary.leadingContinuationCount(of: tail))
        }
        return CapturedOutput(head: String(decoding: head[..<headEnd], as: UTF8.self),
                              tail: String(decoding: tailBytes, as: UTF8.self),
                              totalBytes: totalBytes, sha256: digest)
    }
}

/// Where UTF-8 characters start and end in a run of bytes cut from a longer stream.
enum UTF8Boundary {
    /// The length of `bytes` without a trailing character whose last bytes are missing.
    ///
    /// Bytes that are invalid for other reasons are left alone (lossy decoding replaces them).
    static func completePrefixLength(of all: [UInt8]) -> Int {
        var index = all.count
        var continuations = 0
        while index > 0 {
            index -= 1
            let byte = all[index]
            if byte & 0xC0 == 0x80 {
                continuations += 1
                if continuations > 3 { return all.count }
                continue
            }
            let needed: Int
            switch byte {
            case 0xC0...0xDF: needed = 2
            case 0xE0...0xEF: needed = 3
            case 0xF0...0xF7: needed = 4
            default: needed = 1
            }
            return continuations + 1 < needed ? index : all.count
        }
        return all.count
    }

    /// How many continuation bytes (at most three) open `bytes`, the rest of a character cut off before it.
    static func leadingContinuationCount(of bytes: [UInt8]) -> Int {
        bytes.prefix(3).prefix { $0 & 0xC0 == 0x80 }.count
    }
}
