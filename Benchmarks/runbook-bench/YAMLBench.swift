import CYAML
import RunbookCore

/// A generated runbook of about `bytes` bytes, with Korean titles, commands and inputs.
func generatedRunbook(bytes: Int) -> String {
    var text = """
        runbook: big
        title: "대규모 런북 (Large runbook)"
        roles:
          oncall: { title: "운영팀 당직자 (on-call operator)" }
        escalation:
          tiers:
            - { notify: [oncall], after: 0m }
        initial: s0
        states:

        """
    var index = 0
    while text.utf8.count < bytes {
        text += """
              s\(index):
                title: "단계 \(index) (Stage \(index))"
                deadline: 15m
                steps:
                  - { id: check, title: "상태 확인 (Check the state)", note: "curl -I https://erp.duly.co.kr" }
                  - id: dump
                    title: "현재 상태 백업 (Dump the current state)"
                    run: "supabase db dump -f current_state_\(index).sql"
                    timeout: 5m
                  - id: choose
                    title: "심각도 판단 (Judge severity)"
                    input: { choices: [SEV1, SEV2, SEV3] }
                next: s\(index + 1)

            """
        index += 1
    }
    text += "  s\(index):\n    title: end\n    steps: []\n    resolves: true\n    end: true\n"
    return text
}

/// libyaml's own event parse of `bytes`, with no tree: the reference.
func libyamlEventCount(_ bytes: [UInt8]) -> Int {
    let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
    defer { parser.deallocate() }
    yaml_parser_initialize(parser)
    defer { yaml_parser_delete(parser) }
    var count = 0
    bytes.withUnsafeBufferPointer { buffer in
        guard let base = buffer.baseAddress else { return }
        yaml_parser_set_input_string(parser, base, buffer.count)
        var event = yaml_event_t()
        while yaml_parser_parse(parser, &event) == 1 {
            let done = event.type == YAML_STREAM_END_EVENT
            yaml_event_delete(&event)
            count += 1
            if done { break }
        }
    }
    return count
}

func yamlRows() -> [Row] {
    let text = generatedRunbook(bytes: 1_000_000)
    let bytes = Array(text.utf8)
    let megabytes = Double(bytes.count) / 1_000_000
    var sink = 0
    let reference = median(measure(runs: 15) { sink &+= libyamlEventCount(bytes) })
    let tree = median(measure(runs: 15) {
        var copy = bytes
        if let node = try? YAMLParser.parse(bytes: &copy), case .mapping(let pairs) = node.content { sink &+= pairs.count }
    })
    let decode = median(measure(runs: 5) {
        if case .success(let decoded) = RunbookLoader.load(text, file: "big.yaml") { sink &+= decoded.runbook.states.count }
    })
    if sink == 42 { print("") }
    let referenceRate = megabytes / reference
    let treeRate = megabytes / tree
    let ratio = treeRate / referenceRate
    return [
        Row(name: "YAML loader: tree of a \(format(megabytes, 2)) MB runbook", measured: "\(format(treeRate)) MB/s",
            reference: "libyaml event parse \(format(referenceRate)) MB/s", ratio: format(ratio, 2), target: ">= 0.50",
            pass: ratio >= 0.5),
        Row(name: "runbook decode + lint of the same file", measured: "\(format(megabytes / decode)) MB/s",
            reference: "libyaml event parse \(format(referenceRate)) MB/s", ratio: format(megabytes / decode / referenceRate, 2),
            target: "(info)", pass: nil),
    ]
}

/// A runbook whose `states:` is `depth` flow lists nested in each other.
func deeplyNestedRunbook(depth: Int) -> String {
    "runbook: deep\nstates: " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "\n"
}

/// libyaml's own event parse of `bytes`, stopped when collections nest `limit` levels deep: the part of
/// a deep file that any loader refusing at that depth has to read.
func libyamlEventsUntilDepth(_ bytes: [UInt8], limit: Int) -> Int {
    let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
    defer { parser.deallocate() }
    yaml_parser_initialize(parser)
    defer { yaml_parser_delete(parser) }
    var count = 0
    bytes.withUnsafeBufferPointer { buffer in
        guard let base = buffer.baseAddress else { return }
        yaml_parser_set_input_string(parser, base, buffer.count)
        var event = yaml_event_t()
        var depth = 0
        while yaml_parser_parse(parser, &event) == 1 {
            let type = event.type
            yaml_event_delete(&event)
            count += 1
            if type == YAML_SEQUENCE_START_EVENT || type == YAML_MAPPING_START_EVENT { depth += 1 }
            if type == YAML_SEQUENCE_END_EVENT || type == YAML_MAPPING_END_EVENT { depth -= 1 }
            if type == YAML_STREAM_END_EVENT || depth > limit { break }
        }
    }
    return count
}

/// Deep YAML is refused in linear time: the loader stops at the nesting limit as the events arrive.
///
/// libyaml itself slows quadratically on deep flow nesting (its simple-key bookkeeping walks every open
/// level on each token: about 0.3 s for a whole file 10 000 levels deep, 3.4 s at 30 000), so a file is
/// never parsed to its end; the reference is libyaml's own event parse of the same file up to the limit,
/// and a second row checks that ten times the depth costs at most twelve times the time.
func deepYAMLRows() -> [Row] {
    let deep = deeplyNestedRunbook(depth: 100_000)
    let deeper = deeplyNestedRunbook(depth: 1_000_000)
    let deepBytes = Array(deep.utf8)
    var sink = 0
    var refused = true
    func refuse(_ text: String) {
        if case .failure(let invalid) = RunbookLoader.load(text, file: "deep.yaml") {
            sink &+= invalid.diagnostics.count
        } else {
            refused = false
        }
    }
    let reference = median(measure(runs: 15) { sink &+= libyamlEventsUntilDepth(deepBytes, limit: YAMLParser.maximumDepth) })
    let refusal = median(measure(runs: 15) { refuse(deep) })
    let tenfold = median(measure(runs: 15) { refuse(deeper) })
    if sink == 42 { print("") }
    let ratio = refusal / reference
    let growth = tenfold / refusal
    return [
        Row(name: "YAML nested 100 000 levels: refused (lint)", measured: "\(format(refusal * 1000, 2)) ms",
            reference: "libyaml event parse to level 1000 \(format(reference * 1000, 2)) ms",
            ratio: format(ratio, 2), target: "<= 2.00", pass: refused && ratio <= 2),
        Row(name: "YAML nested 1 000 000 levels: refused (lint)", measured: "\(format(tenfold * 1000, 2)) ms",
            reference: "100 000 levels \(format(refusal * 1000, 2)) ms", ratio: format(growth, 2), target: "<= 12.00",
            pass: refused && growth <= 12),
    ]
}
