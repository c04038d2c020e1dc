/// `runbook-bench [GROUP…]`: prints a table of the product's figures against references measured in the same run.
@main
struct Bench {
    static func main() {
        let groups = Array(CommandLine.arguments.dropFirst())
        let all: [(String, () -> [Row])] = [("yaml", yamlRows)]
        let unknown = groups.filter { name in !all.contains { $0.0 == name } }
        guard unknown.isEmpty else {
            print("runbook-bench: unknown group \(unknown.joined(separator: ", ")); groups: \(all.map(\.0).joined(separator: ", "))")
            return
        }
        var rows: [Row] = []
        for (name, run) in all where groups.isEmpty || groups.contains(name) {
            rows += run()
        }
        printTable(rows)
    }
}
