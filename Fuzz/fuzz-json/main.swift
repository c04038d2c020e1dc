// Fuzzes the JSON reader; what it accepts must survive a round trip through the writer unchanged.
import FuzzSupport
import RunbookCore

runFuzzer { data, size in
    let text = String(decoding: fuzzInput(data, size), as: UTF8.self)
    guard let value = try? JSONValue(parsing: text) else { return 0 }
    let written = value.text
    do throws(JSONParseError) {
        let reread = try JSONValue(parsing: written)
        guard reread == value else { fuzzFailure("round trip changed the value: \(written)") }
    } catch {
        fuzzFailure("the writer's output is refused (\(error.message) at \(error.offset)): \(written)")
    }
    return 0
}
