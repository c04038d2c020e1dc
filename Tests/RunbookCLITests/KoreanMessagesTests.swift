import Foundation
import RunbookTestSupport
import Testing

/// Messages follow the locale (SPEC §7): Korean when LC_ALL, else LC_MESSAGES, else LANG starts with `ko`.
@Suite struct KoreanMessagesTests {
    /// The gated restore runbook at a fixed time, with the locale given.
    func withLocale(_ locale: [String: String], _ body: (CLIRunner, String) throws -> Void) throws {
        try withWorkspace { base, directory in
            try gatedRestore.write(toFile: "\(directory)/runbooks/gated-restore.yaml", atomically: true, encoding: .utf8)
            var cli = base
            cli.environment["RUNBOOK_NOW"] = "2026-11-26T01:00:00Z"
            for (key, value) in locale { cli.environment[key] = value }
            try body(cli, directory)
        }
    }

    @Test func refusalsErrorsAndTimelineInKorean() throws {
        try withLocale(["LANG": "ko_KR.UTF-8"]) { cli, _ in
            #expect(try cli.run(["start", "gated-restore", "--as", "kim"]).stdout == "INC-20261126-0001\n")
            let id = "INC-20261126-0001"

            let refused = try cli.run(["approve", id, "approve-reset", "--as", "kim"])
            #expect(refused.status == 1)
            #expect(refused.stderr == "runbook: error: kim 님은 운영 매니저 (manager) 역할이 아닙니다. `approve-reset` 승인을 내줄 수 있는 "
                    + "사람은 운영 매니저 (manager): choi뿐입니다 (당직 명단에 있는 사람은 누구나 --break-glass --reason TEXT로 "
                    + "긴급 우회할 수 있습니다)\n")

            let waiting = try cli.run(["run", id, "reset", "--confirm", "reset", "--as", "kim"])
            #expect(waiting.status == 1)
            #expect(waiting.stderr == "runbook: error: `reset` 작업은 다음을 기다리고 있습니다: `approve-reset` 승인 — 운영 매니저 (manager): "
                    + "choi. 그때까지 실행할 수 없습니다 (메모를 남기고 건너뛰거나 실패 처리할 수는 있습니다)\n")

