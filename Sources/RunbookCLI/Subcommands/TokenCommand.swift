import ArgumentParser
import RunbookCore
import RunbookRuntime

extension RunbookCommand {
    struct TokenCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "token",
            abstract: "Create, list and revoke the team server's bearer tokens.",
            discussion: """
                Every request to `runbook serve` carries a token (Authorization: Bearer TOKEN). A token acts as one \
                person of roster.yaml: what that person may do in an incident (approve, break the glass) is decided \
                by the roster frozen into the incident, exactly as for a login on this host; the token's id is \
                recorded on every event where a login would be. The database keeps only each token's SHA-256: the \
                secret is printed once, by `create`.

                  runbook token create kim        # give the printed secret to kim
                  runbook token list
                  runbook token revoke 3f9a1c2e   # refused from the server's next request
                """,
            subcommands: [Create.self, List.self, Revoke.self])

        struct Create: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "create", abstract: "Make a token for a roster person and print its secret once.")

            @OptionGroup var global: GlobalOptions

            @Argument(help: "The person of roster.yaml the token acts as.")
            var person: String

            func run() async throws {
                let workspace = Workspace(global: global)
                let rosterPath = "\(global.runbooksPath)/roster.yaml"
                // Refused before the database is opened: a refused token creates no database (or PostgreSQL schema).
                if try workspace.serverAddress() == nil {
                    try Tokens.requireRosterPerson(person, roster: try workspace.team().roster, rosterPath: rosterPath)
                }
                let service = try workspace.service(create: true, localOnly: "runbook token", postgres: true)
                let tokens = try Tokens(service)
                let (token, secret) = try tokens.create(person: person, roster: service.team.roster,
                                                        rosterPath: rosterPath,
                                                        by: service.login, now: service.clock.now())
                err(Message.server(.tokenCreated(id: token.id, person: token.person)).text())
                out(secret)
                err(Message.server(.tokenShownOnce).text())
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(commandName: "list", abstract: "List the tokens (never their secrets).")

            @OptionGroup var global: GlobalOptions

            @Flag(help: "Print JSON.")
            var json = false

            func run() async throws {
                let service = try Workspace(global: global).service(readOnly: true, localOnly: "runbook token", postgres: true)
                let all = try Tokens(service).list()
                if json {
                    out(JSONValue.array(all.map { token in
                        .object([("id", .string(token.id)), ("person", .string(token.person)),
                                 ("created_at", .string(token.createdAt.iso8601)), ("created_by", .string(token.createdBy)),
                                 ("revoked_at", .optional(token.revokedAt?.iso8601)), ("revoked_by", .optional(token.revokedBy))])
                    }).prettyText)
                    return
                }
                guard !all.isEmpty else {
                    out(Message.server(.noTokens).text())
                    return
                }
                var rows = [["ID", "PERSON", "CREATED", "BY", "REVOKED"]]
                for token in all {
                    rows.append([token.id, TTY.inline(token.person), LocalTime.full(token.createdAt), TTY.inline(token.createdBy),
                                 token.revokedAt.map { "\(LocalTime.full($0)) (\(TTY.inline(token.revokedBy ?? "-")))" } ?? "-"])
                }
                for line in Table.render(rows) { out(line) }
            }
        }

        struct Revoke: AsyncParsableCommand {
            static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke a token by its id.")

            @OptionGroup var global: GlobalOptions

            @Argument(help: "The token's id (see `runbook token list`).")
            var id: String

            func run() async throws {
                let service = try Workspace(global: global).service(localOnly: "runbook token", postgres: true)
                try Tokens(service).revoke(id: id, by: service.login, now: service.clock.now())
                out(Message.server(.tokenRevoked(id: id)).text())
            }
        }
    }
}
