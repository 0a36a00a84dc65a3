-- The coordinator's follow-up of each intake routed to a municipality's social secretary (Etapp 2),
-- until it reaches Utväg's group treatment or ends. No row: routed, not yet handed over.
CREATE TABLE etapp2_follow_ups (
  intake_id TEXT PRIMARY KEY REFERENCES intakes (id),
  status TEXT NOT NULL CHECK (status IN ('handed_over', 'contacted', 'offered_group', 'joined', 'declined')),
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL REFERENCES users (id)
) STRICT;
