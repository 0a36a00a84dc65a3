-- Care relations: a therapist may open a client's journal while one is active.
CREATE TABLE care_relations (
  id TEXT PRIMARY KEY,
  client_id TEXT NOT NULL REFERENCES clients (id),
  therapist_id TEXT NOT NULL REFERENCES users (id),
  started_at TEXT NOT NULL,
  ended_at TEXT,
  created_by TEXT NOT NULL REFERENCES users (id)
) STRICT;
CREATE INDEX care_relations_client ON care_relations (client_id, ended_at);
CREATE INDEX care_relations_therapist ON care_relations (therapist_id, ended_at);

-- Emergency access: a written reason opens one client's journal for a limited time, and is flagged for review.
CREATE TABLE emergency_grants (
  id TEXT PRIMARY KEY,
  client_id TEXT NOT NULL REFERENCES clients (id),
  user_id TEXT NOT NULL REFERENCES users (id),
  granted_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  reason TEXT NOT NULL,
  access_log_seq INTEGER NOT NULL
) STRICT;
CREATE INDEX emergency_grants_user ON emergency_grants (user_id, client_id, expires_at);

-- The journal itself. A signed entry never changes: corrections are new entries that amend it.
CREATE TABLE journal_entries (
  id TEXT PRIMARY KEY,
  client_id TEXT NOT NULL REFERENCES clients (id),
  author_id TEXT NOT NULL REFERENCES users (id),
  kind TEXT NOT NULL CHECK (kind IN ('note', 'assessment', 'treatment_plan', 'closing_summary')),
  status TEXT NOT NULL CHECK (status IN ('draft', 'signed')),
  body TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  signed_at TEXT,
  amends_id TEXT REFERENCES journal_entries (id),
  amendment_reason TEXT,
  CHECK ((status = 'signed') = (signed_at IS NOT NULL)),
  CHECK ((amends_id IS NULL) = (amendment_reason IS NULL))
) STRICT;
CREATE INDEX journal_entries_client ON journal_entries (client_id, created_at);

CREATE TRIGGER journal_signed_immutable BEFORE UPDATE ON journal_entries
WHEN OLD.status = 'signed'
BEGIN
  SELECT RAISE(ABORT, 'a signed journal entry cannot be changed; amend it instead');
END;

CREATE TRIGGER journal_signed_undeletable BEFORE DELETE ON journal_entries
WHEN OLD.status = 'signed'
BEGIN
  SELECT RAISE(ABORT, 'a signed journal entry cannot be deleted');
END;

-- Admins mark flagged emergency accesses as reviewed. The access log stays untouched (append-only).
CREATE TABLE access_reviews (
  access_log_seq INTEGER PRIMARY KEY,
  reviewed_at TEXT NOT NULL,
  reviewed_by TEXT NOT NULL REFERENCES users (id),
  note TEXT
) STRICT;
