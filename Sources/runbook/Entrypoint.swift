import RunbookCLI

@main
struct Entrypoint {
    static func main() async {
        await RunbookCommand.main()
    }
}
