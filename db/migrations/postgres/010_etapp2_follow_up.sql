-- SQLite 009: the coordinator's follow-up of routed intakes, kept by reception, read by admins; in one's
-- own name, and on one side per transaction as the intake it follows (003).
CREATE TABLE etapp2_follow_ups (
  intake_id text PRIMARY KEY REFERENCES intakes (id),
  status text NOT NULL CHECK (status IN ('handed_over', 'contacted', 'offered_group', 'joined', 'declined')),
  updated_at timestamptz NOT NULL,
  updated_by text NOT NULL REFERENCES users (id)
);

GRANT SELECT, INSERT, UPDATE ON etapp2_follow_ups TO utvag_receptionist;
GRANT SELECT ON etapp2_follow_ups TO utvag_admin;

CREATE POLICY etapp2_follow_ups_rows ON etapp2_follow_ups FOR SELECT USING (true);
CREATE POLICY etapp2_follow_ups_own_name ON etapp2_follow_ups FOR INSERT WITH CHECK (updated_by = utvag_user());
CREATE POLICY etapp2_follow_ups_own_update ON etapp2_follow_ups FOR UPDATE USING (true) WITH CHECK (updated_by = utvag_user());
CREATE POLICY etapp2_follow_ups_side ON etapp2_follow_ups AS RESTRICTIVE FOR ALL
  USING (EXISTS (SELECT 1 FROM intakes i WHERE i.id = intake_id));
ALTER TABLE etapp2_follow_ups ENABLE ROW LEVEL SECURITY;
