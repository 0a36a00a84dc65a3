-- The separation rule's constraint (001) for everything that puts a client at a site at a time:
-- group sessions (one span per member whose membership period covers the session's start, as
-- db/appointments.ts counts attendance), joining and leaving a group, a change of a client's
-- track (it changes the side), and a change of the buffer (every span is written again with it).
--
-- Each span now names the client it stands for, so a change for one member or one client touches
-- only that client's spans. Strict (refused by the exclusion constraint, which the Store reports as
-- the neutral SeparationConflictError) where the app refuses too: a booking, a move, a group
-- session, a join. Lenient (ON CONFLICT DO NOTHING) where recording the fact matters more than the
-- clash, which the app shows to be moved: a new link, a track change, a buffer change.

DROP TRIGGER appointments_separation_insert ON appointments;
DROP TRIGGER appointments_separation_update ON appointments;
DROP TRIGGER client_links_separation ON client_links;
DROP FUNCTION separation_spans_of_appointment();
DROP FUNCTION separation_spans_of_link();

ALTER TABLE separation_spans DROP CONSTRAINT separation_spans_pkey;
DELETE FROM separation_spans;
ALTER TABLE separation_spans ADD COLUMN client_id text NOT NULL REFERENCES clients (id);
-- Two members of one session linked to each other give the same appointment and link twice.
ALTER TABLE separation_spans ADD PRIMARY KEY (appointment_id, link_id, client_id);
CREATE INDEX separation_spans_client ON separation_spans (client_id);

-- Who is at a live appointment: its client, or each member whose period covers the session's start.
CREATE VIEW separation_attendance AS
  SELECT a.id AS appointment_id, a.client_id, a.site_id, a.starts_at, a.ends_at, a.group_id
  FROM appointments a
  WHERE a.client_id IS NOT NULL AND a.status <> 'cancelled'
  UNION ALL
  SELECT a.id, m.client_id, a.site_id, a.starts_at, a.ends_at, a.group_id
  FROM appointments a
  JOIN group_members m ON m.group_id = a.group_id AND m.joined_at <= a.starts_at AND (m.left_at IS NULL OR m.left_at > a.starts_at)
  WHERE a.group_id IS NOT NULL AND a.status <> 'cancelled';
REVOKE ALL ON separation_attendance FROM PUBLIC;

-- The spans of the attendance rows chosen by the caller's filter, one per link of the attendee,
-- widened by half the buffer in force now at each end.
CREATE FUNCTION separation_span_rows(appointment_ids text[], only_client text, only_link text)
RETURNS TABLE (appointment_id text, link_id text, client_id text, site_id text, side text, span tstzrange)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  SELECT DISTINCT t.appointment_id, l.id, t.client_id, t.site_id, public.separation_side(c.track),
    tstzrange(t.starts_at - public.separation_buffer() / 2, t.ends_at + public.separation_buffer() / 2, '[)')
  FROM public.separation_attendance t
  JOIN public.clients c ON c.id = t.client_id
  JOIN public.client_links l ON t.client_id IN (l.client_a, l.client_b)
  WHERE (appointment_ids IS NULL OR t.appointment_id = ANY (appointment_ids))
    AND (only_client IS NULL OR t.client_id = only_client)
    AND (only_link IS NULL OR l.id = only_link)
$$;

-- Writes the chosen spans: strict ones fail on a clash; lenient ones leave a clashing span out.
CREATE FUNCTION separation_write(appointment_ids text[], only_client text, only_link text, lenient boolean) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  IF lenient THEN
    INSERT INTO public.separation_spans (appointment_id, link_id, client_id, site_id, side, span)
    SELECT r.appointment_id, r.link_id, r.client_id, r.site_id, r.side, r.span
    FROM public.separation_span_rows(appointment_ids, only_client, only_link) r
    ORDER BY lower(r.span), r.appointment_id, r.link_id, r.client_id
    ON CONFLICT DO NOTHING;
  ELSE
    INSERT INTO public.separation_spans (appointment_id, link_id, client_id, site_id, side, span)
    SELECT r.appointment_id, r.link_id, r.client_id, r.site_id, r.side, r.span
    FROM public.separation_span_rows(appointment_ids, only_client, only_link) r
    WHERE NOT EXISTS (
      SELECT 1 FROM public.separation_spans s
      WHERE s.appointment_id = r.appointment_id AND s.link_id = r.link_id AND s.client_id = r.client_id
    );
  END IF;
END
$$;

