extension Message {
    /// The words of the team directory (SPEC §7): `runbook init`, `runbook doctor` and the settings that `RUNBOOK_HOME`
    /// names.
    ///
    /// To add one: a case here, its texts in `text(in:)` and a sample in `samples` (the catalog test renders each).
    public enum TeamText: Sendable, Equatable {
        // MARK: Finding the team directory
        case homeWithoutSettings(home: String)
        /// A settings file found above the working directory that another login could have planted.
        case settingsIgnored(path: String, reason: SettingsDistrust)

        // MARK: runbook init
        case alreadyTeam(directory: String, file: String)
        case notADirectory(path: String)
        case noShippedRunbooks(searched: [String])
        case sourceHasNoRunbooks(directory: String)
        case noSuchGroup(group: String)
        case notInGroup(group: String)
        case notYours(path: String, uid: UInt32)
        case folderNotShared(path: String, group: String)
        /// `init --from`: entries that are not regular YAML files, not copied.
        case initSkipped(names: [String])
        case initFailed(path: String, reason: String)
        /// "Made the team directory D (files 0660, group ops):"; `group` nil for private files.
        case initMade(directory: String, mode: String, group: String?)
        case initSettings(directory: String)
        case initRunbooksCopied(count: Int, source: String)
        case initRunbooksKept(count: Int)
        case initDatabase
        /// The next steps, one per line.
        case initNext(directory: String, group: String?)

        // MARK: runbook doctor
        case level(DoctorLevel)
        case doctorHome(directory: String)
        case doctorNoHome(runbooks: String, database: String)
        case doctorRunbooks(count: Int, directory: String)
        case doctorNoRunbooks(directory: String)
        case doctorLintErrors(errors: Int, files: Int)
        case doctorDatabase(path: String, incidents: Int, open: Int)
        case doctorNoDatabase(path: String)
        case doctorDatabaseBroken(path: String, reason: String)
        case doctorDatabasePostgres(database: String)
        /// A file runbook writes with the wrong mode: `chmod` fixes it.
        case doctorFileMode(path: String, mode: String, expected: String)
        /// A file runbook writes owned by another group than the team's: `chgrp` fixes it.
        case doctorFileGroup(path: String, group: String, expected: String)
        case doctorFilesRight(count: Int, mode: String, group: String?)
        /// A folder anyone may write to: anyone can replace a runbook or the database.
        case doctorDirectoryOpen(path: String, mode: String)
        /// A settings or runbook file any login may write: it decides which commands runbook runs.
        case doctorFileOpen(path: String, mode: String)
        /// A folder above the team directory that any login may write to, without the sticky bit.
        case doctorParentOpen(path: String, mode: String)
        /// A folder above another that runbook reads from (a runbooks folder kept elsewhere, where a runbook's link
        /// leads), writable by any login without the sticky bit.
        case doctorFolderAboveOpen(path: String, mode: String, below: String)
        /// The team's group cannot create files in the folder (the database's -wal, reports).
        case doctorDirectoryNotShared(path: String, group: String)
        /// The folder lacks the setgid bit: files made in it do not get the team's group by themselves.
        case doctorNoSetgid(path: String, group: String)
        case doctorGroupMissing(group: String)
        case doctorGroup(group: String, members: [String])
        case doctorGroupEmpty(group: String)
        case doctorNotInGroup(login: String, group: String)
        case doctorLoginNotInGroup(person: String, login: String, group: String)
        case doctorPrivate(login: String)
        case doctorWatcher(pid: Int32, background: Bool, since: String)
        case doctorNoWatcher(database: String)
        case doctorSchedulesNeedService(count: Int)
        case doctorUnboundApprover(person: String, roles: [String])
        case doctorApproversBound(count: Int)
        case doctorSummary(problems: Int, warnings: Int)

