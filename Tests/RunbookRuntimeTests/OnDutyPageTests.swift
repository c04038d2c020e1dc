import RunbookCore
import RunbookRuntime
import Testing

/// A page to a role with a rotation names the person on duty (SPEC §3.2); zones carry their abbreviations.
@Suite struct OnDutyPageTests {
    static let duty = Rotation.OnDuty(person: "lee", shift: "night", override: nil,
                                      until: Instant(milliseconds: 0), next: "kim")

    @Test func thePageNamesThePersonOnDuty() {
        var message = NotificationFixtures.message
        message.role = "oncall"
        message.tier = 1
        message.onDuty = Self.duty
        #expect(message.text.contains("Paged:     oncall (lee, night shift) (tier 1, round 1)"), "\(message.text)")
        #expect(message.text(in: .korean).contains("oncall (lee, night 근무) (1차, 1회차)"), "\(message.text(in: .korean))")
        message.onDuty = Rotation.OnDuty(person: "choi", shift: nil,
                                         override: Rotation.Cover(person: "choi", start: Instant(milliseconds: 0), end: Instant(milliseconds: 1),
                                                                  reason: "holiday cover"),
                                         until: Instant(milliseconds: 1), next: nil)
        #expect(message.pagedRole(in: .english) == "oncall (choi, override: holiday cover)")
    }

    @Test func zoneFilesGiveTheirAbbreviations() throws {
        let seoul = try #require(TimeZones.info(named: "Asia/Seoul"))
        #expect(seoul.labels == [9 * 3600: "KST"])
        let berlin = try #require(TimeZones.info(named: "Europe/Berlin"))
        #expect(berlin.labels == [3600: "CET", 7200: "CEST"])
        #expect(TimeZones.info(named: "Asia/Seol") == nil)
        let summer = try #require(Instant(iso8601: "2026-07-01T10:00:00Z"))
        #expect(berlin.rules.describe(summer, labels: berlin.labels) == "Wed 2026-07-01 12:00 CEST")
        #expect(TimeZoneRules.utc.describe(summer, labels: [:]) == "Wed 2026-07-01 10:00 UTC")
        let kolkata = try #require(TimeZones.info(named: "Asia/Kolkata"))
        #expect(kolkata.rules.describe(summer, labels: kolkata.labels) == "Wed 2026-07-01 15:30 IST")
    }
}
