-- The centre's premises: each site has entrances, waiting rooms (with a capacity) and rooms.
CREATE TABLE sites (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  sort INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE entrances (
  id TEXT PRIMARY KEY,
  site_id TEXT NOT NULL REFERENCES sites (id),
  name TEXT NOT NULL,
  UNIQUE (site_id, name)
) STRICT;

CREATE TABLE waiting_rooms (
  id TEXT PRIMARY KEY,
  site_id TEXT NOT NULL REFERENCES sites (id),
  entrance_id TEXT NOT NULL REFERENCES entrances (id),
  name TEXT NOT NULL,
  capacity INTEGER NOT NULL CHECK (capacity BETWEEN 1 AND 200),
  UNIQUE (site_id, name)
) STRICT;

CREATE TABLE rooms (
  id TEXT PRIMARY KEY,
  site_id TEXT NOT NULL REFERENCES sites (id),
  name TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  UNIQUE (site_id, name)
) STRICT;

-- Which entrance and waiting room each track uses at each site. Perpetrators have their own.
CREATE TABLE track_routes (
  site_id TEXT NOT NULL REFERENCES sites (id),
  track TEXT NOT NULL CHECK (track IN ('victim', 'perpetrator', 'child')),
  entrance_id TEXT NOT NULL REFERENCES entrances (id),
  waiting_room_id TEXT NOT NULL REFERENCES waiting_rooms (id),
  PRIMARY KEY (site_id, track)
) STRICT;

-- Municipalities by official code; 'other' stands for every municipality outside the two areas.
CREATE TABLE municipalities (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  region TEXT NOT NULL CHECK (region IN ('skaraborg', 'sodra_alvsborg', 'other')),
  etapp2 INTEGER NOT NULL DEFAULT 0 CHECK (etapp2 IN (0, 1))
) STRICT;

-- Therapists: where they work, which tracks they serve, and their weekly working hours (local time).
CREATE TABLE therapist_profiles (
  user_id TEXT PRIMARY KEY REFERENCES users (id),
  site_id TEXT NOT NULL REFERENCES sites (id)
) STRICT;

CREATE TABLE therapist_tracks (
  user_id TEXT NOT NULL REFERENCES users (id),
  track TEXT NOT NULL CHECK (track IN ('victim', 'perpetrator', 'child')),
  PRIMARY KEY (user_id, track)
) STRICT;

CREATE TABLE therapist_hours (
  user_id TEXT NOT NULL REFERENCES users (id),
  weekday INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
  start_minute INTEGER NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),
  end_minute INTEGER NOT NULL CHECK (end_minute BETWEEN 1 AND 1440),
  PRIMARY KEY (user_id, weekday),
  CHECK (end_minute > start_minute)
) STRICT;

-- More about each client, recorded at the first call.
ALTER TABLE clients ADD COLUMN gender TEXT NOT NULL DEFAULT 'unknown' CHECK (gender IN ('female', 'male', 'other', 'unknown'));
ALTER TABLE clients ADD COLUMN municipality_code TEXT REFERENCES municipalities (code);
ALTER TABLE clients ADD COLUMN language TEXT;
ALTER TABLE clients ADD COLUMN interpreter_needed INTEGER NOT NULL DEFAULT 0 CHECK (interpreter_needed IN (0, 1));
ALTER TABLE clients ADD COLUMN site_id TEXT REFERENCES sites (id);
ALTER TABLE clients ADD COLUMN children_under_18 INTEGER NOT NULL DEFAULT 0 CHECK (children_under_18 BETWEEN 0 AND 30);
ALTER TABLE clients ADD COLUMN first_contact_at TEXT;
ALTER TABLE clients ADD COLUMN search_name TEXT;
CREATE INDEX clients_search_name ON clients (search_name);
CREATE INDEX clients_track ON clients (track);

