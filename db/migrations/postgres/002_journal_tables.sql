-- The rest of the journal's tables on PostgreSQL: premises, municipalities, therapists, contact
-- details, intakes and the waiting list, groups, the journal, care and emergency access, the
-- access log, the contact-person network and the published statistics. Columns mirror
-- db/migrations/*.sql one for one, with the value conventions of 001 (db/engine/README.md):
-- instants timestamptz, calendar dates date, flags smallint 0/1. The rights, row-level security
-- and append-only rules come in 003.

CREATE TABLE entrances (
  id text PRIMARY KEY,
  site_id text NOT NULL REFERENCES sites (id),
  name text NOT NULL,
  UNIQUE (site_id, name)
);

CREATE TABLE waiting_rooms (
  id text PRIMARY KEY,
  site_id text NOT NULL REFERENCES sites (id),
  entrance_id text NOT NULL REFERENCES entrances (id),
  name text NOT NULL,
  capacity integer NOT NULL CHECK (capacity BETWEEN 1 AND 200),
  UNIQUE (site_id, name)
);

CREATE TABLE rooms (
  id text PRIMARY KEY,
  site_id text NOT NULL REFERENCES sites (id),
  name text NOT NULL,
  active smallint NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  purpose text NOT NULL DEFAULT 'individual' CHECK (purpose IN ('individual', 'group')),
  UNIQUE (site_id, name)
);

CREATE TABLE track_routes (
  site_id text NOT NULL REFERENCES sites (id),
  track text NOT NULL CHECK (track IN ('victim', 'perpetrator', 'child')),
  entrance_id text NOT NULL REFERENCES entrances (id),
  waiting_room_id text NOT NULL REFERENCES waiting_rooms (id),
  PRIMARY KEY (site_id, track)
);

CREATE TABLE municipalities (
  code text PRIMARY KEY,
  name text NOT NULL,
  region text NOT NULL CHECK (region IN ('skaraborg', 'sodra_alvsborg', 'other')),
  etapp2 smallint NOT NULL DEFAULT 0 CHECK (etapp2 IN (0, 1))
);

CREATE TABLE therapist_profiles (
  user_id text PRIMARY KEY REFERENCES users (id),
  site_id text NOT NULL REFERENCES sites (id)
);

CREATE TABLE therapist_tracks (
  user_id text NOT NULL REFERENCES users (id),
  track text NOT NULL CHECK (track IN ('victim', 'perpetrator', 'child')),
  PRIMARY KEY (user_id, track)
);

CREATE TABLE therapist_hours (
  user_id text NOT NULL REFERENCES users (id),
  weekday integer NOT NULL CHECK (weekday BETWEEN 1 AND 7),
  start_minute integer NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),
  end_minute integer NOT NULL CHECK (end_minute BETWEEN 1 AND 1440),
  PRIMARY KEY (user_id, weekday),
  CHECK (end_minute > start_minute)
);

-- The foreign keys 001 left bare until these tables existed.
ALTER TABLE clients ADD CONSTRAINT clients_municipality_code_fkey FOREIGN KEY (municipality_code) REFERENCES municipalities (code);
ALTER TABLE appointments ADD CONSTRAINT appointments_room_id_fkey FOREIGN KEY (room_id) REFERENCES rooms (id);
-- SQLite's clients_name (COLLATE NOCASE); appointments_group and _room follow the groups table below.
CREATE INDEX clients_name ON clients (lower(name));

CREATE TABLE client_contacts (
  client_id text PRIMARY KEY REFERENCES clients (id),
  phone text,
  phone_digits text,
  safe_to_call smallint NOT NULL DEFAULT 0 CHECK (safe_to_call IN (0, 1)),
  safe_to_text smallint NOT NULL DEFAULT 0 CHECK (safe_to_text IN (0, 1)),
  safe_voicemail smallint NOT NULL DEFAULT 0 CHECK (safe_voicemail IN (0, 1)),
  safe_times text,
  code_word text,
  instructions text,
  address text
);
CREATE INDEX client_contacts_phone ON client_contacts (phone_digits);

-- The contact-person register holds no client data: an intake points at a contact person, never the reverse.
CREATE TABLE contact_persons (
  id text PRIMARY KEY,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
  agency_kind text NOT NULL CHECK (
    agency_kind IN ('social_services', 'primary_care', 'hospital', 'police', 'prosecution', 'probation', 'voluntary', 'other')
  ),
  agency text NOT NULL CHECK (length(agency) BETWEEN 1 AND 100),
  unit text,
  municipality_code text REFERENCES municipalities (code),
  role text,
  email text,
  phone text,
  -- Local calendar dates; an assignment ends on its end date, inclusive.
  assignment_start date NOT NULL,
  assignment_end date,
  created_at timestamptz NOT NULL,
  created_by text NOT NULL REFERENCES users (id),
  updated_at timestamptz NOT NULL,
  updated_by text NOT NULL REFERENCES users (id),
  CHECK (email IS NOT NULL OR phone IS NOT NULL),
  CHECK (assignment_end IS NULL OR assignment_end >= assignment_start)
);
CREATE INDEX contact_persons_name ON contact_persons (lower(name));
CREATE INDEX contact_persons_email ON contact_persons (lower(email));
CREATE INDEX contact_persons_end ON contact_persons (assignment_end);

CREATE TABLE network_days (
  id text PRIMARY KEY,
  held_on date NOT NULL,
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 120),
  site_id text REFERENCES sites (id),
  created_at timestamptz NOT NULL,
  created_by text NOT NULL REFERENCES users (id),
  updated_at timestamptz NOT NULL,
  updated_by text NOT NULL REFERENCES users (id)
);
CREATE INDEX network_days_held_on ON network_days (held_on);

CREATE TABLE network_day_attendance (
  network_day_id text NOT NULL REFERENCES network_days (id),
  contact_id text NOT NULL REFERENCES contact_persons (id),
  recorded_at timestamptz NOT NULL,
  recorded_by text NOT NULL REFERENCES users (id),
  PRIMARY KEY (network_day_id, contact_id)
);
CREATE INDEX network_day_attendance_contact ON network_day_attendance (contact_id);

CREATE TABLE intakes (
  id text PRIMARY KEY,
  client_id text NOT NULL REFERENCES clients (id),
  received_at timestamptz NOT NULL,
  received_by text NOT NULL REFERENCES users (id),
  contact_by text NOT NULL CHECK (contact_by IN ('self', 'agency', 'outreach')),
  referral_source text NOT NULL,
  referral_note text,
  urgency text NOT NULL CHECK (urgency IN ('acute', 'high', 'normal')),
  reason text,
  outcome text NOT NULL CHECK (outcome IN ('booked', 'waiting_list', 'referred', 'no_further_contact')),
  referred_to text,
  routing text NOT NULL CHECK (routing IN ('etapp2_social_secretary', 'utvag_coordinator', 'not_applicable')),
  routing_reason text NOT NULL,
  referrer_contact_id text REFERENCES contact_persons (id)
);
CREATE INDEX intakes_client ON intakes (client_id, received_at);
CREATE INDEX intakes_received ON intakes (received_at);
CREATE INDEX intakes_referrer ON intakes (referrer_contact_id);

-- A contact person named on an intake stays (the intake must keep saying who referred): the
-- foreign key refuses the delete; this says why, as SQLite's trigger does.
CREATE FUNCTION contact_persons_named_undeletable() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM public.intakes WHERE referrer_contact_id = OLD.id) THEN
    RAISE EXCEPTION 'a contact person named on an intake cannot be deleted; end the assignment instead';
  END IF;
  RETURN OLD;
END
$$;
CREATE TRIGGER contact_persons_named_undeletable BEFORE DELETE ON contact_persons
FOR EACH ROW EXECUTE FUNCTION contact_persons_named_undeletable();

CREATE TABLE waiting_list (
  id text PRIMARY KEY,
  client_id text NOT NULL REFERENCES clients (id),
  intake_id text REFERENCES intakes (id),
  added_at timestamptz NOT NULL,
  removed_at timestamptz,
  removed_reason text
);
CREATE INDEX waiting_list_open ON waiting_list (removed_at, added_at);

CREATE TABLE groups (
  id text PRIMARY KEY,
  site_id text NOT NULL REFERENCES sites (id),
  track text NOT NULL CHECK (track IN ('victim', 'perpetrator', 'child')),
  name text NOT NULL,
  therapist_id text NOT NULL REFERENCES users (id),
  room_id text REFERENCES rooms (id),
  created_at timestamptz NOT NULL
);

-- One row per membership period (SQLite 006); at most one open period per group and client.
CREATE TABLE group_members (
  group_id text NOT NULL REFERENCES groups (id),
  client_id text NOT NULL REFERENCES clients (id),
  joined_at timestamptz NOT NULL,
  left_at timestamptz,
  PRIMARY KEY (group_id, client_id, joined_at)
);
CREATE INDEX group_members_client ON group_members (client_id);
CREATE UNIQUE INDEX group_members_open ON group_members (group_id, client_id) WHERE left_at IS NULL;

ALTER TABLE appointments ADD CONSTRAINT appointments_group_id_fkey FOREIGN KEY (group_id) REFERENCES groups (id);
CREATE INDEX appointments_group ON appointments (group_id, starts_at);
CREATE INDEX appointments_room ON appointments (room_id, starts_at);

-- Who saw or changed what. Append-only and hash-chained (db/accessLog.ts computes the hashes); no
-- foreign keys, as in SQLite: the log outlives any record it speaks of. seq is written by the
-- app (the chain covers it), never a sequence: a rolled-back append must leave no gap.
CREATE TABLE access_log (
  seq bigint PRIMARY KEY CHECK (seq >= 1),
  at timestamptz NOT NULL,
  user_id text,
  client_id text,
  record text,
  action text NOT NULL,
  channel text,
  emergency smallint NOT NULL DEFAULT 0 CHECK (emergency IN (0, 1)),
  reason text,
  prev_hash text NOT NULL,
  hash text NOT NULL
);
CREATE INDEX access_log_client ON access_log (client_id, at);
CREATE INDEX access_log_user ON access_log (user_id, at);

CREATE TABLE care_relations (
  id text PRIMARY KEY,
  client_id text NOT NULL REFERENCES clients (id),
  therapist_id text NOT NULL REFERENCES users (id),
  started_at timestamptz NOT NULL,
  ended_at timestamptz,
  created_by text NOT NULL REFERENCES users (id)
);
CREATE INDEX care_relations_client ON care_relations (client_id, ended_at);
CREATE INDEX care_relations_therapist ON care_relations (therapist_id, ended_at);

-- The access_log row that records the emergency access; the foreign key (not in SQLite) holds
-- because log rows are never removed.
CREATE TABLE emergency_grants (
  id text PRIMARY KEY,
  client_id text NOT NULL REFERENCES clients (id),
  user_id text NOT NULL REFERENCES users (id),
  granted_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  reason text NOT NULL,
  access_log_seq bigint NOT NULL REFERENCES access_log (seq)
);
CREATE INDEX emergency_grants_user ON emergency_grants (user_id, client_id, expires_at);

-- A signed entry never changes: corrections are new entries that amend it (003 enforces it).
CREATE TABLE journal_entries (
  id text PRIMARY KEY,
  client_id text NOT NULL REFERENCES clients (id),
  author_id text NOT NULL REFERENCES users (id),
  kind text NOT NULL CHECK (kind IN ('note', 'assessment', 'treatment_plan', 'closing_summary')),
  status text NOT NULL CHECK (status IN ('draft', 'signed')),
  body text NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  signed_at timestamptz,
  amends_id text REFERENCES journal_entries (id),
  amendment_reason text,
  CHECK ((status = 'signed') = (signed_at IS NOT NULL)),
  CHECK ((amends_id IS NULL) = (amendment_reason IS NULL))
);
CREATE INDEX journal_entries_client ON journal_entries (client_id, created_at);

-- An admin's review of a flagged emergency access: its own row, so the log row stays untouched.
CREATE TABLE access_reviews (
  access_log_seq bigint PRIMARY KEY REFERENCES access_log (seq),
  reviewed_at timestamptz NOT NULL,
  reviewed_by text NOT NULL REFERENCES users (id),
  note text
);

-- Published statistics of each ended quarter, fixed the first time they are produced (003 keeps them fixed).
CREATE TABLE stats_quarters (
  year integer NOT NULL,
  quarter integer NOT NULL CHECK (quarter BETWEEN 1 AND 4),
  report text NOT NULL,
  fixed_at timestamptz NOT NULL,
  PRIMARY KEY (year, quarter)
);

-- The municipalities of the two areas, as in SQLite's 002 (a client's municipality refers to them).
INSERT INTO municipalities (code, name, region, etapp2) VALUES
  ('1445', 'Essunga', 'skaraborg', 0),
  ('1499', 'Falköping', 'skaraborg', 1),
  ('1444', 'Grästorp', 'skaraborg', 0),
  ('1447', 'Gullspång', 'skaraborg', 0),
  ('1471', 'Götene', 'skaraborg', 0),
  ('1497', 'Hjo', 'skaraborg', 0),
  ('1446', 'Karlsborg', 'skaraborg', 0),
  ('1494', 'Lidköping', 'skaraborg', 1),
  ('1493', 'Mariestad', 'skaraborg', 1),
  ('1495', 'Skara', 'skaraborg', 1),
  ('1496', 'Skövde', 'skaraborg', 0),
  ('1472', 'Tibro', 'skaraborg', 0),
  ('1498', 'Tidaholm', 'skaraborg', 0),
  ('1473', 'Töreboda', 'skaraborg', 0),
  ('1470', 'Vara', 'skaraborg', 1),
  ('1489', 'Alingsås', 'sodra_alvsborg', 0),
  ('1443', 'Bollebygd', 'sodra_alvsborg', 0),
  ('1490', 'Borås', 'sodra_alvsborg', 0),
  ('1466', 'Herrljunga', 'sodra_alvsborg', 0),
  ('1441', 'Lerum', 'sodra_alvsborg', 0),
  ('1463', 'Mark', 'sodra_alvsborg', 0),
  ('1465', 'Svenljunga', 'sodra_alvsborg', 0),
  ('1452', 'Tranemo', 'sodra_alvsborg', 0),
  ('1491', 'Ulricehamn', 'sodra_alvsborg', 0),
  ('1442', 'Vårgårda', 'sodra_alvsborg', 0),
  ('other', 'Annan kommun', 'other', 0);
