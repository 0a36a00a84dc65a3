-- Backups of the server journal and restoring one into it (issue #14): the same SQLCipher 4 file as
-- a local journal's backup (main/services/serverBackup.ts). Two NOLOGIN roles, held by a login of
-- their own, never by the login that runs people's calls: PostgreSQL checks SET ROLE against the
-- session's login, so a role granted to that login would be one SET ROLE away from every
-- receptionist's and therapist's transaction.
--
-- utvag_backup reads every table that goes into a backup file, past row-level security (a backup
-- holds the whole journal, drafts and protected details included), and nothing else: not the
-- server-only tables (separation_spans, access_log_head, user_passwords), which are derived or hold
-- secrets that never leave the server.
--
-- utvag_restore writes those tables, and only while restore_begin() has opened a restore in its
-- own transaction, which it does only on a journal that holds nothing but what `server init` made.

DO $$
DECLARE
  name text;
BEGIN
  FOREACH name IN ARRAY ARRAY['utvag_backup', 'utvag_restore'] LOOP
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = name) THEN
      EXECUTE format('CREATE ROLE %I NOLOGIN', name);
    END IF;
  END LOOP;
END
$$;

GRANT SELECT ON users, user_roles, settings, sites, entrances, waiting_rooms, rooms, track_routes, municipalities,
  therapist_profiles, therapist_tracks, therapist_hours, clients, client_contacts, client_links, contact_persons, network_days,
  network_day_attendance, intakes, waiting_list, groups, group_members, appointments, access_log, care_relations,
  emergency_grants, journal_entries, access_reviews, stats_quarters
  TO utvag_backup, utvag_restore;
GRANT INSERT ON users, user_roles, settings, sites, entrances, waiting_rooms, rooms, track_routes, municipalities,
  therapist_profiles, therapist_tracks, therapist_hours, clients, client_contacts, client_links, contact_persons, network_days,
  network_day_attendance, intakes, waiting_list, groups, group_members, appointments, access_log, care_relations,
  emergency_grants, journal_entries, access_reviews, stats_quarters
  TO utvag_restore;
-- The backup's settings replace those of the same key (the separation buffer is the centre's rule, not the server's).
GRANT UPDATE (value, updated_at, updated_by) ON settings TO utvag_restore;

