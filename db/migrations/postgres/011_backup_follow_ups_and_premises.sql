-- A journal fresh from `server init` holds the starting premises (db/engine/serverPremises.ts: sites,
-- entrances, waiting rooms, rooms, track routes), which 008's restore_begin() counted as work and so
-- refused every restore into a server set up the documented way. Premises are the centre's
-- configuration, not anyone's record: with nothing else in the journal (no therapist, client,
-- booking or group refers to them) they make way for the backup's own premises, as the migrations'
-- municipalities already do. Everything else is checked as before.
--
-- And the tables added after 008 join the backup (they are in every desk's journal: SQLite 008 and
-- 009): 009's group_attendance and 010's etapp2_follow_ups; read by utvag_backup (their rows
-- policies read for every role), written by utvag_restore only inside a restore, counted by
-- backup_row_counts() and required empty by restore_begin(). Without them a desk's journal could not
-- be restored at all, and a server's export would leave them out.
GRANT SELECT ON group_attendance, etapp2_follow_ups TO utvag_backup, utvag_restore;
GRANT INSERT ON group_attendance, etapp2_follow_ups TO utvag_restore;
CREATE POLICY group_attendance_restore ON group_attendance FOR INSERT TO utvag_restore WITH CHECK (public.restore_in_progress());
CREATE POLICY etapp2_follow_ups_restore ON etapp2_follow_ups FOR INSERT TO utvag_restore WITH CHECK (public.restore_in_progress());
CREATE TRIGGER group_attendance_restore_only BEFORE INSERT OR UPDATE ON group_attendance
FOR EACH STATEMENT EXECUTE FUNCTION restore_role_only_inside_a_restore();
CREATE TRIGGER etapp2_follow_ups_restore_only BEFORE INSERT OR UPDATE ON etapp2_follow_ups
FOR EACH STATEMENT EXECUTE FUNCTION restore_role_only_inside_a_restore();

CREATE OR REPLACE FUNCTION backup_row_counts() RETURNS TABLE (table_name text, row_count bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  name text;
BEGIN
  FOREACH name IN ARRAY ARRAY['users', 'user_roles', 'settings', 'sites', 'entrances', 'waiting_rooms', 'rooms', 'track_routes',
    'municipalities', 'therapist_profiles', 'therapist_tracks', 'therapist_hours', 'clients', 'client_contacts', 'client_links',
    'contact_persons', 'network_days', 'network_day_attendance', 'intakes', 'waiting_list', 'groups', 'group_members',
    'appointments', 'access_log', 'care_relations', 'emergency_grants', 'journal_entries', 'access_reviews', 'stats_quarters',
    'group_attendance', 'etapp2_follow_ups'] LOOP
    table_name := name;
    EXECUTE format('SELECT count(*) FROM public.%I', name) INTO row_count;
    RETURN NEXT;
  END LOOP;
END
$$;

CREATE OR REPLACE FUNCTION restore_begin() RETURNS SETOF access_log
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  name text;
  present boolean;
BEGIN
  LOCK TABLE users, user_roles, settings, sites, entrances, waiting_rooms, rooms, track_routes, municipalities,
    therapist_profiles, therapist_tracks, therapist_hours, clients, client_contacts, client_links, contact_persons, network_days,
    network_day_attendance, intakes, waiting_list, groups, group_members, appointments, access_log, care_relations,
    emergency_grants, journal_entries, access_reviews, stats_quarters, access_log_head, separation_spans
    IN EXCLUSIVE MODE;
  FOREACH name IN ARRAY ARRAY['therapist_profiles',
    'therapist_tracks', 'therapist_hours', 'clients', 'client_contacts', 'client_links', 'contact_persons', 'network_days',
    'network_day_attendance', 'intakes', 'waiting_list', 'groups', 'group_members', 'appointments', 'care_relations',
    'emergency_grants', 'journal_entries', 'access_reviews', 'stats_quarters', 'group_attendance', 'etapp2_follow_ups'] LOOP
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
