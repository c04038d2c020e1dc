import Foundation
import RunbookCore
import Testing

/// The README's table of shipped runbooks is the team's map from the manual to the files: it must list every
/// runbook in `runbooks/`, no other, with its kind and only sections its `source:` names.
@Suite struct ReadmeRunbookTableTests {
    struct Row: Equatable {
        var id: String, kind: String, sections: [String]
    }

    static func rows() throws -> [Row] {
        let readme = try String(contentsOfFile: "\(repositoryRoot)/README.md", encoding: .utf8)
        return readme.split(separator: "\n").compactMap { line -> Row? in
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 5, cells[1].hasPrefix("`"), cells[1].hasSuffix("`"), ["incident", "checklist"].contains(cells[2]) else { return nil }
            let sections = cells[3].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            return Row(id: String(cells[1].dropFirst().dropLast()), kind: cells[2], sections: sections)
        }
    }

    /// The runbook files in `runbooks/` (the roster, contacts and calendar are not runbooks).
    static func runbookFiles() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: "\(repositoryRoot)/runbooks")
            .filter { $0.hasSuffix(".yaml") && !["contacts.yaml", "roster.yaml", "calendar.yaml", "alerts.yaml"].contains($0) }
            .map { String($0.dropLast(5)) }.sorted()
    }

    @Test func everyRunbookIsInTheTableAndNothingElse() throws {
        let rows = try Self.rows()
        #expect(rows.map(\.id).sorted() == (try Self.runbookFiles()))
        #expect(Set(rows.map(\.id)).count == rows.count, "a runbook listed twice")
    }

    @Test func kindsAndSectionsAgreeWithTheFiles() throws {
        for row in try Self.rows() {
            let (text, runbook) = try shippedRunbook(row.id)
            let kind = text.split(separator: "\n").contains("kind: checklist") ? "checklist" : "incident"
            #expect(row.kind == kind, "\(row.id): the README says \(row.kind), the file is \(kind)")
            let source = try #require(runbook.source, "\(row.id) has no source:")
            #expect(!row.sections.isEmpty)
            for section in row.sections {
                #expect(section.hasPrefix("§"), "\(row.id): \(section) is not a manual section")
                // "§4.3" must appear in the source as a whole section number (not as the start of §4.31).
                let found = source.ranges(of: section).contains { range in
                    range.upperBound == source.endIndex || !(source[range.upperBound].isNumber || source[range.upperBound] == ".")
                        || (source[range.upperBound] == "." && source.index(after: range.upperBound) < source.endIndex
                            && !source[source.index(after: range.upperBound)].isNumber)
                }
                #expect(found, "\(row.id): the README names \(section), its source does not: \(source)")
            }
        }
    }
}
