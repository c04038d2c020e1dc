public import RunbookCore

/// The roster and contacts of a runbooks directory, with their exact texts: what a new incident freezes,
/// what `runbook roster reload` records, and what an incident recorded before rosters were frozen falls back to.
public struct TeamFiles: Sendable, Equatable {
    /// The absolute runbooks directory they were read from.
    public var directory: String
    /// The team's configured runbooks directory (`RUNBOOK_PATH`, else `./runbooks`), absolute.
    public var configuredDirectory: String
    /// The text of `roster.yaml` (empty when the directory has none).
    public var rosterText: String
    /// The text of `contacts.yaml` (empty when the directory has none).
    public var contactsText: String
    /// The SHA-256 of `rosterText` and of `contactsText`, as they are stored and named in `roster.frozen`.
    public var rosterSHA256: String
    public var contactsSHA256: String
    public var roster: Roster
    public var contacts: Contacts
    /// The contacts as runbook read them before rosters were frozen: `file:` channels resolved against the
    /// parent of the directory as given (relative for `./runbooks`), so the pages of an incident recorded
    /// then keep the channel names their deliveries were recorded under and are never sent twice.
    public var unfrozenContacts: Contacts

    /// Parses the texts as the files of `directory` (`file:` channels resolve against its parent); `source`
    /// names them in error messages (default: their paths in `directory`); `givenDirectory` is the directory
    /// as the user named it, for `unfrozenContacts`.
    public init(directory: String, configuredDirectory: String? = nil, rosterText: String = "", contactsText: String = "",
                source: String? = nil, givenDirectory: String? = nil) throws(UserError) {
        let prefix = source ?? directory
        self.directory = directory
        self.configuredDirectory = configuredDirectory ?? directory
        self.rosterText = rosterText
        self.contactsText = contactsText
        rosterSHA256 = EventChain.sha256(rosterText)
        contactsSHA256 = EventChain.sha256(contactsText)
        roster = try Roster.parse(rosterText, file: "\(prefix)/roster.yaml")
        let base = FileIO.parent(of: directory)
        contacts = try Contacts.parse(contactsText, file: "\(prefix)/contacts.yaml", baseDirectory: base)
        let givenBase = givenDirectory.map(FileIO.parent(of:)) ?? base
        unfrozenContacts = givenBase == base ? contacts
            : try Contacts.parse(contactsText, file: "\(prefix)/contacts.yaml", baseDirectory: givenBase)
    }

    /// Reads `roster.yaml` and `contacts.yaml` of `directory` (missing files are empty); both directories
    /// are made absolute.
    public static func load(directory: String, configuredDirectory: String) throws(UserError) -> TeamFiles {
        func text(_ name: String) throws(UserError) -> String {
            let path = "\(directory)/\(name)"
            return FileIO.exists(path) ? try FileIO.read(path) : ""
        }
        let rosterText = try text("roster.yaml")
        let contactsText = try text("contacts.yaml")
        return try TeamFiles(directory: FileIO.absolutePath(directory), configuredDirectory: FileIO.absolutePath(configuredDirectory),
                             rosterText: rosterText, contactsText: contactsText, source: directory, givenDirectory: directory)
    }

    /// The event facts of freezing these files into an incident.
    public func freeze(reload: Bool) -> RosterFreeze {
        RosterFreeze(rosterSHA256: rosterSHA256, contactsSHA256: contactsSHA256,
                     directory: directory, configuredDirectory: configuredDirectory, logins: roster.bindings, reload: reload)
    }
}
