-- The shared journal on PostgreSQL (server mode), first subset: users, roles, settings, sites,
-- clients, their links and appointments, with the database's own second line of defence.
-- Columns mirror db/migrations/*.sql (SQLite) one for one, so one repository serves both:
-- instants are timestamptz, flags smallint 0/1 (see db/engine/schema.ts). Run by the schema
-- owner, never by the server's login role.

CREATE EXTENSION IF NOT EXISTS btree_gist;

-- One NOLOGIN role per app role. The server's login role is a member of each (NOINHERIT, so it
-- has no rights of its own) and every transaction runs SET LOCAL ROLE to the signed-in person's.
DO $$
DECLARE
  name text;
BEGIN
  FOREACH name IN ARRAY ARRAY['utvag_receptionist', 'utvag_therapist', 'utvag_admin'] LOOP
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = name) THEN
      EXECUTE format('CREATE ROLE %I NOLOGIN', name);
    END IF;
  END LOOP;
END
$$;

CREATE TABLE users (
  id text PRIMARY KEY,
  username text NOT NULL,
  display_name text NOT NULL,
  active smallint NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  must_change_password smallint NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1)),
  created_at timestamptz NOT NULL,
  last_login_at timestamptz
);
-- SQLite's COLLATE NOCASE: usernames are unique regardless of case.
CREATE UNIQUE INDEX users_username ON users (lower(username));

CREATE TABLE user_roles (
  user_id text NOT NULL REFERENCES users (id),
  role text NOT NULL CHECK (role IN ('receptionist', 'therapist', 'admin')),
  PRIMARY KEY (user_id, role)
);

-- JSON text, as in SQLite: the contract validates it before it is written.
CREATE TABLE settings (
  key text PRIMARY KEY,
  value text NOT NULL,
  updated_at timestamptz NOT NULL,
  updated_by text REFERENCES users (id)
);

CREATE TABLE sites (
  id text PRIMARY KEY,
  name text NOT NULL UNIQUE,
  sort integer NOT NULL DEFAULT 0
);

CREATE TABLE clients (
  id text PRIMARY KEY,
  track text NOT NULL CHECK (track IN ('victim', 'perpetrator', 'child')),
  name text NOT NULL,
  is_alias smallint NOT NULL DEFAULT 0 CHECK (is_alias IN (0, 1)),
  personal_number text,
  birth_year integer,
  protected_identity smallint NOT NULL DEFAULT 0 CHECK (protected_identity IN (0, 1)),
  created_at timestamptz NOT NULL,
  created_by text NOT NULL REFERENCES users (id),
  gender text NOT NULL DEFAULT 'unknown' CHECK (gender IN ('female', 'male', 'other', 'unknown')),
  -- References municipalities once that table moves here.
  municipality_code text,
  language text,
  interpreter_needed smallint NOT NULL DEFAULT 0 CHECK (interpreter_needed IN (0, 1)),
  site_id text REFERENCES sites (id),
  children_under_18 integer NOT NULL DEFAULT 0 CHECK (children_under_18 BETWEEN 0 AND 30),
  first_contact_at timestamptz,
  search_name text
);
CREATE INDEX clients_search_name ON clients (search_name);
CREATE INDEX clients_personal_number ON clients (personal_number);
CREATE INDEX clients_track ON clients (track);

-- Stored once per pair, the smaller id first. COLLATE "C": the order of code units, as in SQLite
-- and JavaScript, whatever the database's locale.
CREATE TABLE client_links (
  id text PRIMARY KEY,
  client_a text NOT NULL REFERENCES clients (id),
  client_b text NOT NULL REFERENCES clients (id),
  kind text NOT NULL CHECK (kind IN ('partner', 'former_partner', 'parent_child', 'other')),
  created_at timestamptz NOT NULL,
  created_by text NOT NULL REFERENCES users (id),
  CHECK (client_a COLLATE "C" < client_b COLLATE "C"),
  UNIQUE (client_a, client_b)
);
CREATE INDEX client_links_b ON client_links (client_b);

CREATE TABLE appointments (
  id text PRIMARY KEY,
  site_id text NOT NULL REFERENCES sites (id),
  side text NOT NULL CHECK (side IN ('victims', 'perpetrators')),
  kind text NOT NULL CHECK (kind IN ('first_call', 'first_visit', 'individual', 'group', 'consultation')),
  status text NOT NULL DEFAULT 'booked' CHECK (status IN ('booked', 'arrived', 'in_session', 'done', 'no_show', 'cancelled')),
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  therapist_id text NOT NULL REFERENCES users (id),
  -- References rooms and groups once those tables move here.
  room_id text,
  client_id text REFERENCES clients (id),
  group_id text,
  note text,
  cancel_reason text,
  created_at timestamptz NOT NULL,
  created_by text NOT NULL REFERENCES users (id),
  updated_at timestamptz NOT NULL,
  CHECK (ends_at > starts_at),
  CHECK (NOT (client_id IS NOT NULL AND group_id IS NOT NULL))
);
CREATE INDEX appointments_side_time ON appointments (side, starts_at);
CREATE INDEX appointments_site_time ON appointments (site_id, starts_at);
CREATE INDEX appointments_client ON appointments (client_id, starts_at);
CREATE INDEX appointments_therapist ON appointments (therapist_id, starts_at);

-- The separation rule as a constraint, with many desks writing at once. One row per live
-- appointment and link of its client; the span is the appointment widened by half the buffer at
-- each end, so two spans overlap exactly when the gap between the appointments is less than the
-- buffer (a gap of exactly the buffer is allowed, as in the app: ranges are half-open). The
-- constraint refuses two overlapping spans of the same link at the same site from different
-- sides; a second transaction writing such a span waits for the first and fails once it commits.
-- The side is the client's (from the track), not the appointment's label. Only the trigger
-- functions (owner's rights) read or write this table: no role may see which pair or time clashed.
CREATE TABLE separation_spans (
  appointment_id text NOT NULL REFERENCES appointments (id) ON DELETE CASCADE,
  link_id text NOT NULL REFERENCES client_links (id) ON DELETE CASCADE,
  site_id text NOT NULL,
  side text NOT NULL CHECK (side IN ('victims', 'perpetrators')),
  span tstzrange NOT NULL,
  PRIMARY KEY (appointment_id, link_id),
  CONSTRAINT separation_spans_apart EXCLUDE USING gist (site_id WITH =, link_id WITH =, side WITH <>, span WITH &&)
);

-- The buffer in force when a span is written (settings hold JSON; the app's default is 120).
CREATE FUNCTION separation_buffer() RETURNS interval
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  SELECT make_interval(mins => coalesce((SELECT value::numeric::integer FROM public.settings WHERE key = 'separationBufferMinutes'), 120))
$$;

CREATE FUNCTION separation_side(track text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE track WHEN 'perpetrator' THEN 'perpetrators' ELSE 'victims' END
$$;

-- Keeps the spans of one appointment in step with it.
CREATE FUNCTION separation_spans_of_appointment() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    DELETE FROM public.separation_spans WHERE appointment_id = OLD.id;
  END IF;
  IF NEW.client_id IS NOT NULL AND NEW.status <> 'cancelled' THEN
    -- Waits for a link being written for this client to commit, so the links read below are
    -- complete (the link trigger takes the clients' rows FOR UPDATE).
    PERFORM 1 FROM public.clients WHERE id = NEW.client_id FOR SHARE;
    INSERT INTO public.separation_spans (appointment_id, link_id, site_id, side, span)
    SELECT NEW.id, l.id, NEW.site_id, public.separation_side(c.track),
      tstzrange(NEW.starts_at - public.separation_buffer() / 2, NEW.ends_at + public.separation_buffer() / 2, '[)')
    FROM public.client_links l
    JOIN public.clients c ON c.id = NEW.client_id
    WHERE NEW.client_id IN (l.client_a, l.client_b);
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER appointments_separation_insert AFTER INSERT ON appointments
FOR EACH ROW EXECUTE FUNCTION separation_spans_of_appointment();

CREATE TRIGGER appointments_separation_update AFTER UPDATE OF site_id, starts_at, ends_at, client_id, status ON appointments
FOR EACH ROW WHEN (OLD.site_id IS DISTINCT FROM NEW.site_id OR OLD.starts_at IS DISTINCT FROM NEW.starts_at
  OR OLD.ends_at IS DISTINCT FROM NEW.ends_at OR OLD.client_id IS DISTINCT FROM NEW.client_id OR OLD.status IS DISTINCT FROM NEW.status)
EXECUTE FUNCTION separation_spans_of_appointment();

-- A new link covers the pair's live appointments from then on. An existing clash is left out
-- (ON CONFLICT DO NOTHING) rather than refusing the link: knowing the two are linked matters
-- more, and the app shows the clash to be moved.
CREATE FUNCTION separation_spans_of_link() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  PERFORM 1 FROM public.clients WHERE id IN (NEW.client_a, NEW.client_b) ORDER BY id FOR UPDATE;
  INSERT INTO public.separation_spans (appointment_id, link_id, site_id, side, span)
  SELECT a.id, NEW.id, a.site_id, public.separation_side(c.track),
    tstzrange(a.starts_at - public.separation_buffer() / 2, a.ends_at + public.separation_buffer() / 2, '[)')
  FROM public.appointments a
  JOIN public.clients c ON c.id = a.client_id
  WHERE a.client_id IN (NEW.client_a, NEW.client_b) AND a.status <> 'cancelled'
  ORDER BY a.starts_at
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;

CREATE TRIGGER client_links_separation AFTER INSERT ON client_links
FOR EACH ROW EXECUTE FUNCTION separation_spans_of_link();

-- Every appointment names who booked it, and the database checks the name: a booking can only be
-- written as the person the transaction runs for (SET LOCAL utvag.user_id by the server).
ALTER TABLE appointments ENABLE ROW LEVEL SECURITY;
CREATE POLICY appointments_read ON appointments FOR SELECT USING (true);
CREATE POLICY appointments_insert ON appointments FOR INSERT
  WITH CHECK (created_by = current_setting('utvag.user_id', true));
CREATE POLICY appointments_update ON appointments FOR UPDATE
  USING (true) WITH CHECK (coalesce(current_setting('utvag.user_id', true), '') <> '');

-- Rights per app role; separation_spans and the functions are for no role at all.
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC;
REVOKE ALL ON FUNCTION separation_buffer(), separation_spans_of_appointment(), separation_spans_of_link() FROM PUBLIC;
GRANT SELECT ON users, user_roles, settings, sites TO utvag_receptionist, utvag_therapist, utvag_admin;
GRANT SELECT, INSERT, UPDATE ON clients, client_links, appointments TO utvag_receptionist;
GRANT SELECT ON clients, client_links, appointments TO utvag_therapist;
GRANT SELECT, INSERT, UPDATE ON users, user_roles, settings, sites TO utvag_admin;
GRANT SELECT ON clients, client_links, appointments TO utvag_admin;
