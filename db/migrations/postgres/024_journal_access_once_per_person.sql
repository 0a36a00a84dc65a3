-- A therapist's journal opened on the server, cheaper for its PostgreSQL (measured on the ten-year
-- bench journal with pg_stat_statements, per journal.open: the opening query 0.56 ms of execution,
-- the access-log append 0.55 ms, the care team and entries 0.62 ms; journal_access_clients() ran
-- twice in it, 0.33 ms each, for a therapist with eleven clients in care).
--
-- 1. journal_access_clients() (019) joined the person (users, user_roles) and her tracks
--    (therapist_tracks) to every one of her clients. The planner, expecting about one client, read
--    the person again for each client and put a Memoize node in front of her tracks, whose hash
--    table is built and freed at every call: most of the function's time. The person and her tracks
--    are now read once per call (an uncorrelated sub-select, an InitPlan) and each client is kept
--    when her track is one of them. The rule is the same: users, user_roles and therapist_tracks
--    each have at most one row per person (and role, and track), so the join never doubled a client,
--    and a client passes exactly when the person is an active therapist who serves her track; with
--    no person (utvag.user_id unset) the list of tracks is empty and no client passes, as before.
-- 2. access_log_chain_head() (003), restore_in_progress() (008) and client_protected() (003) are
--    SQL functions with owner's rights: never inlined, so their query was parsed and planned again
--    at every call (every access-log append called the first two once each, the second from the
--    chain trigger's WHEN; the last ran for each client of an emergency access in the contact
--    policy). The same queries in PL/pgSQL, whose plans stay with the connection (023's pattern).
--    The same volatility, rights and search path: the head is still locked FOR UPDATE until the
--    transaction ends, and restore_in_progress() still answers only for the caller's transaction.
--
-- Measured after (same bench journal and run): journal_access_clients() 0.13 ms a call, the opening
-- query 0.35 ms, the append 0.34 ms, the care team and entries 0.44 ms.
--
-- CREATE OR REPLACE: running this again leaves the same functions, their owner and their rights.

CREATE OR REPLACE FUNCTION journal_access_clients() RETURNS TABLE (client_id text, access text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public ROWS 20 AS $$
BEGIN
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
    -- The tracks this transaction's person serves as an active therapist (none without a person), once.
    WHERE c.track = ANY (ARRAY(
      SELECT t.track FROM public.therapist_tracks t
      JOIN public.users u ON u.id = t.user_id AND u.active = 1
      JOIN public.user_roles ur ON ur.user_id = t.user_id AND ur.role = 'therapist'
      WHERE t.user_id = public.utvag_user()
    ))
    GROUP BY c.id;
END
$$;

CREATE OR REPLACE FUNCTION access_log_chain_head() RETURNS TABLE (seq bigint, hash text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  RETURN QUERY SELECT h.seq, h.hash FROM public.access_log_head h FOR UPDATE;
END
$$;

CREATE OR REPLACE FUNCTION restore_in_progress() RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  RETURN EXISTS (SELECT 1 FROM public.restore_marker WHERE xid = pg_current_xact_id());
END
$$;

CREATE OR REPLACE FUNCTION client_protected(client text) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  RETURN coalesce((SELECT c.protected_identity = 1 FROM public.clients c WHERE c.id = client), true);
END
$$;