            let unknown = try cli.run(["status", "INC-20261126-0009"])
            #expect(unknown.status == 64)
            #expect(unknown.stderr == "runbook: error: 이 데이터베이스에 장애 INC-20261126-0009이(가) 없습니다. "
                    + "INC-20261126-0001을(를) 뜻했나요? 진행 중인 장애는 `runbook status`로 볼 수 있습니다\n")

            let timeline = try cli.run(["timeline", id])
            #expect(timeline.status == 0)
            let lines = timeline.stdout.split(separator: "\n").map(String.init)
            #expect(lines.first?.contains("kim  장애 등록, 런북 gated-restore (SEV") == true, "\(lines)")
            #expect(lines.first?.hasSuffix("): 복구 (Gated restore)") == true, "\(lines)")
            #expect(lines.contains { $0.contains("kim  승인 거부: `approve-reset`") })
            #expect(lines.contains { $0.contains("  단계 진입: `restore`") })

            let listing = try cli.run(["status"])
            #expect(listing.stdout.hasPrefix("ID                 런북           심각도  상태     단계"))
            #expect(listing.stdout.contains("진행 중"))
        }
    }

    @Test func tamperingIsToldInKorean() throws {
        try withLocale(["LANG": "ko_KR.UTF-8"]) { cli, directory in
            let id = try cli.run(["start", "gated-restore", "--as", "kim"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(try cli.run(["note", id, "정상", "--as", "kim"]).status == 0)
            let database = "\(directory)/incidents.db"
            _ = try sqlite(database, "DROP TRIGGER events_refuse_update; DROP TRIGGER events_refuse_delete;")
            _ = try sqlite(database, "UPDATE events SET data = replace(data, '정상', '비정상') WHERE type = 'note.added'")
            let verify = try cli.run(["verify", id])
            #expect(verify.status == 1)
            #expect(verify.stderr.contains("번 이벤트에서 해시 체인이 끊김"), "\(verify.stderr)")
            #expect(verify.stderr.contains("추가 전용 보호 장치"), "\(verify.stderr)")
            let status = try cli.run(["status", id])
            #expect(status.stdout.contains("부터 로그 손상"), "\(status.stdout)")
            var english = cli
            english.environment["LANG"] = "C.UTF-8"
            #expect(try english.run(["verify", id]).stderr.contains("was altered after it was recorded"))
        }
    }

    @Test func lcAllCOverridesAKoreanLang() throws {
        try withLocale(["LANG": "ko_KR.UTF-8", "LC_ALL": "C"]) { cli, _ in
            #expect(try cli.run(["start", "gated-restore", "--as", "kim"]).status == 0)
            let id = "INC-20261126-0001"
            let refused = try cli.run(["approve", id, "approve-reset", "--as", "kim"])
            #expect(refused.stderr.hasPrefix("runbook: error: kim does not hold the role 운영 매니저 (manager); only "))
            let unknown = try cli.run(["status", "INC-20261126-0009"])
            #expect(unknown.stderr.hasPrefix("runbook: error: no incident INC-20261126-0009 in this database; "))
            let timeline = try cli.run(["timeline", id])
            #expect(timeline.stdout.contains("kim  incident opened from runbook gated-restore (SEV"), "\(timeline.stdout)")
        }
    }

    /// LC_MESSAGES decides when LC_ALL is unset, over LANG.
    @Test func lcMessagesKoreanOverLangC() throws {
        try withLocale(["LANG": "C.UTF-8", "LC_MESSAGES": "ko_KR.UTF-8"]) { cli, _ in
            let unknown = try cli.run(["status", "INC-20261126-0009"])
            #expect(unknown.stderr.hasPrefix("runbook: error: "))
            #expect(unknown.stderr.contains("데이터베이스"))
        }
    }

    /// A Korean page in notifications.log: ids and the acknowledge command stay literal.
    @Test func notificationsLogInKorean() throws {
        try withLocale(["LANG": "ko_KR.UTF-8"]) { cli, directory in
            #expect(try cli.run(["start", "gated-restore", "--as", "kim"]).status == 0)
            let log = try String(contentsOfFile: "\(directory)/notifications.log", encoding: .utf8)
            #expect(log.contains(" INC-20261126-0001 1차 → "), "\(log)")
            #expect(log.contains(" | 확인: runbook ack INC-20261126-0001"), "\(log)")
            // The reason is said from the escalation's facts, in the reader's language.
            #expect(log.contains("장애 등록, 아직 확인되지 않음"), "\(log)")
            #expect(!log.contains("not yet acknowledged"), "\(log)")
        }
    }

    @Test func aMissedDeadlineIsPagedInKoreanAndStoredWithItsFacts() throws {
        try withWorkspace { base, directory in
            var opened = base
            opened.environment["RUNBOOK_NOW"] = "2026-11-26T01:00:00Z"
            #expect(try opened.run(["start", "security-incident", "--as", "kim"]).status == 0)
            var later = base
            later.environment["RUNBOOK_NOW"] = "2026-11-26T01:06:00Z"
            later.environment["LANG"] = "ko_KR.UTF-8"
            #expect(try later.run(["watch", "--once"]).status == 0)
            let log = try String(contentsOfFile: "\(directory)/notifications.log", encoding: .utf8)
            #expect(log.contains("`detect` 탐지 (Detect) 단계가 기한 5m을(를) 넘김"), "\(log)")
            // The raw log keeps the English sentence beside the facts, for anyone reading it without runbook.
            let raw = try base.run(["timeline", "1", "--json"])
            #expect(raw.stdout.contains("stage `detect` 탐지 (Detect) missed its 5m deadline"))
            #expect(raw.stdout.contains("\"cause_kind\": \"stage_deadline\""))
            let english = try base.run(["timeline", "1"])
            #expect(english.stdout.contains("escalation 2 started: stage `detect` 탐지 (Detect) missed its 5m deadline"))
        }
    }

    /// `status INCIDENT` under a Korean locale: the header, the stage and every step's detail in Korean; `--json` and
    /// an English locale unchanged.
    @Test func incidentStatusInKorean() throws {
        try withWorkspace { base, directory in
            try terminalRunbook.write(toFile: "\(directory)/runbooks/term-test.yaml", atomically: true, encoding: .utf8)
            var cli = base
            cli.environment["RUNBOOK_NOW"] = terminalNow
            #expect(try cli.run(["start", "term-test", "--no-guide", "--as", "kim"]).status == 0)
            #expect(try cli.run(["step", "1", "check", "done", "--note", "영향 없음", "--as", "kim"]).status == 0)
            #expect(try cli.run(["run", "1", "probe", "--as", "kim"]).status == 1)
            #expect(try cli.run(["approve", "1", "approve-it", "--as", "choi"]).status == 0)
            var korean = cli
            korean.environment["LANG"] = "ko_KR.UTF-8"
            let status = try korean.run(["status", "1"])
            #expect(status.status == 0, "\(status.stderr)")
            let text = status.stdout
            #expect(text.hasPrefix("INC-20261126-0001  SEV2  진행 중  터미널 시험 (Terminal test)\n"), "\(text)")
            #expect(text.contains("런북 term-test · 2026-11-26 01:00:00 UTC에 kim 님이 등록 · 확인되지 않음\n"), "\(text)")
            #expect(text.contains("RTO 2h · 경과 0:00:00 · 2:00:00 남음\n"))
            #expect(text.contains("! 01:00:00에 1차 호출 (운영팀 당직자 (on-call operator)): 장애 등록, 아직 확인되지 않음\n"), "\(text)")
            #expect(text.contains("단계 1/2: 상황 파악 (Triage)  기한 30m · 30:00 남음\n"), "\(text)")
            #expect(text.contains("완료 (kim 01:00:00): 영향 없음"), "\(text)")
            #expect(text.contains("실패: 종료 코드 3, 기대값 0 · 결정: 다시 실행, 직접 완료, 건너뛰기 또는 실패 (메모와 함께)"), "\(text)")
            #expect(text.contains("선택: SEV1|SEV2"))
            #expect(text.contains("승인 (Approve)                     완료 (choi 01:00:00)"), "\(text)")
            #expect(!text.contains("deadline") && !text.contains("choose ") && !text.contains("approval by"), "\(text)")

            // English and JSON as before.
            let english = try cli.run(["status", "1"]).stdout
            #expect(english.contains("Stage 1 of 2: 상황 파악 (Triage)  deadline 30m · 30:00 left"))
            #expect(english.contains("runbook term-test · opened 2026-11-26 01:00:00 UTC by kim · not acknowledged"))
            #expect(english.contains("choose SEV1|SEV2"))
            let json = try korean.run(["status", "1", "--json"]).stdout
            #expect(json == (try cli.run(["status", "1", "--json"]).stdout))
            #expect(json.contains("\"status\": \"open\""), "\(json)")
        }
    }

    /// `run`'s failure, `output`'s headers, `verify`'s summary and `watch --status` under a Korean locale.
    @Test func commandLinesInKorean() throws {
        try withWorkspace { base, directory in
            try terminalRunbook.write(toFile: "\(directory)/runbooks/term-test.yaml", atomically: true, encoding: .utf8)
            var cli = base
            cli.environment["RUNBOOK_NOW"] = terminalNow
            cli.environment["LANG"] = "ko_KR.UTF-8"
            #expect(try cli.run(["start", "term-test", "--no-guide", "--as", "kim"]).status == 0)
            let run = try cli.run(["run", "1", "probe", "--as", "kim"])
            #expect(run.status == 1)
            #expect(run.stdout.hasPrefix("--- stdout (23바이트) ---\n"), "\(run.stdout)")
            #expect(run.stderr == "runbook: error: `probe` 작업: 종료 코드 3, 기대값 0 (stderr: boom: disk full). 결정을 기다립니다: 다시 실행하거나, "
                    + "`runbook step INC-20261126-0001 probe done --note \"대신 확인한 내용\"`, --note와 함께 건너뛰기, 또는 실패 처리\n",
                    "\(run.stderr)")
            let output = try cli.run(["output", "1", "probe"])
            #expect(output.stdout.hasPrefix("INC-20261126-0001 `probe` 작업 1번 중 1번째 시도, 2026-11-26 01:00:00 UTC kim 님: 종료 코드 3, 기대값 0, "),
                    "\(output.stdout)")
            let verify = try cli.run(["verify", "INC-20261126-0001"])
            #expect(verify.stdout.hasPrefix("INC-20261126-0001: 이벤트 "), "\(verify.stdout)")
            #expect(verify.stdout.contains("개, 해시 체인 온전함; 체크포인트 INC-20261126-0001#"), "\(verify.stdout)")
            let watch = try cli.run(["watch", "--status"])
            #expect(watch.stdout.hasPrefix("incidents.db에서 실행 중인 감시자가 없습니다."), "\(watch.stdout)")
        }
    }
}