-- Every table's row count as the owner sees it (row-level security does not apply to the owner):
-- an export compares what it read with these in the same snapshot, so that a policy added later
-- that hid rows from utvag_backup would fail the export instead of leaving rows out of the file.
CREATE FUNCTION backup_row_counts() RETURNS TABLE (table_name text, row_count bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  name text;
BEGIN
  FOREACH name IN ARRAY ARRAY['users', 'user_roles', 'settings', 'sites', 'entrances', 'waiting_rooms', 'rooms', 'track_routes',
    'municipalities', 'therapist_profiles', 'therapist_tracks', 'therapist_hours', 'clients', 'client_contacts', 'client_links',
    'contact_persons', 'network_days', 'network_day_attendance', 'intakes', 'waiting_list', 'groups', 'group_members',
    'appointments', 'access_log', 'care_relations', 'emergency_grants', 'journal_entries', 'access_reviews', 'stats_quarters'] LOOP
    table_name := name;
    EXECUTE format('SELECT count(*) FROM public.%I', name) INTO row_count;
    RETURN NEXT;
  END LOOP;
END
$$;
REVOKE ALL ON FUNCTION backup_row_counts() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION backup_row_counts() TO utvag_backup, utvag_restore;

-- ---- A restore is open only in the transaction that restore_begin() opened ------------------------

-- The transactions with a restore open: a row written by restore_begin() and removed by
-- restore_end(), never committed (restore_end() runs before the commit; a rollback takes it away).
CREATE TABLE restore_marker (
  xid xid8 PRIMARY KEY
);
REVOKE ALL ON restore_marker FROM PUBLIC;

-- Whether this transaction is a restore. Owner's rights, so that every role's triggers and
-- policies may ask; it answers only for the caller's own transaction.
CREATE FUNCTION restore_in_progress() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  SELECT EXISTS (SELECT 1 FROM public.restore_marker WHERE xid = pg_current_xact_id())
$$;

-- Opens a restore: waits for every writer and keeps them out until the restore ends, refuses a
-- journal that holds anything but what `server init` made (its admins' accounts and passwords,
-- settings, the municipalities of the migrations, and log rows that name no client: the
-- initialisation and sign-ins), then takes those log rows out of the way (the backup's log starts
-- the chain again at seq 1) and returns them, for the caller to append again after the backup's
-- log, and clears the migrations' municipalities (the backup brings its own).
CREATE FUNCTION restore_begin() RETURNS SETOF access_log
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
  FOREACH name IN ARRAY ARRAY['sites', 'entrances', 'waiting_rooms', 'rooms', 'track_routes', 'therapist_profiles',
    'therapist_tracks', 'therapist_hours', 'clients', 'client_contacts', 'client_links', 'contact_persons', 'network_days',
    'network_day_attendance', 'intakes', 'waiting_list', 'groups', 'group_members', 'appointments', 'care_relations',
    'emergency_grants', 'journal_entries', 'access_reviews', 'stats_quarters'] LOOP
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

-- Ends the restore before its commit: the separation spans are written for the imported
-- appointments and sessions (leniently, as for a new link: a clash the single desk already had is
-- left out rather than refusing the whole journal; the app shows it to be moved, and every new
-- booking is checked against the spans written), and the marker goes.
CREATE FUNCTION restore_end() RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  IF NOT public.restore_in_progress() THEN
    RAISE EXCEPTION 'no restore is open in this transaction';
  END IF;
  DELETE FROM public.separation_spans;
  PERFORM public.separation_write(NULL, NULL, NULL, true);
  DELETE FROM public.restore_marker WHERE xid = pg_current_xact_id();
END
$$;

REVOKE ALL ON FUNCTION restore_begin(), restore_end() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION restore_begin(), restore_end() TO utvag_restore;

-- ---- What a restore may do that nothing else may ---------------------------------------------------

-- The log rows restore_begin() moves (clientless, never an emergency access): the one delete the
-- append-only log allows, and only inside a restore. Updates stay refused, restore or not.
DROP TRIGGER access_log_no_update ON access_log;
CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log
FOR EACH ROW EXECUTE FUNCTION refuse_change('the access log is append-only');
CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log
FOR EACH ROW WHEN (NOT (public.restore_in_progress() AND OLD.client_id IS NULL AND OLD.emergency = 0))
EXECUTE FUNCTION refuse_change('the access log is append-only');

-- The separation spans are written once for the whole import by restore_end(), not row by row:
-- a clash already in the backup must not refuse the journal, and a group's sessions must not be
-- checked before its members are in.
DROP TRIGGER appointments_separation_insert ON appointments;
CREATE TRIGGER appointments_separation_insert AFTER INSERT ON appointments
FOR EACH ROW WHEN (NOT public.restore_in_progress()) EXECUTE FUNCTION separation_of_appointment();
DROP TRIGGER client_links_separation ON client_links;
CREATE TRIGGER client_links_separation AFTER INSERT ON client_links
FOR EACH ROW WHEN (NOT public.restore_in_progress()) EXECUTE FUNCTION separation_of_link();
DROP TRIGGER group_members_separation ON group_members;
CREATE TRIGGER group_members_separation AFTER INSERT OR UPDATE OR DELETE ON group_members
FOR EACH ROW WHEN (NOT public.restore_in_progress()) EXECUTE FUNCTION separation_of_membership();
DROP TRIGGER settings_separation_buffer ON settings;
CREATE TRIGGER settings_separation_buffer AFTER INSERT OR UPDATE ON settings
FOR EACH ROW WHEN (NOT public.restore_in_progress()) EXECUTE FUNCTION separation_of_buffer();

-- Most tables have no row-level security for a policy to hold the restore role to: a trigger per
-- statement does, on every table it may write. Not the owner's rights: current_user is the writer.
CREATE FUNCTION restore_role_only_inside_a_restore() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF current_user = 'utvag_restore' AND NOT public.restore_in_progress() THEN
    RAISE EXCEPTION 'the restore role writes only inside a restore' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NULL;
END
$$;
DO $$
DECLARE
  name text;
BEGIN
  FOREACH name IN ARRAY ARRAY['users', 'user_roles', 'settings', 'sites', 'entrances', 'waiting_rooms', 'rooms', 'track_routes',
    'municipalities', 'therapist_profiles', 'therapist_tracks', 'therapist_hours', 'clients', 'client_contacts', 'client_links',
    'contact_persons', 'network_days', 'network_day_attendance', 'intakes', 'waiting_list', 'groups', 'group_members',
    'appointments', 'access_log', 'care_relations', 'emergency_grants', 'journal_entries', 'access_reviews', 'stats_quarters'] LOOP
    EXECUTE format('CREATE TRIGGER %I BEFORE INSERT OR UPDATE ON public.%I FOR EACH STATEMENT EXECUTE FUNCTION restore_role_only_inside_a_restore()',
      name || '_restore_only', name);
  END LOOP;
END
$$;

-- Rows written in other people's names (every row of the backup) only inside a restore. The
-- care relations' own policy asks whether the therapist serves the track: a yes or no, for the restore role too.
GRANT EXECUTE ON FUNCTION therapist_serves_client(text, text) TO utvag_restore;
ALTER POLICY clients_written_by_self ON clients WITH CHECK (created_by = utvag_user() OR public.restore_in_progress());
CREATE POLICY appointments_restore ON appointments FOR INSERT TO utvag_restore WITH CHECK (public.restore_in_progress());
CREATE POLICY care_relations_restore ON care_relations FOR INSERT TO utvag_restore WITH CHECK (public.restore_in_progress());
CREATE POLICY access_log_restore ON access_log FOR INSERT TO utvag_restore WITH CHECK (public.restore_in_progress());
CREATE POLICY access_reviews_restore ON access_reviews FOR INSERT TO utvag_restore WITH CHECK (public.restore_in_progress());
CREATE POLICY emergency_grants_restore ON emergency_grants FOR INSERT TO utvag_restore WITH CHECK (public.restore_in_progress());
CREATE POLICY journal_entries_restore ON journal_entries FOR INSERT TO utvag_restore WITH CHECK (public.restore_in_progress());

-- Both read every row of the tables above (the restore reads the import back to compare it with the backup).
CREATE POLICY journal_entries_backup ON journal_entries FOR SELECT TO utvag_backup, utvag_restore USING (true);
CREATE POLICY emergency_grants_backup ON emergency_grants FOR SELECT TO utvag_backup, utvag_restore USING (true);
CREATE POLICY access_log_backup ON access_log FOR SELECT TO utvag_backup, utvag_restore USING (true);
