-- Staff accounts. Key slots live in the keyring file; this table holds who they are and what they may do.
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  username TEXT NOT NULL UNIQUE COLLATE NOCASE,
  display_name TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1)),
  created_at TEXT NOT NULL,
  last_login_at TEXT
) STRICT;

CREATE TABLE user_roles (
  user_id TEXT NOT NULL REFERENCES users (id),
  role TEXT NOT NULL CHECK (role IN ('receptionist', 'therapist', 'admin')),
  PRIMARY KEY (user_id, role)
) STRICT;

-- Centre-wide settings as JSON values, validated by the contract before they are written.
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT REFERENCES users (id)
) STRICT;

-- The people the centre serves. The reception work adds intake, contact and scheduling tables.
CREATE TABLE clients (
  id TEXT PRIMARY KEY,
  track TEXT NOT NULL CHECK (track IN ('victim', 'perpetrator', 'child')),
  name TEXT NOT NULL,
  is_alias INTEGER NOT NULL DEFAULT 0 CHECK (is_alias IN (0, 1)),
  personal_number TEXT,
  birth_year INTEGER,
  protected_identity INTEGER NOT NULL DEFAULT 0 CHECK (protected_identity IN (0, 1)),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL REFERENCES users (id)
) STRICT;
CREATE INDEX clients_name ON clients (name COLLATE NOCASE);
CREATE INDEX clients_personal_number ON clients (personal_number);

-- Who saw or changed what. Append-only: rows are chained by hash, and triggers refuse edits.
-- No foreign keys: the log must outlive any record it speaks of.
CREATE TABLE access_log (
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  user_id TEXT,
  client_id TEXT,
  record TEXT,
  action TEXT NOT NULL,
  channel TEXT,
  emergency INTEGER NOT NULL DEFAULT 0 CHECK (emergency IN (0, 1)),
  reason TEXT,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
) STRICT;
CREATE INDEX access_log_client ON access_log (client_id, at);
CREATE INDEX access_log_user ON access_log (user_id, at);

CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log
BEGIN
  SELECT RAISE(ABORT, 'the access log is append-only');
END;

CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log
BEGIN
  SELECT RAISE(ABORT, 'the access log is append-only');
END;