-- How and when it is safe to reach the client. Shown beside the phone number wherever it appears.
CREATE TABLE client_contacts (
  client_id TEXT PRIMARY KEY REFERENCES clients (id),
  phone TEXT,
  phone_digits TEXT,
  safe_to_call INTEGER NOT NULL DEFAULT 0 CHECK (safe_to_call IN (0, 1)),
  safe_to_text INTEGER NOT NULL DEFAULT 0 CHECK (safe_to_text IN (0, 1)),
  safe_voicemail INTEGER NOT NULL DEFAULT 0 CHECK (safe_voicemail IN (0, 1)),
  safe_times TEXT,
  code_word TEXT,
  instructions TEXT,
  address TEXT
) STRICT;
CREATE INDEX client_contacts_phone ON client_contacts (phone_digits);

-- Known relations between clients. Stored once per pair, the smaller id first.
CREATE TABLE client_links (
  id TEXT PRIMARY KEY,
  client_a TEXT NOT NULL REFERENCES clients (id),
  client_b TEXT NOT NULL REFERENCES clients (id),
  kind TEXT NOT NULL CHECK (kind IN ('partner', 'former_partner', 'parent_child', 'other')),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL REFERENCES users (id),
  CHECK (client_a < client_b),
  UNIQUE (client_a, client_b)
) STRICT;
CREATE INDEX client_links_b ON client_links (client_b);

-- The first call (or referral), with the routing decision for outreach and its reason.
CREATE TABLE intakes (
  id TEXT PRIMARY KEY,
  client_id TEXT NOT NULL REFERENCES clients (id),
  received_at TEXT NOT NULL,
  received_by TEXT NOT NULL REFERENCES users (id),
  contact_by TEXT NOT NULL CHECK (contact_by IN ('self', 'agency', 'outreach')),
  referral_source TEXT NOT NULL,
  referral_note TEXT,
  urgency TEXT NOT NULL CHECK (urgency IN ('acute', 'high', 'normal')),
  reason TEXT,
  outcome TEXT NOT NULL CHECK (outcome IN ('booked', 'waiting_list', 'referred', 'no_further_contact')),
  referred_to TEXT,
  routing TEXT NOT NULL CHECK (routing IN ('etapp2_social_secretary', 'utvag_coordinator', 'not_applicable')),
  routing_reason TEXT NOT NULL
) STRICT;
CREATE INDEX intakes_client ON intakes (client_id, received_at);
CREATE INDEX intakes_received ON intakes (received_at);

CREATE TABLE waiting_list (
  id TEXT PRIMARY KEY,
  client_id TEXT NOT NULL REFERENCES clients (id),
  intake_id TEXT REFERENCES intakes (id),
  added_at TEXT NOT NULL,
  removed_at TEXT,
  removed_reason TEXT
) STRICT;
CREATE INDEX waiting_list_open ON waiting_list (removed_at, added_at);

-- Treatment groups per track, and their members over time.
CREATE TABLE groups (
  id TEXT PRIMARY KEY,
  site_id TEXT NOT NULL REFERENCES sites (id),
  track TEXT NOT NULL CHECK (track IN ('victim', 'perpetrator', 'child')),
  name TEXT NOT NULL,
  therapist_id TEXT NOT NULL REFERENCES users (id),
  room_id TEXT REFERENCES rooms (id),
  created_at TEXT NOT NULL
) STRICT;

CREATE TABLE group_members (
  group_id TEXT NOT NULL REFERENCES groups (id),
  client_id TEXT NOT NULL REFERENCES clients (id),
  joined_at TEXT NOT NULL,
  left_at TEXT,
  PRIMARY KEY (group_id, client_id)
) STRICT;
CREATE INDEX group_members_client ON group_members (client_id);