-- A booking, a move, a cancellation, a group session. The attendees' rows are locked FOR SHARE
-- (and a session's group, against a member joining at the same moment), so a link, a join or a
-- track change being written for them is waited for and seen.
CREATE FUNCTION separation_of_appointment() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    DELETE FROM public.separation_spans WHERE appointment_id = OLD.id;
  END IF;
  IF NEW.status = 'cancelled' THEN
    RETURN NULL;
  END IF;
  IF NEW.group_id IS NOT NULL THEN
    PERFORM 1 FROM public.groups WHERE id = NEW.group_id FOR SHARE;
  END IF;
  PERFORM 1 FROM public.clients c
  WHERE c.id IN (SELECT t.client_id FROM public.separation_attendance t WHERE t.appointment_id = NEW.id)
  ORDER BY c.id FOR SHARE;
  PERFORM public.separation_write(ARRAY[NEW.id], NULL, NULL, false);
  RETURN NULL;
END
$$;

CREATE TRIGGER appointments_separation_insert AFTER INSERT ON appointments
FOR EACH ROW EXECUTE FUNCTION separation_of_appointment();

-- Only a change that moves the appointment or who attends it; a check-in or a no-show leaves the
-- spans (and any clash the app already shows) as they are.
CREATE TRIGGER appointments_separation_update AFTER UPDATE OF site_id, starts_at, ends_at, client_id, group_id, status ON appointments
FOR EACH ROW WHEN (OLD.site_id IS DISTINCT FROM NEW.site_id OR OLD.starts_at IS DISTINCT FROM NEW.starts_at
  OR OLD.ends_at IS DISTINCT FROM NEW.ends_at OR OLD.client_id IS DISTINCT FROM NEW.client_id OR OLD.group_id IS DISTINCT FROM NEW.group_id
  OR (OLD.status = 'cancelled') IS DISTINCT FROM (NEW.status = 'cancelled'))
EXECUTE FUNCTION separation_of_appointment();

-- A new link covers the pair's live appointments and sessions from then on (lenient, as in 001).
CREATE FUNCTION separation_of_link() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  PERFORM 1 FROM public.clients WHERE id IN (NEW.client_a, NEW.client_b) ORDER BY id FOR UPDATE;
  PERFORM public.separation_write(NULL, NULL, NEW.id, true);
  RETURN NULL;
END
$$;

CREATE TRIGGER client_links_separation AFTER INSERT ON client_links
FOR EACH ROW EXECUTE FUNCTION separation_of_link();

-- Joining (or joining again) adds the member to the group's sessions that the period covers,
-- strictly, as the app refuses a join that breaks the rule; leaving removes the sessions from the
-- leaving date on. The group row is locked FOR UPDATE against a session being booked at once, the
-- client's FOR SHARE against a link being written at once.
CREATE FUNCTION separation_of_membership() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  member record;
  sessions text[];
BEGIN
  IF TG_OP = 'DELETE' THEN member := OLD; ELSE member := NEW; END IF;
  PERFORM 1 FROM public.groups WHERE id = member.group_id FOR UPDATE;
  PERFORM 1 FROM public.clients WHERE id = member.client_id FOR SHARE;
  sessions := ARRAY(SELECT a.id FROM public.appointments a WHERE a.group_id = member.group_id);
  -- The client's spans in this group's sessions are rewritten from the periods as they are now.
  DELETE FROM public.separation_spans s
  WHERE s.client_id = member.client_id AND s.appointment_id = ANY (sessions)
    AND NOT EXISTS (
      SELECT 1 FROM public.separation_attendance t
      WHERE t.appointment_id = s.appointment_id AND t.client_id = s.client_id
    );
  IF TG_OP <> 'DELETE' THEN
    PERFORM public.separation_write(sessions, member.client_id, NULL, false);
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER group_members_separation AFTER INSERT OR UPDATE OR DELETE ON group_members
FOR EACH ROW EXECUTE FUNCTION separation_of_membership();

-- A client moved to another track changes side: every span of theirs is written again (lenient:
-- putting a client on the right side must never be refused; the app shows any clash).
CREATE FUNCTION separation_of_track() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  DELETE FROM public.separation_spans WHERE client_id = NEW.id;
  PERFORM public.separation_write(NULL, NEW.id, NULL, true);
  RETURN NULL;
END
$$;

CREATE TRIGGER clients_separation_track AFTER UPDATE OF track ON clients
FOR EACH ROW WHEN (OLD.track IS DISTINCT FROM NEW.track)
EXECUTE FUNCTION separation_of_track();

-- A new buffer: every span is written again with it, so no span keeps the buffer it was written
-- with. The lock waits for bookings in flight and holds new ones until the change commits, so
-- none is checked against the old buffer after the new one is in force.
CREATE FUNCTION separation_of_buffer() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  IF NEW.key = 'separationBufferMinutes' AND (TG_OP = 'INSERT' OR OLD.value IS DISTINCT FROM NEW.value) THEN
    LOCK TABLE public.separation_spans IN SHARE ROW EXCLUSIVE MODE;
    DELETE FROM public.separation_spans;
    PERFORM public.separation_write(NULL, NULL, NULL, true);
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER settings_separation_buffer AFTER INSERT OR UPDATE ON settings
FOR EACH ROW EXECUTE FUNCTION separation_of_buffer();

REVOKE ALL ON FUNCTION separation_span_rows(text[], text, text), separation_write(text[], text, text, boolean), separation_of_appointment(),
  separation_of_link(), separation_of_membership(), separation_of_track(), separation_of_buffer() FROM PUBLIC;

-- Spans for whatever 001 had covered, now with groups and clients.
SELECT separation_write(NULL, NULL, NULL, true);
