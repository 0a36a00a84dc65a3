-- Server backups (008) know the tables that came with the groups' lifecycle and the Etapp 2
-- follow-up (009, 010): group_attendance and etapp2_follow_ups are read past row-level security
-- into every backup, written only inside a restore, locked by restore_begin() and checked empty
-- there, and counted by backup_row_counts(). groups.ended_at needs nothing: the rights on groups are
-- the whole table's. Every rule of 008 stays as it is; only the two functions' lists grow.
--
-- tests/integration/serverBackup.test.ts compares these lists with the app's journal: a table added
-- without backup support fails there by name.

GRANT SELECT ON group_attendance, etapp2_follow_ups TO utvag_backup, utvag_restore;
GRANT INSERT ON group_attendance, etapp2_follow_ups TO utvag_restore;

CREATE OR REPLACE FUNCTION backup_row_counts() RETURNS TABLE (table_name text, row_count bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  name text;
BEGIN
  FOREACH name IN ARRAY ARRAY['users', 'user_roles', 'settings', 'sites', 'entrances', 'waiting_rooms', 'rooms', 'track_routes',
    'municipalities', 'therapist_profiles', 'therapist_tracks', 'therapist_hours', 'clients', 'client_contacts', 'client_links',
    'contact_persons', 'network_days', 'network_day_attendance', 'intakes', 'etapp2_follow_ups', 'waiting_list', 'groups',
    'group_members', 'appointments', 'group_attendance', 'access_log', 'care_relations', 'emergency_grants', 'journal_entries',
    'access_reviews', 'stats_quarters'] LOOP
    table_name := name;
    EXECUTE format('SELECT count(*) FROM public.%I', name) INTO row_count;
    RETURN NEXT;
  END LOOP;
END
$$;

-- As 008's, with the two tables locked and checked empty: a journal with attendance or a follow-up
-- in it is one desks work in.
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
  FOREACH name IN ARRAY ARRAY['sites', 'entrances', 'waiting_rooms', 'rooms', 'track_routes', 'therapist_profiles',
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
  RETURN;
END
$$;

-- The restore role writes them only inside a restore (a statement trigger, as on every table of 008).
-- The triggers and policies are dropped first where they exist, so that running this again (as the
-- server migrate test does with the newest migration) leaves the same rules, not an error.
DROP TRIGGER IF EXISTS group_attendance_restore_only ON group_attendance;
DROP TRIGGER IF EXISTS etapp2_follow_ups_restore_only ON etapp2_follow_ups;
DROP POLICY IF EXISTS group_attendance_restore ON group_attendance;
DROP POLICY IF EXISTS etapp2_follow_ups_restore ON etapp2_follow_ups;
DROP POLICY IF EXISTS group_attendance_backup ON group_attendance;
DROP POLICY IF EXISTS etapp2_follow_ups_backup ON etapp2_follow_ups;
CREATE TRIGGER group_attendance_restore_only BEFORE INSERT OR UPDATE ON group_attendance
FOR EACH STATEMENT EXECUTE FUNCTION restore_role_only_inside_a_restore();
CREATE TRIGGER etapp2_follow_ups_restore_only BEFORE INSERT OR UPDATE ON etapp2_follow_ups
FOR EACH STATEMENT EXECUTE FUNCTION restore_role_only_inside_a_restore();

-- Their rows are written in the recorder's own name (009, 010): a backup's rows, in other people's
-- names, only inside a restore. The side policies stay: a row goes in when its session, client or
-- intake is there, which in a restore they are (written before, in foreign-key order).
CREATE POLICY group_attendance_restore ON group_attendance FOR INSERT TO utvag_restore WITH CHECK (public.restore_in_progress());
CREATE POLICY etapp2_follow_ups_restore ON etapp2_follow_ups FOR INSERT TO utvag_restore WITH CHECK (public.restore_in_progress());

-- Both read every row (the restore reads the import back), whatever the people's read policies become.
CREATE POLICY group_attendance_backup ON group_attendance FOR SELECT TO utvag_backup, utvag_restore USING (true);
CREATE POLICY etapp2_follow_ups_backup ON etapp2_follow_ups FOR SELECT TO utvag_backup, utvag_restore USING (true);
