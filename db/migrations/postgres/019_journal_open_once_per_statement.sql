-- A therapist's journal opened on the server cost its PostgreSQL several times the local journal's
-- work (measured on the ten-year bench journal: about 7 ms of backend CPU per journal.open):
--
-- 1. The journal's row policies (003) called journal_access() — an owner's-rights function that
--    looks up the client, the person, her role and tracks, her care relation and her emergency
--    grants — once for every entry read, and again for the contact row: some ten calls per opening,
--    each planned and run apart. journal_access_clients() answers the same rule for all of this
--    person's clients at once (from her care relations and grants, the few rows there are), and the
--    policies read it once per statement ("client_id IN (…)"). journal_access() keeps its rule for
--    single rows (writes), in PL/pgSQL now: a SQL function's query is planned again in every
--    statement that calls it, which cost more than running it; PL/pgSQL keeps its plans.
-- 2. Every read of a contact row paid for 016's "client_id IN (every visible client)" (a scan of all
--    clients) to learn what is true of every contact when the transaction names no side: every
--    client is then visible (clients_side is the only rule that hides clients). The side is tested
--    first now, and the clients are read only in a transaction of one side.
--
-- The rules are exactly as before (tests/integration/postgres.*.test.ts and the safety suites on
-- both engines): a therapist reads entries (signed ones, and her own drafts) only of a client whose
-- journal she may open now; contact details only in a care relation, or of an unprotected client
-- under a live, logged emergency access; reception a protected client's only as her own therapist.
-- A new rule that hides clients from a role must be added to client_contacts_side's first test.

-- journal_access() for every client at once: the clients this transaction's person may open now
-- ('care' where both a care relation and an emergency access would open it, as journal_access()).
CREATE OR REPLACE FUNCTION journal_access_clients() RETURNS TABLE (client_id text, access text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public ROWS 20 AS $$
BEGIN
  -- PL/pgSQL keeps this plan for the connection; a SQL function's query is planned again in every
  -- statement that calls it, which cost more than running it.
  RETURN QUERY
    SELECT c.id, CASE WHEN bool_or(x.access = 'care') THEN 'care' ELSE 'emergency' END
    FROM (
      SELECT r.client_id, 'care' AS access FROM public.care_relations r
       WHERE r.therapist_id = public.utvag_user() AND r.ended_at IS NULL
      UNION ALL
      SELECT g.client_id, 'emergency' FROM public.emergency_grants g
        JOIN public.access_log l ON l.seq = g.access_log_seq AND l.emergency = 1 AND l.user_id = g.user_id AND l.client_id = g.client_id
       WHERE g.user_id = public.utvag_user() AND g.expires_at > now()
    ) x
    JOIN public.clients c ON c.id = x.client_id
    JOIN public.users u ON u.id = public.utvag_user() AND u.active = 1
    JOIN public.user_roles ur ON ur.user_id = u.id AND ur.role = 'therapist'
    JOIN public.therapist_tracks t ON t.user_id = u.id AND t.track = c.track
    GROUP BY c.id;
END
$$;
REVOKE ALL ON FUNCTION journal_access_clients() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION journal_access_clients() TO utvag_receptionist, utvag_therapist;

-- The same rule for one client, unchanged, in PL/pgSQL for the same reason: the row policies of
-- writes (a draft saved, signed, deleted; reception's save of contact details) call it per row.
CREATE OR REPLACE FUNCTION journal_access(client text) RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  RETURN (
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
  );
END
$$;

-- Whether the transaction names no side (utvag_side_allows() is then true for every row).
CREATE OR REPLACE FUNCTION utvag_every_side() RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT nullif(current_setting('utvag.side', true), '') IS NULL
$$;

ALTER POLICY journal_entries_therapist_read ON journal_entries
  USING (client_id IN (SELECT a.client_id FROM public.journal_access_clients() a) AND (status = 'signed' OR author_id = utvag_user()));

ALTER POLICY client_contacts_therapist ON client_contacts
  USING (client_id IN (SELECT a.client_id FROM public.journal_access_clients() a WHERE a.access = 'care' OR NOT public.client_protected(a.client_id)));

ALTER POLICY client_contacts_receptionist ON client_contacts
  USING (
    client_id IN (SELECT c.id FROM public.clients c WHERE c.protected_identity = 0)
    OR client_id IN (SELECT a.client_id FROM public.journal_access_clients() a WHERE a.access = 'care')
  );

ALTER POLICY client_contacts_side ON client_contacts
  USING (public.utvag_every_side() OR client_id IN (SELECT c.id FROM public.clients c));
