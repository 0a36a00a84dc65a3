-- SQLite 010: the waiting-list entry of a first call, by index (a client's record reads it per call).
CREATE INDEX IF NOT EXISTS waiting_list_intake ON waiting_list (intake_id);
