extension Message {
    /// The words of the team server (SPEC §10): its tokens, who is calling, and its own lines.
    ///
    /// To add one: a case here, its texts in `text(in:)` and a sample in `samples` (the catalog test renders each).
    public enum ServerText: Sendable, Equatable {
        /// `runbook token create`: the secret is printed on the next line, once.
        case tokenCreated(id: String, person: String)
        case tokenShownOnce
        case tokenUnknownPerson(person: String, roster: String, people: [String])
        case tokenRevoked(id: String)
        case tokenNotFound(id: String)
        case tokenAlreadyRevoked(id: String, at: String)
        case noTokens
        /// A request without `Authorization: Bearer …`.
        case authMissing
        /// A bearer token the server does not know.
        case authUnknown
        case authRevoked(id: String, at: String)
        /// `--as` given to a command that talks to a server: the token decides who acts.
        case asRefused
        /// The command line against a server (`RUNBOOK_SERVER`, `--server`).
        case badServerAddress(String)
        case tokenNeeded(String)
        case tokenRefused(server: String, detail: String)
        case unreachable(server: String, reason: String)
        case badAnswer(server: String, detail: String)
        case serverFailed(server: String, detail: String)
        case notThroughServer(String)
        /// `runbook export` and `runbook import` (the archive that moves incidents between databases).
        case exported(incidents: Int, events: Int)
        case imported(incidents: Int, events: Int, database: String)
        /// A PostgreSQL database (`--db postgres://…`, SPEC §10).
        case postgresUnreachable(url: String, detail: String)
        case postgresNoSchema(url: String)
        case postgresNotHere(command: String)
        /// `serve --no-watcher` on PostgreSQL: only a watcher sends pages there.
        case postgresNoWatcher
        /// The note recorded when a command line working through the server interrupts a run (Ctrl-C).
        case runInterrupted(step: String, pid: Int32)
        case listening(address: String, database: String)
        case stopping
        case notFound(path: String)
        case badJSON(String)
        case missingField(String)
        case badField(field: String, expected: String)
        /// `If-Match` named another sequence than the incident's last.
        case changedSince(incident: String, expected: Int64, actual: Int64)
        case badIfMatch(String)
        case weakIfMatch(String)
        case badListen(String)
        case cannotListen(address: String, reason: String)
        case bodyTooLarge(limit: Int)
        /// Alert intake (Message+Alerts.swift).
        case alert(AlertText)
        /// `/readyz`: why the server is not ready.
        case databaseGone
        case databaseUnreadable(String)
        case migrationsMissing([String])

