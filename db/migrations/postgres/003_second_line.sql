-- The database's second line behind the router (issue #14), for every table: each app role's
-- rights (least privilege, from the contract's access per channel), row-level security for the
-- journal text and for one side's reads, the append-only access log with its chain head, signed
-- entries that never change, and published statistics that stay fixed. db/engine/README.md
-- describes what the server must set per transaction for these to hold.

-- ---- Who the transaction runs for --------------------------------------------------------------

-- The signed-in person's id, set per transaction by the Store (set_config('utvag.user_id', …, true)); null when unset.
CREATE FUNCTION utvag_user() RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT nullif(current_setting('utvag.user_id', true), '')
$$;

-- Whether a row of a side may be seen: every side when the transaction names none (utvag.side
-- unset), else only that one. Any other value names no side, so nothing passes.
CREATE FUNCTION utvag_side_allows(side text) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT coalesce(nullif(current_setting('utvag.side', true), '') = side, true)
$$;

-- The app's rule for opening a journal (main/services/journal.ts, db/journalEntries.ts), for the
-- person of this transaction: 'care' for an active therapist who serves the client's track, in a
-- care relation that has not ended; else 'emergency' with an emergency grant that has not expired
-- and that the access log records as an emergency access by her to this client; else null.
-- Owner's rights: it reads tables the caller's own policies would hide; it answers only that.
CREATE FUNCTION journal_access(client text) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  SELECT CASE
    WHEN EXISTS (SELECT 1 FROM public.care_relations r WHERE r.client_id = c.id AND r.therapist_id = u.id AND r.ended_at IS NULL) THEN 'care'
    WHEN EXISTS (
      SELECT 1 FROM public.emergency_grants g
      JOIN public.access_log l ON l.seq = g.access_log_seq AND l.emergency = 1 AND l.user_id = g.user_id AND l.client_id = g.client_id
      WHERE g.client_id = c.id AND g.user_id = u.id AND g.expires_at > now()
    ) THEN 'emergency'
  END
  FROM public.clients c
  JOIN public.users u ON u.id = public.utvag_user() AND u.active = 1
  JOIN public.user_roles ur ON ur.user_id = u.id AND ur.role = 'therapist'
  JOIN public.therapist_tracks t ON t.user_id = u.id AND t.track = c.track
  WHERE c.id = client
$$;

CREATE FUNCTION journal_open(client text) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT public.journal_access(client) IS NOT NULL
$$;

-- Protected identity (skyddade personuppgifter), read with the owner's rights so that a side's
-- transaction answers the same for a client it cannot see.
CREATE FUNCTION client_protected(client text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  SELECT coalesce((SELECT c.protected_identity = 1 FROM public.clients c WHERE c.id = client), true)
$$;

-- Care follows the track (safety invariant 2): a care relation only for a therapist who serves the client's track.
CREATE FUNCTION therapist_serves_client(therapist text, client text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  SELECT EXISTS (
    SELECT 1 FROM public.clients c JOIN public.therapist_tracks t ON t.user_id = therapist AND t.track = c.track WHERE c.id = client
  )
$$;

-- ---- Rights per role ---------------------------------------------------------------------------
-- Derived from preload/contract.ts (access, clientData) and the statements of db/*.ts. Nothing on
-- separation_spans or access_log_head; no UPDATE, DELETE or TRUNCATE on the log, the reviews, the
-- published statistics; no role has the journal's text but the therapist.

REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC;
-- PostgreSQL 15's default, said again for a database made from an older template: no app role
-- creates anything (a table or a function of the same name earlier on a search path).
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
REVOKE ALL ON FUNCTION journal_access(text), journal_open(text), client_protected(text), therapist_serves_client(text, text),
  contact_persons_named_undeletable() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION journal_access(text), journal_open(text) TO utvag_therapist;
GRANT EXECUTE ON FUNCTION client_protected(text) TO utvag_receptionist, utvag_therapist;
GRANT EXECUTE ON FUNCTION therapist_serves_client(text, text) TO utvag_receptionist, utvag_therapist, utvag_admin;

-- The premises and the therapists' profiles: every signed-in person reads them (org.get), admins keep them.
GRANT SELECT ON entrances, waiting_rooms, rooms, track_routes, municipalities, therapist_profiles, therapist_tracks, therapist_hours
  TO utvag_receptionist, utvag_therapist, utvag_admin;
GRANT INSERT, UPDATE ON entrances, waiting_rooms, rooms, track_routes, municipalities, therapist_profiles, therapist_tracks, therapist_hours
  TO utvag_admin;
GRANT DELETE ON therapist_tracks, therapist_hours TO utvag_admin;

-- Reception: intakes, contact details, the waiting list, groups, care assignment.
GRANT SELECT, INSERT, UPDATE ON client_contacts, waiting_list, group_members TO utvag_receptionist;
GRANT SELECT, INSERT ON intakes, groups TO utvag_receptionist;
GRANT SELECT ON contact_persons TO utvag_receptionist;
GRANT SELECT, INSERT ON care_relations TO utvag_receptionist, utvag_admin;
GRANT UPDATE (ended_at) ON care_relations TO utvag_receptionist, utvag_admin;

-- Therapists: their schedule and groups, the journal under row-level security, emergency access.
GRANT SELECT ON client_contacts, groups, group_members, care_relations TO utvag_therapist;
GRANT UPDATE (status, cancel_reason, updated_at) ON appointments TO utvag_therapist;
GRANT SELECT, INSERT, DELETE ON journal_entries TO utvag_therapist;
GRANT UPDATE (kind, body, status, signed_at, updated_at) ON journal_entries TO utvag_therapist;
GRANT SELECT, INSERT ON emergency_grants TO utvag_therapist;

-- Admins: client records and contact details (clients.get, clients.updateContact), statistics,
-- the contact network, the access log and its reviews, and the journal's dates for the retention
-- report: never an entry's text nor an amendment's reason (no channel gives admins journal text).
GRANT UPDATE (protected_identity) ON clients TO utvag_admin;
GRANT SELECT, INSERT, UPDATE ON client_contacts TO utvag_admin;
GRANT SELECT ON intakes, waiting_list, groups, group_members TO utvag_admin;
GRANT SELECT, INSERT, UPDATE, DELETE ON contact_persons TO utvag_admin;
GRANT SELECT, INSERT, UPDATE ON network_days TO utvag_admin;
GRANT SELECT, INSERT, DELETE ON network_day_attendance TO utvag_admin;
GRANT SELECT, INSERT ON stats_quarters TO utvag_admin;
GRANT SELECT ON access_log TO utvag_admin;
GRANT SELECT, INSERT ON access_reviews TO utvag_admin;
GRANT SELECT (id, client_id, author_id, kind, status, created_at, updated_at, signed_at, amends_id) ON journal_entries TO utvag_admin;

-- Every person's transaction writes the access log (and only appends to it).
GRANT INSERT ON access_log TO utvag_receptionist, utvag_therapist, utvag_admin;

-- ---- Row-level security: the journal text ------------------------------------------------------
-- A router bug asking for an entry the person may not read gets no row, not an error.

ALTER TABLE journal_entries ENABLE ROW LEVEL SECURITY;
CREATE POLICY journal_entries_therapist_read ON journal_entries FOR SELECT TO utvag_therapist
  -- Drafts are their author's own until signed.
  USING (journal_open(client_id) AND (status = 'signed' OR author_id = utvag_user()));
CREATE POLICY journal_entries_therapist_write ON journal_entries FOR INSERT TO utvag_therapist
  WITH CHECK (author_id = utvag_user() AND journal_open(client_id));
CREATE POLICY journal_entries_therapist_edit ON journal_entries FOR UPDATE TO utvag_therapist
  USING (author_id = utvag_user() AND status = 'draft' AND journal_open(client_id))
  WITH CHECK (author_id = utvag_user() AND journal_open(client_id));
CREATE POLICY journal_entries_therapist_delete ON journal_entries FOR DELETE TO utvag_therapist
  USING (author_id = utvag_user() AND status = 'draft' AND journal_open(client_id));
-- Admins see that signed entries exist and when (retention report); the columns above keep the text out.
CREATE POLICY journal_entries_admin_read ON journal_entries FOR SELECT TO utvag_admin USING (status = 'signed');

-- A therapist's own grants only, written in her own name, for a client of a track she serves,
-- for at most the app's four hours (EMERGENCY_ACCESS_HOURS; the database's clock decides).
ALTER TABLE emergency_grants ENABLE ROW LEVEL SECURITY;
CREATE POLICY emergency_grants_own ON emergency_grants FOR SELECT TO utvag_therapist USING (user_id = utvag_user());
CREATE POLICY emergency_grants_ask ON emergency_grants FOR INSERT TO utvag_therapist
  WITH CHECK (
    user_id = utvag_user() AND therapist_serves_client(user_id, client_id)
    AND expires_at > granted_at AND expires_at <= now() + interval '4 hours 5 minutes'
  );

-- Contact details (phone, safe-contact instructions, address) follow the app's rule
-- (main/services/clients.ts maySeeProtected, journal.ts contactFor): a protected client's only to
-- admins and the client's own therapist in a care relation, never to reception, nor to an
-- emergency access; a therapist sees anyone's only with the journal open. Reception still records
-- a protected client's details (an insert), and a search by phone never matches what it may not see.
CREATE POLICY client_contacts_receptionist ON client_contacts AS RESTRICTIVE FOR SELECT TO utvag_receptionist
  USING (NOT client_protected(client_id));
CREATE POLICY client_contacts_receptionist_update ON client_contacts AS RESTRICTIVE FOR UPDATE TO utvag_receptionist
  USING (NOT client_protected(client_id));
CREATE POLICY client_contacts_therapist ON client_contacts AS RESTRICTIVE FOR SELECT TO utvag_therapist
  USING (CASE journal_access(client_id) WHEN 'care' THEN true WHEN 'emergency' THEN NOT client_protected(client_id) ELSE false END);

ALTER TABLE care_relations ENABLE ROW LEVEL SECURITY;
CREATE POLICY care_relations_rows ON care_relations FOR SELECT USING (true);
CREATE POLICY care_relations_assign ON care_relations FOR INSERT
  WITH CHECK (created_by = utvag_user() AND therapist_serves_client(therapist_id, client_id));
-- Ending is the only change: an ended relation stays ended (reopening would reopen the journal).
CREATE POLICY care_relations_end ON care_relations FOR UPDATE USING (ended_at IS NULL) WITH CHECK (ended_at IS NOT NULL AND utvag_user() IS NOT NULL);

-- ---- Row-level security: one side per answer ---------------------------------------------------
-- With utvag.side set for a transaction, rows of the other side are not there for it: clients by
-- their track, appointments by their side, groups by their track, and what hangs off a client or
-- a group by whether that client or group is there. Unset, every side is (the separation check and
-- a link read across sides; see README). Restrictive: they narrow every other policy.

CREATE POLICY clients_rows ON clients FOR ALL USING (true);
CREATE POLICY clients_written_by_self ON clients AS RESTRICTIVE FOR INSERT WITH CHECK (created_by = utvag_user());
CREATE POLICY clients_side ON clients AS RESTRICTIVE FOR ALL USING (utvag_side_allows(separation_side(track)));
ALTER TABLE clients ENABLE ROW LEVEL SECURITY;

CREATE POLICY appointments_side ON appointments AS RESTRICTIVE FOR ALL USING (utvag_side_allows(side));

CREATE POLICY groups_rows ON groups FOR ALL USING (true);
CREATE POLICY groups_side ON groups AS RESTRICTIVE FOR ALL USING (utvag_side_allows(separation_side(track)));
ALTER TABLE groups ENABLE ROW LEVEL SECURITY;

CREATE POLICY group_members_rows ON group_members FOR ALL USING (true);
CREATE POLICY group_members_side ON group_members AS RESTRICTIVE FOR ALL
  USING (EXISTS (SELECT 1 FROM groups g WHERE g.id = group_id) AND EXISTS (SELECT 1 FROM clients c WHERE c.id = client_id));
ALTER TABLE group_members ENABLE ROW LEVEL SECURITY;

CREATE POLICY client_contacts_rows ON client_contacts FOR ALL USING (true);
CREATE POLICY client_contacts_side ON client_contacts AS RESTRICTIVE FOR ALL USING (EXISTS (SELECT 1 FROM clients c WHERE c.id = client_id));
ALTER TABLE client_contacts ENABLE ROW LEVEL SECURITY;

CREATE POLICY intakes_rows ON intakes FOR ALL USING (true);
CREATE POLICY intakes_side ON intakes AS RESTRICTIVE FOR ALL USING (EXISTS (SELECT 1 FROM clients c WHERE c.id = client_id));
ALTER TABLE intakes ENABLE ROW LEVEL SECURITY;

CREATE POLICY waiting_list_rows ON waiting_list FOR ALL USING (true);
CREATE POLICY waiting_list_side ON waiting_list AS RESTRICTIVE FOR ALL USING (EXISTS (SELECT 1 FROM clients c WHERE c.id = client_id));
ALTER TABLE waiting_list ENABLE ROW LEVEL SECURITY;

CREATE POLICY care_relations_side ON care_relations AS RESTRICTIVE FOR ALL USING (EXISTS (SELECT 1 FROM clients c WHERE c.id = client_id));

-- ---- The access log: append-only, one linear chain with many writers ---------------------------

-- The chain's head: the last row's seq and hash (seq 0 and the genesis hash while the log is
-- empty). Every append locks this one row until its transaction ends, so appends from concurrent
-- transactions queue, each continues the chain as the previous one committed it, and a rolled-back
-- append leaves the head as it was. Only the functions below (owner's rights) touch it.
CREATE TABLE access_log_head (
  only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  seq bigint NOT NULL,
  hash text NOT NULL
);
INSERT INTO access_log_head (seq, hash) VALUES (0, repeat('0', 64));

-- For the repository before it computes a row's hash (db/engine/postgres.ts lockLogChainHead):
-- the head, locked for the rest of the transaction.
CREATE FUNCTION access_log_chain_head() RETURNS TABLE (seq bigint, hash text)
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  SELECT h.seq, h.hash FROM public.access_log_head h FOR UPDATE
$$;

-- Every row must continue the chain from the head; the head moves with it. A writer that did not
-- lock the head first (and so read a stale one) is refused whole, never forks the chain.
CREATE FUNCTION access_log_continue_chain() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  head record;
BEGIN
  SELECT h.seq, h.hash INTO head FROM public.access_log_head h FOR UPDATE;
  IF NEW.seq IS DISTINCT FROM head.seq + 1 OR NEW.prev_hash IS DISTINCT FROM head.hash OR NEW.hash !~ '^[0-9a-f]{64}$' THEN
    RAISE EXCEPTION 'the access log row does not continue the chain' USING ERRCODE = 'serialization_failure';
  END IF;
  UPDATE public.access_log_head SET seq = NEW.seq, hash = NEW.hash;
  RETURN NEW;
END
$$;
CREATE TRIGGER access_log_chain BEFORE INSERT ON access_log FOR EACH ROW EXECUTE FUNCTION access_log_continue_chain();

-- Append-only for everyone, the schema owner's own statements included (rights alone would leave
-- the owner able to); only disabling the trigger, an act of region IT outside the app, gets past it.
CREATE FUNCTION refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER access_log_no_update BEFORE UPDATE OR DELETE ON access_log
FOR EACH ROW EXECUTE FUNCTION refuse_change('the access log is append-only');
CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log
FOR EACH STATEMENT EXECUTE FUNCTION refuse_change('the access log is append-only');

-- A person writes log rows in her own name only.
ALTER TABLE access_log ENABLE ROW LEVEL SECURITY;
CREATE POLICY access_log_append ON access_log FOR INSERT WITH CHECK (user_id = utvag_user());
CREATE POLICY access_log_admin_read ON access_log FOR SELECT TO utvag_admin USING (true);

-- "Mark reviewed" is an insert into access_reviews (ON CONFLICT DO NOTHING, as in SQLite): the log
-- row is never touched, and a review, once written, stays as written.
CREATE TRIGGER access_reviews_no_update BEFORE UPDATE OR DELETE ON access_reviews
FOR EACH ROW EXECUTE FUNCTION refuse_change('an access review cannot be changed');
CREATE TRIGGER access_reviews_no_truncate BEFORE TRUNCATE ON access_reviews
FOR EACH STATEMENT EXECUTE FUNCTION refuse_change('an access review cannot be changed');
ALTER TABLE access_reviews ENABLE ROW LEVEL SECURITY;
CREATE POLICY access_reviews_rows ON access_reviews FOR SELECT USING (true);
CREATE POLICY access_reviews_by_self ON access_reviews FOR INSERT WITH CHECK (reviewed_by = utvag_user());

-- ---- Signed entries and published statistics never change ---------------------------------------

CREATE TRIGGER journal_signed_immutable BEFORE UPDATE OR DELETE ON journal_entries
FOR EACH ROW WHEN (OLD.status = 'signed')
EXECUTE FUNCTION refuse_change('a signed journal entry cannot be changed or deleted; amend it instead');
CREATE TRIGGER journal_entries_no_truncate BEFORE TRUNCATE ON journal_entries
FOR EACH STATEMENT EXECUTE FUNCTION refuse_change('the journal cannot be emptied');

CREATE TRIGGER stats_quarters_fixed BEFORE UPDATE OR DELETE ON stats_quarters
FOR EACH ROW EXECUTE FUNCTION refuse_change('published statistics are fixed');
CREATE TRIGGER stats_quarters_no_truncate BEFORE TRUNCATE ON stats_quarters
FOR EACH STATEMENT EXECUTE FUNCTION refuse_change('published statistics are fixed');

REVOKE ALL ON FUNCTION access_log_chain_head(), access_log_continue_chain(), refuse_change() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION access_log_chain_head() TO utvag_receptionist, utvag_therapist, utvag_admin;