        public func text(in l: Language) -> String {
            switch self {
            case .homeWithoutSettings(let home):
                return l.choose(english: "RUNBOOK_HOME=\(home) is not a team directory (no runbook-team.yaml there); make it one with "
                                    + "`runbook init \(home)`, or unset RUNBOOK_HOME",
                                korean: "RUNBOOK_HOME=\(home)은(는) 팀 디렉터리가 아닙니다 (runbook-team.yaml 없음). "
                                    + "`runbook init \(home)`으로 만들거나 RUNBOOK_HOME을 지우십시오")
            case .settingsIgnored(let path, let reason):
                return l.choose(english: "ignoring \(path): \(reason.text(in: l)), so its runbooks could run commands as you; "
                                    + "fix its owner or mode, or name the team directory with RUNBOOK_HOME",
                                korean: "\(path)을(를) 무시합니다: \(reason.text(in: l)). 그 런북이 내 권한으로 명령을 실행할 수 있습니다. "
                                    + "소유자나 권한을 고치거나 RUNBOOK_HOME으로 팀 디렉터리를 지정하십시오")
            case .alreadyTeam(let directory, let file):
                return l.choose(english: "\(directory) is already a team directory (it has \(file)); nothing was changed. "
                                    + "Check it with `runbook doctor`, or choose another directory",
                                korean: "\(directory)은(는) 이미 팀 디렉터리입니다 (\(file) 있음). 아무것도 바꾸지 않았습니다. "
                                    + "`runbook doctor`로 점검하거나 다른 디렉터리를 고르십시오")
            case .notADirectory(let path):
                return l.choose(english: "\(path) exists and is not a directory; choose another path",
                                korean: "\(path)은(는) 디렉터리가 아닌 파일입니다. 다른 경로를 고르십시오")
            case .noShippedRunbooks(let searched):
                return l.choose(english: "cannot find the runbooks installed with runbook (looked in \(searched.joined(separator: ", "))); "
                                    + "reinstall it (make install, or the .deb), or give a folder of runbooks with --from DIR",
                                korean: "runbook과 함께 설치된 런북을 찾을 수 없습니다 (찾아본 곳: \(searched.joined(separator: ", "))). "
                                    + "다시 설치하거나 (make install 또는 .deb) --from DIR로 런북 폴더를 지정하십시오")
            case .sourceHasNoRunbooks(let directory):
                return l.choose(english: "\(directory) holds no runbook (*.yaml); give a folder of runbooks with --from DIR",
                                korean: "\(directory)에 런북(*.yaml)이 없습니다. --from DIR로 런북 폴더를 지정하십시오")
            case .noSuchGroup(let group):
                return l.choose(english: "no group \(group) on this host; create it (groupadd \(group)) and add each responder's login to it "
                                    + "(usermod -aG \(group) LOGIN), or leave out --group for files private to you",
                                korean: "이 호스트에 \(group) 그룹이 없습니다. 그룹을 만들고 (groupadd \(group)) 대응자 로그인을 추가하거나 "
                                    + "(usermod -aG \(group) LOGIN), 나만 쓰는 파일이라면 --group을 빼십시오")
            case .notInGroup(let group):
                return l.choose(english: "you are not in the group \(group), so you cannot give the files to it; run `usermod -aG \(group) $(id -un)` "
                                    + "and log in again, or run init as root",
                                korean: "\(group) 그룹에 속해 있지 않아 파일을 그 그룹에 줄 수 없습니다. `usermod -aG \(group) $(id -un)` 후 다시 로그인하거나 "
                                    + "root로 init을 실행하십시오")
            case .notYours(let path, let uid):
                return l.choose(english: "\(path) belongs to uid \(uid), not to you: its owner could change the team directory after init; "
                                    + "choose a directory of your own, or a new path",
                                korean: "\(path)은(는) 내 것이 아니라 uid \(uid)의 것입니다: 소유자가 init 뒤에 팀 디렉터리를 바꿀 수 있습니다. "
                                    + "내 디렉터리나 새 경로를 고르십시오")
            case .folderNotShared(let path, let group):
                return l.choose(english: "\(path) exists and is not shared with the group \(group) (init changes no existing folder); share it yourself "
                                    + "(chgrp \(group) \(path) && chmod 2770 \(path)) or choose a new or empty directory",
                                korean: "\(path)은(는) 이미 있고 \(group) 그룹과 공유되어 있지 않습니다 (init은 있던 폴더를 바꾸지 않습니다). 직접 공유하거나 "
                                    + "(chgrp \(group) \(path) && chmod 2770 \(path)) 새 디렉터리나 빈 디렉터리를 고르십시오")
            case .initSkipped(let names):
                return l.choose(english: "not copied (only regular .yaml files are): \(names.joined(separator: ", "))",
                                korean: "복사하지 않음 (일반 .yaml 파일만 복사합니다): \(names.joined(separator: ", "))")
            case .initFailed(let path, let reason):
                return l.choose(english: "cannot make \(path): \(reason); nothing was left behind",
                                korean: "\(path)을(를) 만들 수 없습니다: \(reason). 만들던 것은 모두 지웠습니다")
            case .initMade(let directory, let mode, let group):
                return l.choose(english: "Made the team directory \(directory) (files \(mode)" + (group.map { ", group \($0)" } ?? ", private to you") + "):",
                                korean: "팀 디렉터리 \(directory)을(를) 만들었습니다 (파일 \(mode)" + (group.map { ", 그룹 \($0)" } ?? ", 나만 읽고 씀") + "):")
            case .initSettings(let directory):
                return l.choose(english: "runbook-team.yaml  the settings: commands run here, or with RUNBOOK_HOME=\(directory), use this directory",
                                korean: "runbook-team.yaml  설정: 이 디렉터리 안에서, 또는 RUNBOOK_HOME=\(directory)로 실행한 명령이 이 디렉터리를 씁니다")
            case .initRunbooksCopied(let count, let source):
                return l.choose(english: "runbooks/          \(count) file\(count == 1 ? "" : "s") copied from \(source): runbooks, roster, contacts, calendar",
                                korean: "runbooks/          \(source)에서 파일 \(count)개 복사: 런북, 명단, 연락처, 달력")
            case .initRunbooksKept(let count):
                return l.choose(english: "runbooks/          kept as it was (\(count) file\(count == 1 ? "" : "s")): nothing in it was overwritten",
                                korean: "runbooks/          그대로 둠 (파일 \(count)개): 덮어쓴 것 없음")
            case .initDatabase:
                return l.choose(english: "incidents.db       the incident log, empty", korean: "incidents.db       장애 기록, 비어 있음")
            case .initNext(let directory, let group):
                let english = [
                    "Next:",
                    "  edit runbooks/roster.yaml (who holds which role, and their logins) and runbooks/contacts.yaml (how each role is paged)",
                    "  cd \(directory) && runbook list      (or RUNBOOK_HOME=\(directory) runbook list from anywhere)",
                    "  runbook doctor                      checks the directory, its files, the group and the watcher",
                    "  systemctl enable --now runbook-watch    keeps a watcher paging (set RUNBOOK_HOME=\(directory) in /etc/default/runbook)",
                ] + (group.map { ["  usermod -aG \($0) LOGIN               for each responder, who then acts under their own login"] } ?? [])
                let korean = [
                    "다음 단계:",
                    "  runbooks/roster.yaml (역할과 로그인)과 runbooks/contacts.yaml (역할별 호출 방법)을 고치십시오",
                    "  cd \(directory) && runbook list      (어디서든 RUNBOOK_HOME=\(directory) runbook list)",
                    "  runbook doctor                      디렉터리, 파일, 그룹, 감시자를 점검합니다",
                    "  systemctl enable --now runbook-watch    감시자가 계속 호출하게 합니다 (/etc/default/runbook에 RUNBOOK_HOME=\(directory))",
                ] + (group.map { ["  usermod -aG \($0) LOGIN               대응자마다: 각자 자기 로그인으로 작업합니다"] } ?? [])
                return l.choose(english: english.joined(separator: "\n"), korean: korean.joined(separator: "\n"))

            case .level(let level):
                return level.text(in: l)
            case .doctorHome(let directory):
                return l.choose(english: "team directory \(directory) (runbook-team.yaml)", korean: "팀 디렉터리 \(directory) (runbook-team.yaml)")
            case .doctorNoHome(let runbooks, let database):
                return l.choose(english: "no team directory here or above (no runbook-team.yaml, RUNBOOK_HOME unset): checking \(runbooks) and \(database); "
                                    + "make one with `runbook init DIR`",
                                korean: "여기나 위쪽에 팀 디렉터리가 없습니다 (runbook-team.yaml 없음, RUNBOOK_HOME 없음): \(runbooks)와 \(database)를 점검합니다. "
                                    + "`runbook init DIR`로 만드십시오")
            case .doctorRunbooks(let count, let directory):
                return l.choose(english: "\(count) runbook\(count == 1 ? "" : "s") in \(directory) load and lint clean, with the roster, contacts and calendar",
                                korean: "\(directory)의 런북 \(count)개가 명단, 연락처, 달력과 함께 문제없이 읽힙니다")
            case .doctorNoRunbooks(let directory):
                return l.choose(english: "\(directory) holds no runbook: nothing can be started; copy runbooks there or fix the `runbooks:` setting",
                                korean: "\(directory)에 런북이 없습니다: 시작할 수 있는 것이 없습니다. 런북을 넣거나 `runbooks:` 설정을 고치십시오")
            case .doctorLintErrors(let errors, let files):
                return l.choose(english: "\(errors) error\(errors == 1 ? "" : "s") in \(files) file\(files == 1 ? "" : "s") of the runbooks folder: "
                                    + "see `runbook lint`; a runbook that does not load cannot be started",
                                korean: "런북 폴더의 파일 \(files)개에 오류 \(errors)개: `runbook lint`를 보십시오. 읽히지 않는 런북은 시작할 수 없습니다")
            case .doctorDatabase(let path, let incidents, let open):
                return l.choose(english: "database \(path) opens: \(incidents) incident\(incidents == 1 ? "" : "s"), \(open) open "
                                    + "(`runbook verify` checks every hash)",
                                korean: "데이터베이스 \(path) 열림: 장애 \(incidents)건, 진행 중 \(open)건 (`runbook verify`로 모든 해시를 검사)")
            case .doctorNoDatabase(let path):
                return l.choose(english: "no database at \(path) yet: the first `runbook start` creates it",
                                korean: "\(path)에 데이터베이스가 아직 없습니다: 처음 `runbook start`할 때 만들어집니다")
            case .doctorDatabaseBroken(let path, let reason):
                return l.choose(english: "database \(path) does not open: \(reason)", korean: "데이터베이스 \(path)가 열리지 않습니다: \(reason)")
            case .doctorDatabasePostgres(let database):
                return l.choose(english: "database \(database) is PostgreSQL: only `runbook serve` (and export, import, verify, token, stats) "
                                    + "use it; the incident commands here refuse it, so set RUNBOOK_SERVER to a `runbook serve` on it; "
                                    + "a server's /readyz says whether a watcher holds the lock",
                                korean: "데이터베이스 \(database)는 PostgreSQL입니다: `runbook serve`(와 export, import, verify, token, stats)만 씁니다. "
                                    + "여기서 장애 명령은 거부되므로 RUNBOOK_SERVER를 그 데이터베이스의 `runbook serve`로 설정하십시오. "
                                    + "서버의 /readyz가 감시자가 잠금을 가졌는지 알려 줍니다")
            case .doctorFileMode(let path, let mode, let expected):
                return l.choose(english: "\(path) is mode \(mode), expected \(expected) (incidents name people and systems): run `chmod \(expected) \(path)`",
                                korean: "\(path)의 권한이 \(mode)입니다. \(expected)이어야 합니다 (장애 기록에는 사람과 시스템 이름이 있습니다): "
                                    + "`chmod \(expected) \(path)`를 실행하십시오")
            case .doctorFileGroup(let path, let group, let expected):
                return l.choose(english: "\(path) belongs to group \(group), not \(expected): the team cannot write it; run `chgrp \(expected) \(path)`",
                                korean: "\(path)의 그룹이 \(expected)가 아니라 \(group)입니다: 팀이 쓸 수 없습니다. `chgrp \(expected) \(path)`를 실행하십시오")
            case .doctorFilesRight(let count, let mode, let group):
                return l.choose(english: "\(count) file\(count == 1 ? "" : "s") runbook writes \(count == 1 ? "is" : "are") mode \(mode)"
                                    + (group.map { ", group \($0)" } ?? ""),
                                korean: "runbook이 쓰는 파일 \(count)개의 권한이 \(mode)" + (group.map { ", 그룹 \($0)" } ?? "") + "입니다")
            case .doctorDirectoryOpen(let path, let mode):
                return l.choose(english: "\(path) is mode \(mode): any login may replace a runbook or the database in it; run `chmod o-w \(path)`",
                                korean: "\(path)의 권한이 \(mode)입니다: 어느 로그인이든 런북이나 데이터베이스를 바꿀 수 있습니다. `chmod o-w \(path)`를 실행하십시오")
            case .doctorFileOpen(let path, let mode):
                return l.choose(english: "\(path) is mode \(mode): any login may change it, and with it the commands runbook runs; run `chmod o-w \(path)`",
                                korean: "\(path)의 권한이 \(mode)입니다: 어느 로그인이든 고쳐서 runbook이 실행할 명령을 바꿀 수 있습니다. `chmod o-w \(path)`를 실행하십시오")
            case .doctorParentOpen(let path, let mode):
                return l.choose(english: "\(path), above the team directory, is mode \(mode) without the sticky bit: any login may rename the team directory "
                                    + "and put another in its place; run `chmod o-w \(path)`",
                                korean: "팀 디렉터리 위의 \(path) 권한이 sticky 비트 없이 \(mode)입니다: 어느 로그인이든 팀 디렉터리 이름을 바꾸고 "
                                    + "다른 것으로 바꿔 놓을 수 있습니다. `chmod o-w \(path)`를 실행하십시오")
            case .doctorFolderAboveOpen(let path, let mode, let below):
                return l.choose(english: "\(path), above \(below), is mode \(mode) without the sticky bit: any login may rename \(below) "
                                    + "and put another in its place; run `chmod o-w \(path)`",
                                korean: "\(below) 위의 \(path) 권한이 sticky 비트 없이 \(mode)입니다: 어느 로그인이든 \(below)의 이름을 바꾸고 "
                                    + "다른 것으로 바꿔 놓을 수 있습니다. `chmod o-w \(path)`를 실행하십시오")
            case .doctorDirectoryNotShared(let path, let group):
                return l.choose(english: "the group \(group) cannot create files in \(path) (the database's -wal and -shm, reports): "
                                    + "run `chgrp \(group) \(path) && chmod 2770 \(path)`",
                                korean: "\(group) 그룹이 \(path)에 파일을 만들 수 없습니다 (데이터베이스의 -wal, -shm, 보고서): "
                                    + "`chgrp \(group) \(path) && chmod 2770 \(path)`를 실행하십시오")
            case .doctorNoSetgid(let path, let group):
                return l.choose(english: "\(path) has no setgid bit: files made in it do not get the group \(group) by themselves; run `chmod g+s \(path)`",
                                korean: "\(path)에 setgid 비트가 없습니다: 안에 만든 파일이 \(group) 그룹을 물려받지 않습니다. `chmod g+s \(path)`를 실행하십시오")
            case .doctorGroupMissing(let group):
                return l.choose(english: "the group \(group) does not exist on this host: create it (groupadd \(group)) and add each responder's login",
                                korean: "이 호스트에 \(group) 그룹이 없습니다: 만들고 (groupadd \(group)) 대응자 로그인을 추가하십시오")
            case .doctorGroup(let group, let members):
                return l.choose(english: "files are shared through the group \(group): \(members.joined(separator: ", "))",
                                korean: "파일을 \(group) 그룹으로 공유합니다: \(members.joined(separator: ", "))")
            case .doctorGroupEmpty(let group):
                return l.choose(english: "no login belongs to the group \(group): add each responder (usermod -aG \(group) LOGIN)",
                                korean: "\(group) 그룹에 속한 로그인이 없습니다: 대응자마다 추가하십시오 (usermod -aG \(group) LOGIN)")
            case .doctorNotInGroup(let login, let group):
                return l.choose(english: "your login \(login) is not in the group \(group): you cannot write the database; "
                                    + "run `usermod -aG \(group) \(login)`, then log in again",
                                korean: "내 로그인 \(login)이(가) \(group) 그룹에 없습니다: 데이터베이스에 쓸 수 없습니다. "
                                    + "`usermod -aG \(group) \(login)` 후 다시 로그인하십시오")
            case .doctorLoginNotInGroup(let person, let login, let group):
                return l.choose(english: "\(person)'s login \(login) (roster.yaml) is not in the group \(group): run `usermod -aG \(group) \(login)`",
                                korean: "\(person)의 로그인 \(login) (roster.yaml)이(가) \(group) 그룹에 없습니다: `usermod -aG \(group) \(login)`를 실행하십시오")
            case .doctorPrivate(let login):
                return l.choose(english: "files are private to \(login) (0600); on a host where each responder has a login, share them with "
                                    + "`group: ops` in runbook-team.yaml",
                                korean: "파일은 \(login)만 읽고 씁니다 (0600). 대응자마다 로그인이 있는 호스트라면 runbook-team.yaml에 "
                                    + "`group: ops`를 적어 공유하십시오")
            case .doctorWatcher(let pid, let background, let since):
                return background
                    ? l.choose(english: "a background watcher (pid \(pid), since \(since)) pages while incidents are open, then stops",
                               korean: "백그라운드 감시자 (pid \(pid), \(since)부터)가 장애가 열려 있는 동안 호출하고 끝나면 멈춥니다")
                    : l.choose(english: "a watcher runs as a service or in the foreground (pid \(pid), since \(since))",
                               korean: "감시자가 서비스나 포그라운드로 실행 중입니다 (pid \(pid), \(since)부터)")
            case .doctorNoWatcher(let database):
                return l.choose(english: "no watcher runs on \(database): `start` and `guide` launch one while an incident is open; "
                                    + "keep one up with `systemctl enable --now runbook-watch`",
                                korean: "\(database)에서 실행 중인 감시자가 없습니다: `start`와 `guide`가 장애가 열려 있는 동안 하나를 띄웁니다. "
                                    + "`systemctl enable --now runbook-watch`로 계속 실행하십시오")
            case .doctorSchedulesNeedService(let count):
                return l.choose(english: "\(count) runbook\(count == 1 ? " has a schedule" : "s have schedules"), but no `runbook watch` runs as a service: "
                                    + "scheduled runs do not start; run `systemctl enable --now runbook-watch`",
                                korean: "일정이 있는 런북이 \(count)개인데 서비스로 실행 중인 `runbook watch`가 없습니다: 예약 실행이 시작되지 않습니다. "
                                    + "`systemctl enable --now runbook-watch`를 실행하십시오")
            case .doctorUnboundApprover(let person, let roles):
                return l.choose(english: "\(person) approves (\(roles.joined(separator: ", "))) but binds no login: anyone can approve as \(person); "
                                    + "add `logins: [LOGIN]` to \(person) in roster.yaml",
                                korean: "\(person)은(는) 승인자(\(roles.joined(separator: ", ")))인데 로그인이 묶여 있지 않습니다: 누구나 \(person)(이)라는 이름으로 승인할 수 있습니다. "
                                    + "roster.yaml의 \(person)에 `logins: [LOGIN]`을 추가하십시오")
            case .doctorApproversBound(let count):
                return l.choose(english: "every approver (\(count)) is bound to a login", korean: "승인자 \(count)명 모두 로그인이 묶여 있습니다")
            case .doctorSummary(let problems, let warnings):
                if problems == 0, warnings == 0 {
                    return l.choose(english: "No problems.", korean: "문제 없음.")
                }
                return l.choose(english: "\(problems) problem\(problems == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s").",
                                korean: "문제 \(problems)건, 경고 \(warnings)건.")
            }
        }