        public func text(in l: Language) -> String {
            switch self {
            case .tokenCreated(let id, let person):
                return l.choose(english: "Token \(id) created for \(person). Its secret (give it to \(person) only):",
                                korean: "\(person)의 토큰 \(id)을(를) 만들었습니다. 비밀 값(\(person)에게만 전달하십시오):")
            case .tokenShownOnce:
                return l.choose(english: "It is shown only now: the database keeps its SHA-256, not the secret. Revoke it with `runbook token revoke ID`.",
                                korean: "지금 한 번만 표시됩니다: 데이터베이스에는 비밀 값이 아니라 SHA-256만 저장됩니다. 폐기: `runbook token revoke ID`.")
            case .tokenUnknownPerson(let person, let roster, let people):
                let known = people.isEmpty ? l.choose(english: "it names nobody", korean: "등록된 사람이 없습니다") : people.joined(separator: ", ")
                return l.choose(english: "\(person) is not in \(roster) (\(known)); a token acts as a roster person: add them there first",
                                korean: "\(person)은(는) \(roster)에 없습니다(\(known)). 토큰은 로스터의 사람으로 동작합니다: 먼저 로스터에 추가하십시오")
            case .tokenRevoked(let id):
                return l.choose(english: "Token \(id) revoked: the server refuses it from its next request.",
                                korean: "토큰 \(id)을(를) 폐기했습니다: 서버는 다음 요청부터 거부합니다.")
            case .tokenNotFound(let id):
                return l.choose(english: "no token \(id); `runbook token list` shows the tokens",
                                korean: "토큰 \(id)이(가) 없습니다. `runbook token list`로 토큰을 확인하십시오")
            case .tokenAlreadyRevoked(let id, let at):
                return l.choose(english: "token \(id) was already revoked at \(at)", korean: "토큰 \(id)은(는) 이미 \(at)에 폐기되었습니다")
            case .noTokens:
                return l.choose(english: "No tokens. Create one with `runbook token create NAME` (NAME a person of roster.yaml).",
                                korean: "토큰이 없습니다. `runbook token create 이름`으로 만드십시오(이름은 roster.yaml의 사람).")
            case .authMissing:
                return l.choose(english: "this request needs a token: send `Authorization: Bearer TOKEN` (created with `runbook token create NAME`)",
                                korean: "이 요청에는 토큰이 필요합니다: `Authorization: Bearer 토큰`을 보내십시오(`runbook token create 이름`으로 생성)")
            case .authUnknown:
                return l.choose(english: "this token is not known to the server; ask for one made with `runbook token create NAME` on its host",
                                korean: "서버가 모르는 토큰입니다. 서버 호스트에서 `runbook token create 이름`으로 만든 토큰을 받으십시오")
            case .authRevoked(let id, let at):
                return l.choose(english: "token \(id) was revoked at \(at); ask for a new one",
                                korean: "토큰 \(id)은(는) \(at)에 폐기되었습니다. 새 토큰을 받으십시오")
            case .asRefused:
                return l.choose(english: "--as does not apply against a server: the token decides who acts (unset RUNBOOK_SERVER to act locally)",
                                korean: "서버를 사용할 때는 --as를 쓸 수 없습니다: 토큰이 행위자를 정합니다(로컬로 하려면 RUNBOOK_SERVER를 해제)")
            case .badServerAddress(let text):
                return l.choose(english: "server \"\(text)\": expected http://HOST:PORT or https://HOST, e.g. https://ops.example",
                                korean: "서버 \"\(text)\": http://HOST:PORT 또는 https://HOST 형식이어야 합니다(예: https://ops.example)")
            case .tokenNeeded(let server):
                return l.choose(english: "\(server) needs a token: set RUNBOOK_TOKEN to the secret `runbook token create NAME` printed on the server's host",
                                korean: "\(server)에는 토큰이 필요합니다: 서버 호스트에서 `runbook token create NAME`이 출력한 비밀 값을 RUNBOOK_TOKEN에 설정하십시오")
            case .tokenRefused(let server, let detail):
                return l.choose(english: "\(server) refused the token: \(detail); check RUNBOOK_TOKEN",
                                korean: "\(server)이(가) 토큰을 거부했습니다: \(detail). RUNBOOK_TOKEN을 확인하십시오")
            case .unreachable(let server, let reason):
                return l.choose(english: "cannot reach \(server) (\(reason)); check RUNBOOK_SERVER, or unset it to work on the local database",
                                korean: "\(server)에 연결할 수 없습니다(\(reason)). RUNBOOK_SERVER를 확인하거나, 로컬 데이터베이스를 쓰려면 해제하십시오")
            case .badAnswer(let server, let detail):
                return l.choose(english: "\(server) answered \(detail); is it a runbook server of this version?",
                                korean: "\(server)의 응답이 올바르지 않습니다(\(detail)). 같은 버전의 runbook 서버입니까?")
            case .serverFailed(let server, let detail):
                return l.choose(english: "\(server) failed: \(detail); its log says more",
                                korean: "\(server) 오류: \(detail). 서버 로그를 확인하십시오")
            case .notThroughServer(let what):
                return l.choose(english: "\(what) works on the server's host, not through RUNBOOK_SERVER; run it there, or unset RUNBOOK_SERVER for a local database",
                                korean: "\(what)은(는) RUNBOOK_SERVER를 통해서가 아니라 서버 호스트에서 실행합니다. 그곳에서 실행하거나, 로컬 데이터베이스라면 RUNBOOK_SERVER를 해제하십시오")
            case .exported(let incidents, let events):
                return l.choose(english: "Exported \(incidents) incident\(incidents == 1 ? "" : "s") (\(events) event\(events == 1 ? "" : "s")).", korean: "인시던트 \(incidents)건(이벤트 \(events)개)을 내보냈습니다.")
            case .imported(let incidents, let events, let database):
                return l.choose(english: "Imported \(incidents) incident\(incidents == 1 ? "" : "s") (\(events) event\(events == 1 ? "" : "s")) into \(database), each verified.",
                                korean: "인시던트 \(incidents)건(이벤트 \(events)개)을 검증하여 \(database)에 가져왔습니다.")
            case .postgresUnreachable(let url, let detail):
                return l.choose(english: "cannot connect to PostgreSQL at \(url): \(detail); check the address, that the server runs, and the password (PGPASSWORD or ~/.pgpass)",
                                korean: "\(url)의 PostgreSQL에 연결할 수 없습니다: \(detail). 주소, 서버 실행 여부, 암호(PGPASSWORD 또는 ~/.pgpass)를 확인하십시오")
            case .postgresNoSchema(let url):
                return l.choose(english: "\(url) holds no runbook log yet; `runbook serve --db URL` or `runbook import --db URL` creates it",
                                korean: "\(url)에는 아직 runbook 기록이 없습니다. `runbook serve --db URL` 또는 `runbook import --db URL`이 만듭니다")
            case .postgresNoWatcher:
                return l.choose(english: "warning: this server runs no watcher; on PostgreSQL only a watcher sends pages, so run another `runbook serve` (or `runbook watch --db URL`) on this database",
                                korean: "경고: 이 서버는 감시자를 실행하지 않습니다. PostgreSQL에서는 감시자만 호출을 보내므로, 이 데이터베이스에 다른 `runbook serve`(또는 `runbook watch --db URL`)를 실행하십시오")
            case .postgresNotHere(let command):
                return l.choose(english: "`runbook \(command)` works on a database file, not on PostgreSQL; run `runbook serve --db postgres://…` and work through it with RUNBOOK_SERVER (serve, export, import, verify, token and stats take a PostgreSQL URL)",
                                korean: "`runbook \(command)`은(는) PostgreSQL이 아니라 데이터베이스 파일에서 동작합니다. `runbook serve --db postgres://…`를 실행하고 RUNBOOK_SERVER로 작업하십시오(serve, export, import, verify, token, stats는 PostgreSQL URL을 받습니다)")
            case .runInterrupted(let step, let pid):
                return l.choose(english: "interrupted the run of step `\(step)` (process group \(pid)) from the command line (Ctrl-C)",
                                korean: "명령줄에서 단계 `\(step)`의 실행(프로세스 그룹 \(pid))을 중단했습니다(Ctrl-C)")
            case .listening(let address, let database):
                return l.choose(english: "Serving \(database) on http://\(address) (Ctrl-C or SIGTERM stops it cleanly).",
                                korean: "\(database)을(를) http://\(address)에서 제공합니다(Ctrl-C 또는 SIGTERM으로 정상 종료).")
            case .stopping:
                return l.choose(english: "Stopping: finishing the requests in progress.", korean: "종료합니다: 처리 중인 요청을 마칩니다.")
            case .notFound(let path):
                return l.choose(english: "nothing at \(path); the API is described at /api/v1/openapi.json",
                                korean: "\(path)에는 아무것도 없습니다. API 설명: /api/v1/openapi.json")
            case .badJSON(let reason):
                return l.choose(english: "the request body is not valid JSON: \(reason)", korean: "요청 본문이 올바른 JSON이 아닙니다: \(reason)")
            case .missingField(let field):
                return l.choose(english: "the request body needs `\(field)`", korean: "요청 본문에 `\(field)`이(가) 필요합니다")
            case .badField(let field, let expected):
                return l.choose(english: "`\(field)` must be \(expected)", korean: "`\(field)`은(는) \(expected)이어야 합니다")
            case .changedSince(let incident, let expected, let actual):
                return l.choose(english: "\(incident) changed since event \(expected) (it has \(actual) events now); read it again and decide on what it says now",
                                korean: "\(incident)은(는) 이벤트 \(expected) 이후 변경되었습니다(현재 \(actual)개). 다시 읽고 현재 상태로 판단하십시오")
            case .badIfMatch(let value):
                return l.choose(english: "If-Match \(value) is not an event sequence; send the `ETag` of the incident's view, e.g. \"42\"",
                                korean: "If-Match \(value)은(는) 이벤트 순번이 아닙니다. 인시던트 보기의 `ETag`(예: \"42\")를 보내십시오")
            case .weakIfMatch(let value):
                return l.choose(english: "If-Match \(value) is a weak tag, which never matches a write; send the incident view's `ETag`, e.g. \"42\"",
                                korean: "If-Match \(value)은(는) 약한 태그라 쓰기와 일치하지 않습니다. 인시던트 보기의 `ETag`(예: \"42\")를 보내십시오")
            case .bodyTooLarge(let limit):
                return l.choose(english: "the request body is larger than \(limit / 1024) KiB; send less (a note is text, not a file)",
                                korean: "요청 본문이 \(limit / 1024) KiB보다 큽니다. 더 작게 보내십시오(노트는 파일이 아니라 텍스트입니다)")
            case .cannotListen(let address, let reason):
                return l.choose(english: "cannot listen on \(address) (\(reason)); is another server running there? pick another port with --listen",
                                korean: "\(address)에서 수신할 수 없습니다(\(reason)). 다른 서버가 실행 중인지 확인하고 --listen으로 다른 포트를 지정하십시오")
            case .badListen(let value):
                return l.choose(english: "--listen \(value): expected HOST:PORT, e.g. 127.0.0.1:8080",
                                korean: "--listen \(value): HOST:PORT 형식이어야 합니다(예: 127.0.0.1:8080)")
            case .alert(let text):
                return text.text(in: l)
            case .databaseGone:
                return l.choose(english: "the database file was moved or replaced while the server ran; put it back, or restart the server on the right --db",
                                korean: "서버 실행 중에 데이터베이스 파일이 이동되거나 교체되었습니다. 되돌려 놓거나 올바른 --db로 서버를 다시 시작하십시오")
            case .databaseUnreadable(let reason):
                return l.choose(english: "the database cannot be read: \(reason)", korean: "데이터베이스를 읽을 수 없습니다: \(reason)")
            case .migrationsMissing(let ids):
                return l.choose(english: "the database lacks the migrations \(ids.joined(separator: ", ")) of this version; restart the server to bring it up to date",
                                korean: "데이터베이스에 이 버전의 마이그레이션 \(ids.joined(separator: ", "))이(가) 없습니다. 서버를 다시 시작하여 갱신하십시오")
            }
        }

