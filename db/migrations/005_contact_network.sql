-- Utväg's contact persons in the collaborating agencies (50–60 people), kept by admins.
-- The register holds no client data: an intake points at a contact person, never the reverse.
-- Dates are local calendar dates (YYYY-MM-DD); an assignment ends on its end date, inclusive.
CREATE TABLE contact_persons (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
  agency_kind TEXT NOT NULL CHECK (
    agency_kind IN ('social_services', 'primary_care', 'hospital', 'police', 'prosecution', 'probation', 'voluntary', 'other')
  ),
  agency TEXT NOT NULL CHECK (length(agency) BETWEEN 1 AND 100),
  unit TEXT,
  -- Null for agencies that serve the whole area (the hospital, the prosecution authority).
  municipality_code TEXT REFERENCES municipalities (code),
  role TEXT,
  email TEXT,
  phone TEXT,
  assignment_start TEXT NOT NULL CHECK (assignment_start GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
  assignment_end TEXT CHECK (assignment_end IS NULL OR assignment_end GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL REFERENCES users (id),
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL REFERENCES users (id),
  CHECK (email IS NOT NULL OR phone IS NOT NULL),
  CHECK (assignment_end IS NULL OR assignment_end >= assignment_start)
) STRICT;
CREATE INDEX contact_persons_name ON contact_persons (name COLLATE NOCASE);
CREATE INDEX contact_persons_email ON contact_persons (email COLLATE NOCASE);
CREATE INDEX contact_persons_end ON contact_persons (assignment_end);

-- The network days (a full day of lectures and exchange, once or twice a year) and who came.
CREATE TABLE network_days (
  id TEXT PRIMARY KEY,
  held_on TEXT NOT NULL CHECK (held_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
  title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 120),
  site_id TEXT REFERENCES sites (id),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL REFERENCES users (id),
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL REFERENCES users (id)
) STRICT;
CREATE INDEX network_days_held_on ON network_days (held_on);

CREATE TABLE network_day_attendance (
  network_day_id TEXT NOT NULL REFERENCES network_days (id),
  contact_id TEXT NOT NULL REFERENCES contact_persons (id),
  recorded_at TEXT NOT NULL,
  recorded_by TEXT NOT NULL REFERENCES users (id),
  PRIMARY KEY (network_day_id, contact_id)
) STRICT;
CREATE INDEX network_day_attendance_contact ON network_day_attendance (contact_id);

-- The contact person who referred, when the referral names one.
ALTER TABLE intakes ADD COLUMN referrer_contact_id TEXT REFERENCES contact_persons (id);
CREATE INDEX intakes_referrer ON intakes (referrer_contact_id);

-- A contact person named on an intake stays for good (the intake must keep saying who referred):
-- the assignment is ended instead. The foreign key refuses it too; this says why, even with keys off.
CREATE TRIGGER contact_persons_named_undeletable BEFORE DELETE ON contact_persons
WHEN EXISTS (SELECT 1 FROM intakes WHERE referrer_contact_id = OLD.id)
BEGIN
  SELECT RAISE(ABORT, 'a contact person named on an intake cannot be deleted; end the assignment instead');
END;
