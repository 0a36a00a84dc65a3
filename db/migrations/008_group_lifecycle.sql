-- A group ends: it takes no further sessions, and its coming ones are cancelled in the same transaction.
ALTER TABLE groups ADD COLUMN ended_at TEXT;
-- Attendance per member and group session: present, absent, or cancelled (the member called off this one).
-- One row per member whose attendance has been recorded; a member without a row is not yet recorded.
CREATE TABLE group_attendance (
  appointment_id TEXT NOT NULL REFERENCES appointments (id),
  client_id TEXT NOT NULL REFERENCES clients (id),
  status TEXT NOT NULL CHECK (status IN ('present', 'absent', 'cancelled')),
  recorded_at TEXT NOT NULL,
  recorded_by TEXT NOT NULL REFERENCES users (id),
  PRIMARY KEY (appointment_id, client_id)
) STRICT;
CREATE INDEX group_attendance_client ON group_attendance (client_id);
