import Foundation
import RunbookRuntime
import Testing

@Suite struct RosterTests {
    @Test func bothFormsParse() throws {
        let roster = try Roster.parse("""
            roster:
              kim:  [oncall]
              lee:  dba
              choi: { roles: [manager], logins: [choi] }
              cto:
                roles: [cto, manager]
                logins: [cto, jhpark]
              guest: { roles: [] }
            """, file: "roster.yaml")

        #expect(roster.roles == ["kim": ["oncall"], "lee": ["dba"], "choi": ["manager"], "cto": ["cto", "manager"], "guest": []])
        #expect(roster.logins(of: "choi") == ["choi"])
        #expect(roster.logins(of: "cto") == ["cto", "jhpark"])
        #expect(roster.logins(of: "kim") == nil, "a list of roles binds no login")
        #expect(roster.logins(of: "guest") == nil)
        #expect(roster.logins(of: "nobody") == nil)
        #expect(roster.roles(of: "nobody") == [])
    }

    @Test func anEmptyLoginListBindsNoOne() throws {
        let roster = try Roster.parse("roster:\n  choi: { roles: [manager], logins: [] }\n", file: "roster.yaml")
        #expect(roster.logins(of: "choi") == nil)
        #expect(roster.roles(of: "choi") == ["manager"])
    }

    @Test func theShippedRosterParsesWithItsPeopleAndRoles() throws {
        let roster = try Roster.load(directory: "\(NotificationFixtures.repositoryRoot)/runbooks")
        #expect(roster.roles == ["kim": ["oncall"], "lee": ["oncall", "dba"], "park": ["oncall", "security"], "choi": ["manager"],
                                 "cto": ["cto"]])
    }

    @Test func theShippedRostersCommentedBindingsParseWhenUncommented() throws {
        let text = try String(contentsOfFile: "\(NotificationFixtures.repositoryRoot)/runbooks/roster.yaml", encoding: .utf8)
        let bound = text.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("  choi: [") && !$0.hasPrefix("  cto:  [") }
            .map { $0.hasPrefix("  # choi:") || $0.hasPrefix("  # cto:") ? "  " + $0.dropFirst(4) : String($0) }
            .joined(separator: "\n")

        let roster = try Roster.parse(bound, file: "roster.yaml")

        #expect(roster.roles(of: "choi") == ["manager"])
        #expect(roster.logins(of: "choi") == ["choi"])
        #expect(roster.logins(of: "cto") == ["cto", "jhpark"])
        #expect(roster.logins(of: "kim") == nil)
    }

    @Test(arguments: [
        ("roster:\n  choi: { roles: [manager], login: [choi] }\n",
         "roster.yaml:2:29: error: roster.choi.login: unknown key `login`; did you mean `logins`?"),
        ("roster:\n  choi: { roels: [manager] }\n",
         "roster.yaml:2:11: error: roster.choi.roels: unknown key `roels`; did you mean `roles`?"),
        ("roster:\n  choi: { logins: [choi] }\n",
         "roster.yaml:2:9: error: roster.choi: missing required key `roles` (write `roles: []` for a person without roles)"),
        ("roster:\n  choi: { roles: [manager], logins: { name: choi } }\n",
         "roster.yaml:2:37: error: roster.choi.logins: expected a list of logins like `[choi]`, found a mapping"),
        ("roster:\n  choi: { roles: [manager], logins: [choi, [x]] }\n",
         "roster.yaml:2:44: error: roster.choi.logins[1]: expected a name, found a list"),
        ("roster:\n  choi: { roles: [manager], logins: [\"choi park\"] }\n",
         "roster.yaml:2:37: error: roster.choi.logins: `choi park` is not a login name"),
        ("roster:\n  choi: { roles: [manager], roles: [cto] }\n",
         "roster.yaml:2:29: error: duplicate key `roles` (first at line 2)"),
        ("roster:\n  kim: [oncall]\n  kim: [dba]\n",
         "roster.yaml:3:3: error: duplicate key `kim` (first at line 2)"),
        ("roster:\n  kim: { roles: { a: b } }\n",
         "roster.yaml:2:17: error: roster.kim.roles: expected a role or a list of roles, found a mapping"),
        ("people:\n  kim: [oncall]\n",
         "roster.yaml:1:1: error: expected `roster:` with a mapping of user names to lists of roles"),
        ("roster: [kim]\n",
         "roster.yaml:1:9: error: roster: expected a mapping of user names to lists of roles, found a list"),
        ("roster:\n  \"kim\\e[31m\": [oncall]\n",
         "roster.yaml:2:3: error: roster: \"kim\\e[31m\": a name may not contain control characters; found \\e (U+001B)"),
        ("roster:\n  kim: [\"on\\u202Ecall\"]\n",
         "roster.yaml:2:9: error: roster.kim[0]: a name may not contain control characters; found \\u{202E} (U+202E)"),
        ("roster:\n  choi: { roles: [manager]\n",
         "roster.yaml:3:1: error: did not find expected ',' or '}' (while parsing a flow mapping started at line 2, column 9)"),
    ])
    func errorsSayWhereAndWhat(text: String, message: String) {
        #expect(throws: UserError(.data, message)) { try Roster.parse(text, file: "roster.yaml") }
    }

    @Test func aFileNested100000LevelsDeepIsRefused() {
        let depth = 100_000
        let text = "roster:\n  kim: " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "\n"
        let message = "roster.yaml:2:1006: error: collections nested more than 1000 levels deep; this file needs far fewer (is it generated, or damaged?)"
        #expect(throws: UserError(.data, message)) { try Roster.parse(text, file: "roster.yaml") }
    }
}
