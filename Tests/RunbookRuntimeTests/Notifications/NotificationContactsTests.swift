import RunbookCore
import RunbookRuntime
import Testing

@Suite struct NotificationContactsTests {
    @Test func shippedContactsFileParses() throws {
        let root = NotificationFixtures.repositoryRoot
        let contacts = try Contacts.load(directory: "\(root)/runbooks")

        #expect(contacts.contacts.keys.sorted() == ["cto", "dba", "manager", "oncall", "security"])
        #expect(contacts.contacts["oncall"] == Contacts.Contact(
            role: "oncall", title: "1차 대응: 운영팀 당직자 (on-call operator)", phone: "010-xxxx-xxxx",
            channels: [.file(path: "\(root)/notifications.log")]))
        #expect(contacts.channels(for: "cto") == [.file(path: "\(root)/notifications.log")])
        #expect(contacts.channels(for: "legal") == [])
    }

    @Test func relativeFilePathsAreResolvedAgainstTheParentOfTheRunbooksFolder() throws {
        let text = """
            contacts:
              oncall:
                title: On call
                channels:
                  - { file: "notifications.log" }
                  - { file: "/var/log/runbook.log" }
            """
        let cases: [(base: String, expected: String)] = [
            (".", "notifications.log"),
            ("/srv/ops", "/srv/ops/notifications.log"),
            ("/", "/notifications.log"),
        ]
        for (base, expected) in cases {
            let contacts = try Contacts.parse(text, file: "contacts.yaml", baseDirectory: base)
            #expect(contacts.channels(for: "oncall") == [.file(path: expected), .file(path: "/var/log/runbook.log")])
        }
    }

    @Test func everyChannelKindWithDefaultAndExplicitTimeouts() throws {
        let text = """
            contacts:
              oncall:
                title: "1차 대응"
                channels:
                  - { command: "mail -s \\"$RUNBOOK_SUBJECT\\" oncall@example.com" }
                  - { command: "sms-send", timeout: 1m30s }
                  - { webhook: "https://hooks.example.com/services/T0/B0/x" }
                  - { webhook: "http://127.0.0.1:8080/hook", timeout: 3s }
                  - { stdout: true }
              cto:
                title: CTO
                channels: []
            external:
              - { name: "Vendor Support", email: "support@example.com" }
            """
        let contacts = try Contacts.parse(text, file: "contacts.yaml", baseDirectory: ".")

        #expect(contacts == Contacts(contacts: [
            "oncall": Contacts.Contact(role: "oncall", title: "1차 대응", phone: nil, channels: [
                .command(#"mail -s "$RUNBOOK_SUBJECT" oncall@example.com"#, timeout: .seconds(30)),
                .command("sms-send", timeout: .seconds(90)),
                .webhook(url: "https://hooks.example.com/services/T0/B0/x", timeout: .seconds(10)),
                .webhook(url: "http://127.0.0.1:8080/hook", timeout: .seconds(3)),
                .stdout,
            ]),
            "cto": Contacts.Contact(role: "cto", title: "CTO", phone: nil, channels: []),
        ]))
    }

    @Test func missingFileGivesEmptyContacts() throws {
        let directory = try TemporaryDirectory()
        #expect(try Contacts.load(directory: directory.path) == Contacts())
    }

    @Test(arguments: ["", "# nothing yet\n", "contacts:\n", "external:\n  - { name: Vendor }\n"])
    func emptyFilesGiveEmptyContacts(_ text: String) throws {
        #expect(try Contacts.parse(text, file: "contacts.yaml", baseDirectory: ".") == Contacts())
    }

    /// A contacts file whose first channel (line 5, from column 9) is `channel`.
    static func file(channel: String) -> String {
        """
        contacts:
          oncall:
            title: "On call"
            channels:
              - \(channel)
        """
    }

    static let errorCases: [(text: String, message: String)] = [
        (file(channel: #"{ file: "n.log", tiemout: 5s }"#),
         "contacts.yaml:5:26: error: contacts.oncall.channels[0].tiemout: unknown key `tiemout`; did you mean `timeout`?"),
        (file(channel: #"{ fiel: "n.log" }"#),
         "contacts.yaml:5:11: error: contacts.oncall.channels[0].fiel: unknown key `fiel`; did you mean `file`?"),
        (file(channel: #"{ command: "mail ops", timeout: soon }"#),
         #"contacts.yaml:5:41: error: contacts.oncall.channels[0].timeout: expected a duration like "30s", "1m" or "1m30s", found "soon""#),
        (file(channel: #"{ webhook: "https://h.example.com/x", timeout: 0s }"#),
         #"contacts.yaml:5:56: error: contacts.oncall.channels[0].timeout: expected a duration of at least 1s, found "0s""#),
        (file(channel: #"{ file: "n.log", command: "mail ops" }"#),
         "contacts.yaml:5:26: error: contacts.oncall.channels[0]: a channel has one kind, found both `file` and `command`; write each as its own list item"),
        (file(channel: "{ timeout: 5s }"),
         "contacts.yaml:5:9: error: contacts.oncall.channels[0]: expected one of `file`, `command`, `webhook` or `stdout`"),
        (file(channel: #"{ file: "n.log", timeout: 5s }"#),
         "contacts.yaml:5:26: error: contacts.oncall.channels[0].timeout: `timeout` applies only to `command` and `webhook` channels, not to `file`"),
        (file(channel: #"{ webhook: "ftp://files.example.com/drop" }"#),
         "contacts.yaml:5:20: error: contacts.oncall.channels[0].webhook: expected an http:// or https:// URL with a host"),
        (file(channel: "{ stdout: false }"),
         #"contacts.yaml:5:19: error: contacts.oncall.channels[0].stdout: expected `true` (write `stdout: true`), found a boolean "false""#),
        (file(channel: #"{ command: "" }"#),
         "contacts.yaml:5:20: error: contacts.oncall.channels[0].command: expected a non-empty string"),
        (file(channel: #""notifications.log""#),
         #"contacts.yaml:5:9: error: contacts.oncall.channels[0]: expected a channel like `{ file: notifications.log }` with one of `file`, `command`, `webhook` or `stdout`, found a string "notifications.log""#),
        ("contacts:\n  oncall:\n    title: On call\n    channels: notifications.log\n",
         #"contacts.yaml:4:15: error: contacts.oncall.channels: expected a list of channels like `- { file: notifications.log }`, found a string "notifications.log""#),
        ("contacts:\n  oncall:\n    title: On call\n    phnoe: \"010\"\n    channels: []\n",
         "contacts.yaml:4:5: error: contacts.oncall.phnoe: unknown key `phnoe`; did you mean `phone`?"),
        ("contacts:\n  oncall:\n    title: [On, call]\n    channels: []\n",
         "contacts.yaml:3:12: error: contacts.oncall.title: expected a string, found a list"),
        ("contacts:\n  oncall:\n    channels: []\n",
         "contacts.yaml:3:5: error: contacts.oncall: missing required key `title`"),
        ("contacts:\n  oncall: on call\n",
         #"contacts.yaml:2:11: error: contacts.oncall: expected a mapping with `title` and `channels`, found a string "on call""#),
        ("contact:\n  oncall: {}\n",
         "contacts.yaml:1:1: error: contact: unknown key `contact`; did you mean `contacts`?"),
        ("- oncall\n",
         "contacts.yaml:1:1: error: expected a mapping with `contacts:` (roles and their channels), found a list"),
        ("contacts:\n  oncall: {\n",
         "contacts.yaml:3:1: error: did not find expected node content (while parsing a flow node started at line 3, column 1)"),
    ]

    @Test(arguments: errorCases)
    func invalidFilesAreRefusedWithPositionAndPath(_ text: String, _ message: String) {
        #expect(throws: UserError(.data, message)) {
            try Contacts.parse(text, file: "contacts.yaml", baseDirectory: ".")
        }
    }

    @Test func loadReportsTheFilePathInErrors() throws {
        let directory = try TemporaryDirectory()
        try "contacts:\n  oncall:\n    titel: x\n".write(toFile: directory.path("contacts.yaml"))
        #expect(throws: UserError(.data,
            "\(directory.path)/contacts.yaml:3:5: error: contacts.oncall.titel: unknown key `titel`; did you mean `title`?")) {
            try Contacts.load(directory: directory.path)
        }
    }
}

extension String {
    /// Writes the text to `path`, for test fixtures.
    fileprivate func write(toFile path: String) throws {
        try FileIO.write(self, to: path)
    }

    @Test func aFileNested100000LevelsDeepIsRefused() {
        let depth = 100_000
        let text = "contacts:\n  oncall:\n    channels: " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "\n"
        let message = "contacts.yaml:3:1012: error: collections nested more than 1000 levels deep; this file needs far fewer (is it generated, or damaged?)"
        #expect(throws: UserError(.data, message)) { try Contacts.parse(text, file: "contacts.yaml", baseDirectory: ".") }
    }
}
