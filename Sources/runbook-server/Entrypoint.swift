import RunbookCLI
import RunbookCore
import RunbookPostgres
import RunbookRuntime
import RunbookRemote
import RunbookServer

/// The team server's binary: every `runbook` command, with `serve` run in this process, and the HTTP client of a
/// command line working through a server (the `runbook` binary starts this one for both, so that no networking code
/// is linked into the local commands), and the PostgreSQL client of the commands given `--db postgres://…`.
@main
struct Entrypoint {
    static func main() async {
        RunbookCommand.serveHook.withLock { $0 = { settings in try await TeamServer.serve(settings) } }
        RunbookCommand.remoteHook.withLock { $0 = { address in HTTPTransport(address) } }
        PostgresClient.current.withLock {
            $0 = PostgresClient(openStore: { url, readOnly throws(StoreError) in try PostgresEventStore(url: url, readOnly: readOnly) },
                                openWatchLink: { url throws(StoreError) in try PostgresWatchLink(url: url) })
        }
        await RunbookCommand.main()
    }
}
