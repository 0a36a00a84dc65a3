-- One row per membership period. A client who leaves a group and joins it again keeps both periods:
-- the earlier sessions still count them as attending (statistics, the separation rule looking back),
-- where the single row per group and client used to be overwritten by the new joining date.
CREATE TABLE group_membership_periods (
  group_id TEXT NOT NULL REFERENCES groups (id),
  client_id TEXT NOT NULL REFERENCES clients (id),
  joined_at TEXT NOT NULL,
  left_at TEXT,
  PRIMARY KEY (group_id, client_id, joined_at)
) STRICT;
INSERT INTO group_membership_periods (group_id, client_id, joined_at, left_at)
  SELECT group_id, client_id, joined_at, left_at FROM group_members;
DROP TABLE group_members;
ALTER TABLE group_membership_periods RENAME TO group_members;
CREATE INDEX group_members_client ON group_members (client_id);
-- At most one open period per group and client.
CREATE UNIQUE INDEX group_members_open ON group_members (group_id, client_id) WHERE left_at IS NULL;