-- Appointments. Instants are UTC ISO-8601; the side is stored so a view of one side never reads the other.
CREATE TABLE appointments (
  id TEXT PRIMARY KEY,
  site_id TEXT NOT NULL REFERENCES sites (id),
  side TEXT NOT NULL CHECK (side IN ('victims', 'perpetrators')),
  kind TEXT NOT NULL CHECK (kind IN ('first_call', 'first_visit', 'individual', 'group', 'consultation')),
  status TEXT NOT NULL DEFAULT 'booked' CHECK (status IN ('booked', 'arrived', 'in_session', 'done', 'no_show', 'cancelled')),
  starts_at TEXT NOT NULL,
  ends_at TEXT NOT NULL,
  therapist_id TEXT NOT NULL REFERENCES users (id),
  room_id TEXT REFERENCES rooms (id),
  client_id TEXT REFERENCES clients (id),
  group_id TEXT REFERENCES groups (id),
  note TEXT,
  cancel_reason TEXT,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL REFERENCES users (id),
  updated_at TEXT NOT NULL,
  CHECK (ends_at > starts_at),
  CHECK (NOT (client_id IS NOT NULL AND group_id IS NOT NULL))
) STRICT;
CREATE INDEX appointments_side_time ON appointments (side, starts_at);
CREATE INDEX appointments_site_time ON appointments (site_id, starts_at);
CREATE INDEX appointments_client ON appointments (client_id, starts_at);
CREATE INDEX appointments_group ON appointments (group_id, starts_at);
CREATE INDEX appointments_therapist ON appointments (therapist_id, starts_at);
CREATE INDEX appointments_room ON appointments (room_id, starts_at);

-- The two units and their premises as the centre starts with them; admins change them in settings.
INSERT INTO sites (id, name, sort) VALUES ('skaraborg', 'Utväg Skaraborg', 1), ('sodra-alvsborg', 'Utväg Södra Älvsborg', 2);

INSERT INTO entrances (id, site_id, name) VALUES
  ('skaraborg-main', 'skaraborg', 'Huvudentrén'),
  ('skaraborg-separate', 'skaraborg', 'Separat entré'),
  ('sodra-alvsborg-main', 'sodra-alvsborg', 'Huvudentrén'),
  ('sodra-alvsborg-separate', 'sodra-alvsborg', 'Separat entré');

INSERT INTO waiting_rooms (id, site_id, entrance_id, name, capacity) VALUES
  ('skaraborg-wr-victims', 'skaraborg', 'skaraborg-main', 'Väntrum A', 6),
  ('skaraborg-wr-children', 'skaraborg', 'skaraborg-main', 'Väntrum barn', 4),
  ('skaraborg-wr-perpetrators', 'skaraborg', 'skaraborg-separate', 'Väntrum B', 4),
  ('sodra-alvsborg-wr-victims', 'sodra-alvsborg', 'sodra-alvsborg-main', 'Väntrum A', 6),
  ('sodra-alvsborg-wr-children', 'sodra-alvsborg', 'sodra-alvsborg-main', 'Väntrum barn', 4),
  ('sodra-alvsborg-wr-perpetrators', 'sodra-alvsborg', 'sodra-alvsborg-separate', 'Väntrum B', 4);

INSERT INTO track_routes (site_id, track, entrance_id, waiting_room_id) VALUES
  ('skaraborg', 'victim', 'skaraborg-main', 'skaraborg-wr-victims'),
  ('skaraborg', 'child', 'skaraborg-main', 'skaraborg-wr-children'),
  ('skaraborg', 'perpetrator', 'skaraborg-separate', 'skaraborg-wr-perpetrators'),
  ('sodra-alvsborg', 'victim', 'sodra-alvsborg-main', 'sodra-alvsborg-wr-victims'),
  ('sodra-alvsborg', 'child', 'sodra-alvsborg-main', 'sodra-alvsborg-wr-children'),
  ('sodra-alvsborg', 'perpetrator', 'sodra-alvsborg-separate', 'sodra-alvsborg-wr-perpetrators');

INSERT INTO rooms (id, site_id, name) VALUES
  ('skaraborg-r1', 'skaraborg', 'Samtalsrum 1'),
  ('skaraborg-r2', 'skaraborg', 'Samtalsrum 2'),
  ('skaraborg-r3', 'skaraborg', 'Samtalsrum 3'),
  ('skaraborg-g1', 'skaraborg', 'Grupprummet'),
  ('sodra-alvsborg-r1', 'sodra-alvsborg', 'Samtalsrum 1'),
  ('sodra-alvsborg-r2', 'sodra-alvsborg', 'Samtalsrum 2'),
  ('sodra-alvsborg-g1', 'sodra-alvsborg', 'Grupprummet');

-- The 15 municipalities of Skaraborg and the 10 of Södra Älvsborg, by official municipality code.
-- Etapp 2 takes part initially in Lidköping, Mariestad, Skara, Falköping and Vara.
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