        /// One sample of every case, for the catalog test.
        static var samples: [TeamText] {
            DoctorLevel.allCases.map { .level($0) } + [
                .homeWithoutSettings(home: "/srv/ops"), .settingsIgnored(path: "/tmp/runbook-team.yaml", reason: .writableByAnyone),
                .settingsIgnored(path: "/tmp/runbook-team.yaml", reason: .notRegular),
                .settingsIgnored(path: "/tmp/runbook-team.yaml", reason: .linked),
                .settingsIgnored(path: "/tmp/runbook-team.yaml", reason: .unreadableShared(uid: 1002)), .settingsIgnored(path: "/tmp/runbook-team.yaml", reason: .openFolder),
                .settingsIgnored(path: "/tmp/runbook-team.yaml", reason: .foreignOwner(uid: 1002)),
                .settingsIgnored(path: "/tmp/runbook-team.yaml", reason: .foreignGroup(uid: 1002, group: "users")), .alreadyTeam(directory: "/srv/ops", file: "runbook-team.yaml"),
                .notADirectory(path: "/srv/ops"), .noShippedRunbooks(searched: ["/usr/share/runbook/runbooks"]),
                .sourceHasNoRunbooks(directory: "/tmp/x"), .noSuchGroup(group: "ops"), .notInGroup(group: "ops"), .notYours(path: "/tmp/ops", uid: 1002),
                .folderNotShared(path: "/home/kim", group: "ops"),
                .initSkipped(names: ["README.md", "old"]),
                .initFailed(path: "/srv/ops/incidents.db", reason: "no space left on device"),
                .initMade(directory: "/srv/ops", mode: "0660", group: "ops"), .initMade(directory: "/srv/ops", mode: "0600", group: nil),
                .initSettings(directory: "/srv/ops"), .initRunbooksCopied(count: 19, source: "/usr/share/runbook/runbooks"),
                .initRunbooksKept(count: 3), .initDatabase, .initNext(directory: "/srv/ops", group: "ops"), .initNext(directory: "/srv/ops", group: nil),
                .doctorHome(directory: "/srv/ops"), .doctorNoHome(runbooks: "runbooks", database: "incidents.db"),
                .doctorRunbooks(count: 15, directory: "/srv/ops/runbooks"), .doctorNoRunbooks(directory: "/srv/ops/runbooks"),
                .doctorLintErrors(errors: 2, files: 1), .doctorDatabase(path: "/srv/ops/incidents.db", incidents: 3, open: 1),
                .doctorNoDatabase(path: "/srv/ops/incidents.db"), .doctorDatabaseBroken(path: "/srv/ops/incidents.db", reason: "file is not a database"),
                .doctorDatabasePostgres(database: "postgres://runbook@db/ops"),
                .doctorFileMode(path: "/srv/ops/incidents.db", mode: "0644", expected: "0660"),
                .doctorFileGroup(path: "/srv/ops/incidents.db", group: "root", expected: "ops"),
                .doctorFilesRight(count: 2, mode: "0660", group: "ops"), .doctorFilesRight(count: 1, mode: "0600", group: nil),
                                .doctorDirectoryOpen(path: "/srv/ops", mode: "0777"), .doctorFileOpen(path: "/srv/ops/runbook-team.yaml", mode: "0666"),
                .doctorParentOpen(path: "/srv", mode: "0777"), .doctorFolderAboveOpen(path: "/srv/git", mode: "0777", below: "/srv/git/runbooks"),
                .doctorDirectoryNotShared(path: "/srv/ops", group: "ops"),
                .doctorNoSetgid(path: "/srv/ops", group: "ops"), .doctorGroupMissing(group: "ops"),
                .doctorGroup(group: "ops", members: ["kim", "choi"]), .doctorGroupEmpty(group: "ops"),
                .doctorNotInGroup(login: "kim", group: "ops"), .doctorLoginNotInGroup(person: "choi", login: "choi", group: "ops"),
                .doctorPrivate(login: "kim"), .doctorWatcher(pid: 42, background: true, since: "10:00"),
                .doctorWatcher(pid: 42, background: false, since: "10:00"), .doctorNoWatcher(database: "/srv/ops/incidents.db"),
                .doctorSchedulesNeedService(count: 1), .doctorSchedulesNeedService(count: 4),
                .doctorUnboundApprover(person: "choi", roles: ["manager"]), .doctorApproversBound(count: 2),
                .doctorSummary(problems: 0, warnings: 0), .doctorSummary(problems: 1, warnings: 2),
            ]
        }
    }

    /// Why a settings file found above the working directory is not used.
    public enum SettingsDistrust: Sendable, Equatable {
        case notRegular, linked, writableByAnyone, openFolder
        case foreignOwner(uid: UInt32)
        /// Owned by another login, or writable by its group, and the settings do not name that group.
        case foreignGroup(uid: UInt32, group: String)
        /// Another login's (or the group's) file that cannot be read as settings.
        case unreadableShared(uid: UInt32)

        public func text(in l: Language) -> String {
            switch self {
            case .notRegular:
                l.choose(english: "it is not a regular file (a link, a FIFO or a device)", korean: "일반 파일이 아닙니다 (링크, FIFO 또는 장치)")
            case .linked:
                l.choose(english: "it has a second name (a hard link)", korean: "다른 이름이 하나 더 있습니다 (하드 링크)")
            case .openFolder:
                l.choose(english: "its folder is writable by any login", korean: "그 폴더에 어느 로그인이든 쓸 수 있습니다")
            case .writableByAnyone:
                l.choose(english: "any login may write it", korean: "어느 로그인이든 고칠 수 있습니다")
            case .foreignOwner(let uid):
                l.choose(english: "it belongs to uid \(uid) and a group you are not in", korean: "uid \(uid)의 파일이고 내가 속하지 않은 그룹의 것입니다")
            case .unreadableShared(let uid):
                l.choose(english: "it belongs to uid \(uid) or its group may write it, and it cannot be read as settings",
                         korean: "uid \(uid)의 파일이거나 그룹이 고칠 수 있는데, 설정으로 읽을 수 없습니다")
            case .foreignGroup(let uid, let group):
                l.choose(english: "it belongs to uid \(uid) or its group may write it, and it does not name the group \(group) or its owner is not in it",
                         korean: "uid \(uid)의 파일이거나 그룹이 고칠 수 있는데, 설정에 \(group) 그룹이 적혀 있지 않거나 소유자가 그 그룹에 없습니다")
            }
        }
    }

    /// How much a `runbook doctor` line matters: a problem makes it exit 1, a warning does not.
    public enum DoctorLevel: Sendable, Equatable, CaseIterable {
        case ok, warning, problem

        public func text(in l: Language) -> String {
            switch self {
            case .ok: l.choose(english: "ok", korean: "정상")
            case .warning: l.choose(english: "warn", korean: "경고")
            case .problem: l.choose(english: "FAIL", korean: "문제")
            }
        }
    }
}
