import RunbookCore
import RunbookRuntime

/// The screen of an interactive guided session: keeps the incident up to date (what fell due, pages to
/// deliver, others' actions), draws it with the messages, prompt and legend under it, and asks questions
/// in the line editor while the screen keeps refreshing.
final class InteractiveIO: GuidedIO {
    let terminal: GuidedTerminal
    let service: IncidentService
    let incidentID: String
    let tty: TTY
    /// The step the screen points at.
    var selected: String?
    /// The incident as last read.
    private(set) var snapshot: IncidentSnapshot?
    private var integrity: IntegrityVerdict?
    private var lastSequence: Int64 = -1
    /// Why the last refresh failed, shown until one succeeds.
    private var problem: String?
    /// Keys read but not yet acted on: typed ahead of the screen (`4a`), they select, act and answer a prompt in order.
    var typeAhead: [Key] = []
    /// How many lines of a command's output show under its step.
    static let outputTail = 3

    init(terminal: GuidedTerminal, service: IncidentService, incidentID: String, tty: TTY) {
        self.terminal = terminal
        self.service = service
        self.incidentID = incidentID
        self.tty = tty
    }

    /// The next refresh reads the incident again.
    func invalidate() {
        lastSequence = -1
    }

    /// Records what time has made due, delivers pages when no watcher holds the delivery claim, and
    /// re-reads the incident when its log grew (another responder's note shows within a second).
    func refresh() async {
        do {
            try service.bringUpToDate(incidentID)
            _ = try await service.deliverOwed(incidentID)
            if snapshot != nil, let summary = try? service.store.incident(incidentID), summary.lastSequence == lastSequence { return }
            let fresh = try service.snapshot(incidentID)
            snapshot = fresh
            lastSequence = fresh.state.lastSequence
            integrity = try? service.integrity(of: fresh)
            problem = nil
        } catch {
            problem = error.message
        }
    }

    /// The prompt line under the screen while a question is open.
    struct PromptLine {
        var label: String
        var editor: LineEditor?
    }

    /// Draws the incident, then `messages`, the prompt and the legend (or the prompt's keys) at the bottom.
    func draw(messages: [GuidedMessage], prompt: PromptLine?) {
        let width = TTY.columns
        let rows = GuidedTerminal.rows
        var bottom: [String] = []
        for message in messages {
            for line in GuidedLayout.wrap(message.text, width: width, indent: 2) {
                bottom.append(message.isError ? tty.paint(line, .red) : line)
            }
        }
        if let problem {
            bottom += GuidedLayout.wrap(TTY.inline(GuidedText.errorPrefix + problem), width: width, indent: 2).map { tty.paint($0, .red) }
        }
        var cursorRow: Int?
        var cursorColumn = 0
        if let prompt {
            if let editor = prompt.editor {
                // A long question (a destructive command to confirm, an input's choices) gets its own lines, whole:
                // what to type must never be the part that is cut. The editor line then starts with a marker.
                var label = prompt.label
                if TextWidth.of(label) > width / 2 {
                    bottom += GuidedLayout.wrap(label.trimmingTrailingSpaces, width: width, indent: 2).map { tty.paint($0, .bold) }
                    label = "› "
                }
                let shown = editor.display(prompt: label, width: width)
                cursorRow = bottom.count
                cursorColumn = shown.cursorColumn
                bottom.append(tty.paint(shown.line, .bold))
                bottom.append(tty.paint(TTY.fit(GuidedText.promptKeys, width: width), .dim))
            } else {
                bottom += GuidedLayout.wrap(prompt.label, width: width, indent: 2).map { tty.paint($0, .bold) }
                bottom.append(tty.paint(TTY.fit(GuidedText.confirmKeys, width: width), .dim))
            }
        } else {
            bottom += GuidedLayout.legend(width: width).map { tty.paint($0, .dim) }
        }
        var top: [String] = []
        if let snapshot {
            top = IncidentScreen.render(snapshot, now: service.now(for: snapshot.state), tty: tty, width: width, selected: selected,
                                        integrity: integrity, outputTail: Self.outputTail)
        }
        // The bottom (refusals, the prompt, the legend) always shows; the incident gives way, keeping its header.
        let room = max(min(top.count, 4), rows - bottom.count - 1)
        let cut = max(0, bottom.count + room + 1 - rows)
        bottom.removeFirst(min(cut, max(0, bottom.count - 1)))
        let lines = Array(top.prefix(room)) + [""] + bottom
        let offset = lines.count - bottom.count - cut
        terminal.draw(lines, width: width, cursor: cursorRow.map { (offset + $0, cursorColumn) })
    }

    func ask(_ prompt: GuidedPrompt) async -> String? {
        var editor = LineEditor()
        while true {
            var keys = typeAhead
            typeAhead = []
            if keys.isEmpty {
                await refresh()
                draw(messages: prompt.context, prompt: PromptLine(label: prompt.label, editor: prompt.kind == .line ? editor : nil))
                guard let read = terminal.readKeys(timeoutMilliseconds: 1000) else { continue }
                keys = read
            }
            switch prompt.kind {
            case .key:
                for (index, key) in keys.enumerated() {
                    typeAhead = Array(keys[(index + 1)...])
                    switch key {
                    case .text(let typed): return typed.lowercased().first == "y" ? "y" : "n"
                    case .escape, .control(0x03), .endOfInput: return nil
                    case .ignored: continue
                    default: return "n"
                    }
                }
                typeAhead = []
            case .line:
                for (index, key) in keys.enumerated() {
                    switch editor.apply(key) {
                    case .submitted(let text):
                        typeAhead = Array(keys[(index + 1)...])
                        return text
                    case .cancelled:
                        typeAhead = Array(keys[(index + 1)...])
                        return nil
                    case .editing: continue
                    }
                }
            }
        }
    }

    func willRun(_ message: String) {
        draw(messages: [GuidedMessage(text: message, isError: false)], prompt: nil)
        terminal.suspend()
    }

    func didRun() {
        terminal.enableRaw()
        invalidate()
    }
}
