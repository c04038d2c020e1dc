import ArgumentParser
import RunbookCore
import RunbookRuntime
#if canImport(Glibc)
import Glibc
#endif

/// Options every subcommand accepts.
struct GlobalOptions: ParsableArguments {
    @Option(name: .customLong("db"), help: ArgumentHelp("The incident database.", discussion: "Default: $RUNBOOK_DB, else the team directory's (runbook init), else ./incidents.db. serve, export, import, verify, token and stats also take a PostgreSQL URL (postgres://USER@HOST/DB).", valueName: "path"))
    var database: String?

    @Option(name: .customLong("runbooks"), help: ArgumentHelp("The runbooks folder.", discussion: "Default: $RUNBOOK_PATH, else the team directory's (runbook init), else ./runbooks", valueName: "dir"))
    var runbooksDirectory: String?

    @Option(name: .customLong("server"), help: ArgumentHelp(
        "Work through a team server instead of a local database (with RUNBOOK_TOKEN).",
        discussion: "Default: $RUNBOOK_SERVER; unset, the local database. Command steps then run on the server's host.", valueName: "url"))
    var server: String?

    @Option(help: ArgumentHelp("Colour output: auto, always or never (auto honours NO_COLOR and is off when not a terminal).", valueName: "when"))
    var color: ColorMode = .auto

    var databasePath: String {
        database ?? environment("RUNBOOK_DB") ?? "incidents.db"
    }

    /// The database as messages name it: a PostgreSQL URL without its password.
    var databaseName: String {
        PostgresLocation.display(databasePath)
    }

    var runbooksPath: String {
        runbooksDirectory ?? environment("RUNBOOK_PATH") ?? "runbooks"
    }

    var tty: TTY { TTY(mode: color) }
}

/// The value of an environment variable, nil when unset or empty.
func environment(_ name: String) -> String? {
    environmentValue(name)
}