        static var samples: [ServerText] {
            [.tokenCreated(id: "a1b2c3d4", person: "kim"), .tokenShownOnce,
             .tokenUnknownPerson(person: "kimm", roster: "runbooks/roster.yaml", people: ["kim", "lee"]),
             .tokenUnknownPerson(person: "kim", roster: "runbooks/roster.yaml", people: []),
             .tokenRevoked(id: "a1b2c3d4"), .tokenNotFound(id: "zzz"), .tokenAlreadyRevoked(id: "a1b2c3d4", at: "2026-11-27 10:00"),
             .noTokens, .authMissing, .authUnknown, .authRevoked(id: "a1b2c3d4", at: "2026-11-27 10:00"), .asRefused,
             .postgresUnreachable(url: "postgres://ops@db.example/runbook", detail: "connection refused"),
             .postgresNoSchema(url: "postgres://ops@db.example/runbook"), .postgresNotHere(command: "status"), .postgresNoWatcher,
             .badServerAddress("ops.example"), .tokenNeeded("https://ops.example"), .tokenRefused(server: "https://ops.example", detail: "unknown token"),
             .unreachable(server: "https://ops.example", reason: "connection refused"), .badAnswer(server: "https://ops.example", detail: "not JSON"),
             .serverFailed(server: "https://ops.example", detail: "database is locked"), .notThroughServer("runbook watch"), .runInterrupted(step: "restore", pid: 4242),
             .exported(incidents: 3, events: 120), .imported(incidents: 3, events: 120, database: "archive.db"),
             .listening(address: "127.0.0.1:8080", database: "incidents.db"), .stopping, .notFound(path: "/api/v2"),
             .badJSON("unexpected end"), .missingField("text"), .badField(field: "drill", expected: "true or false"),
             .changedSince(incident: "INC-1", expected: 4, actual: 6), .badIfMatch("x"), .weakIfMatch("W/\"4\""), .badListen("localhost"), .cannotListen(address: "127.0.0.1:8080", reason: "address already in use"),
             .bodyTooLarge(limit: 1 << 20), .databaseGone, .databaseUnreadable("disk I/O error"),
             .migrationsMissing(["v5-server-tokens"])]
                + AlertText.samples.map { .alert($0) }
        }
    }
}
