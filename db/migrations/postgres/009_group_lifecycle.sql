-- SQLite 008: a group's end and attendance per member and session, with the same rights and side
-- rules as the group's members (003), and change events like theirs (005).
ALTER TABLE groups ADD COLUMN ended_at timestamptz;

CREATE TABLE group_attendance (
  appointment_id text NOT NULL REFERENCES appointments (id),
  client_id text NOT NULL REFERENCES clients (id),
  status text NOT NULL CHECK (status IN ('present', 'absent', 'cancelled')),
  recorded_at timestamptz NOT NULL,
  recorded_by text NOT NULL REFERENCES users (id),
  PRIMARY KEY (appointment_id, client_id)
);
CREATE INDEX group_attendance_client ON group_attendance (client_id);

-- Reception ends a group (only that column changes) and records attendance; the group's
-- therapist records it too (the router limits her to the groups she leads); admins read.
GRANT UPDATE (ended_at) ON groups TO utvag_receptionist;
GRANT SELECT, INSERT, UPDATE ON group_attendance TO utvag_receptionist, utvag_therapist;
GRANT SELECT ON group_attendance TO utvag_admin;

-- Attendance is always written in the recorder's own name.
CREATE POLICY group_attendance_rows ON group_attendance FOR SELECT USING (true);
CREATE POLICY group_attendance_own_name ON group_attendance FOR INSERT WITH CHECK (recorded_by = utvag_user());
CREATE POLICY group_attendance_own_update ON group_attendance FOR UPDATE USING (true) WITH CHECK (recorded_by = utvag_user());
-- One side per transaction: a row is there when its session and its client are (as group_members).
CREATE POLICY group_attendance_side ON group_attendance AS RESTRICTIVE FOR ALL
  USING (EXISTS (SELECT 1 FROM appointments a WHERE a.id = appointment_id) AND EXISTS (SELECT 1 FROM clients c WHERE c.id = client_id));
ALTER TABLE group_attendance ENABLE ROW LEVEL SECURITY;

CREATE FUNCTION group_attendance_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  subject record;
BEGIN
  SELECT g.site_id, g.track INTO subject
    FROM public.appointments a JOIN public.groups g ON g.id = a.group_id WHERE a.id = NEW.appointment_id;
  PERFORM public.notify_change('groups', subject.site_id, public.separation_side(subject.track), NULL);
  RETURN NULL;
END $$;
CREATE TRIGGER group_attendance_changed AFTER INSERT OR UPDATE ON group_attendance FOR EACH ROW EXECUTE FUNCTION group_attendance_changed();
REVOKE ALL ON FUNCTION group_attendance_changed() FROM PUBLIC;
