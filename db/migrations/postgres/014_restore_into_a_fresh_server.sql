-- A journal fresh from `server init` holds the starting premises (db/engine/serverPremises.ts: sites,
-- entrances, waiting rooms, rooms, track routes), which restore_begin() (008, 012) counted as work and
-- so refused every restore into a server set up the documented way. Premises are the centre's
-- configuration, not anyone's record: with nothing else in the journal (no therapist, client, booking
-- or group refers to them) they make way for the backup's own premises, as the migrations'
-- municipalities already do. Everything else is checked as before. CREATE OR REPLACE: running it
-- again leaves the same function.

CREATE OR REPLACE FUNCTION restore_begin() RETURNS SETOF access_log
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  name text;
  present boolean;
BEGIN
  LOCK TABLE users, user_roles, settings, sites, entrances, waiting_rooms, rooms, track_routes, municipalities,
    therapist_profiles, therapist_tracks, therapist_hours, clients, client_contacts, client_links, contact_persons, network_days,
    network_day_attendance, intakes, etapp2_follow_ups, waiting_list, groups, group_members, appointments, group_attendance,
    access_log, care_relations, emergency_grants, journal_entries, access_reviews, stats_quarters, access_log_head, separation_spans
    IN EXCLUSIVE MODE;
  FOREACH name IN ARRAY ARRAY['therapist_profiles',
    'therapist_tracks', 'therapist_hours', 'clients', 'client_contacts', 'client_links', 'contact_persons', 'network_days',
    'network_day_attendance', 'intakes', 'etapp2_follow_ups', 'waiting_list', 'groups', 'group_members', 'appointments',
    'group_attendance', 'care_relations', 'emergency_grants', 'journal_entries', 'access_reviews', 'stats_quarters'] LOOP
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM public.%I)', name) INTO present;
    IF present THEN
      RAISE EXCEPTION 'the server journal is not empty' USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
  END LOOP;
  IF EXISTS (SELECT 1 FROM public.access_log WHERE client_id IS NOT NULL OR emergency <> 0) THEN
    RAISE EXCEPTION 'the server journal is not empty' USING ERRCODE = 'object_not_in_prerequisite_state';
  END IF;
  INSERT INTO public.restore_marker (xid) VALUES (pg_current_xact_id());
  RETURN QUERY DELETE FROM public.access_log RETURNING *;
  UPDATE public.access_log_head SET seq = 0, hash = repeat('0', 64);
  DELETE FROM public.municipalities;
  -- The starting premises (or an admin's edits of them): nothing refers to them yet, and the backup brings its own.
  DELETE FROM public.track_routes;
  DELETE FROM public.rooms;
  DELETE FROM public.waiting_rooms;
  DELETE FROM public.entrances;
  DELETE FROM public.sites;
  RETURN;
END
$$;
