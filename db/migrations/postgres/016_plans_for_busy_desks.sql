-- Plans measured on the ten-year bench journal (2,523 clients, 16,067 appointments, 8,600 spans),
-- where a booking and a client search on the server cost many times the local journal's:
--
-- 1. A booking's separation spans (004): separation_span_rows() was a SQL function whose filters
--    read "(x IS NULL OR …)"; a SECURITY DEFINER SQL function is planned once for unknown
--    arguments, so every booking scanned all appointments, and the strict write's NOT EXISTS hashed
--    every span there is. The rows are now read by a dynamic query planned for the arguments given
--    (the appointment's primary key, the client's or the link's index), and the strict write skips
--    the spans already there through their primary key (ON CONFLICT on it). The exclusion
--    constraint is untouched: a clash is still refused, never skipped (ON CONFLICT names only the
--    primary key as its arbiter).
-- 2. A client search (clients joined with their contacts): the contacts' row policies (003) called
--    client_protected() and looked the client up again for every contact row the search passed,
--    about 2,000 function calls and 6,000 index lookups per search. The same rules, written as
--    "client_id IN (clients visible to this transaction …)", let PostgreSQL read the visible clients
--    once for a search (a hashed subplan) and still look one client up for a single record.
--    The rules are exactly as before: a receptionist sees the contact of an unprotected client of
--    the transaction's side; every role only contacts of clients visible to it.
-- CREATE OR REPLACE and ALTER POLICY: running this again leaves the same rules.

CREATE OR REPLACE FUNCTION separation_span_rows(appointment_ids text[], only_client text, only_link text)
RETURNS TABLE (appointment_id text, link_id text, client_id text, site_id text, side text, span tstzrange)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  -- EXECUTE … USING: planned for these arguments each time (a one-shot plan), so a NULL filter drops out.
  RETURN QUERY EXECUTE $query$
    SELECT DISTINCT t.appointment_id, l.id, t.client_id, t.site_id, public.separation_side(c.track),
      tstzrange(t.starts_at - public.separation_buffer() / 2, t.ends_at + public.separation_buffer() / 2, '[)')
    FROM public.separation_attendance t
    JOIN public.clients c ON c.id = t.client_id
    JOIN public.client_links l ON t.client_id IN (l.client_a, l.client_b)
    WHERE ($1 IS NULL OR t.appointment_id = ANY ($1))
      AND ($2 IS NULL OR t.client_id = $2)
      AND ($3 IS NULL OR l.id = $3)
  $query$ USING appointment_ids, only_client, only_link;
END
$$;

CREATE OR REPLACE FUNCTION separation_write(appointment_ids text[], only_client text, only_link text, lenient boolean) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  IF lenient THEN
    INSERT INTO public.separation_spans (appointment_id, link_id, client_id, site_id, side, span)
    SELECT r.appointment_id, r.link_id, r.client_id, r.site_id, r.side, r.span
    FROM public.separation_span_rows(appointment_ids, only_client, only_link) r
    ORDER BY lower(r.span), r.appointment_id, r.link_id, r.client_id
    ON CONFLICT DO NOTHING;
  ELSE
    -- A span already written is skipped by its primary key; a clash with another span still fails.
    INSERT INTO public.separation_spans (appointment_id, link_id, client_id, site_id, side, span)
    SELECT r.appointment_id, r.link_id, r.client_id, r.site_id, r.side, r.span
    FROM public.separation_span_rows(appointment_ids, only_client, only_link) r
    ON CONFLICT (appointment_id, link_id, client_id) DO NOTHING;
  END IF;
END
$$;

ALTER POLICY client_contacts_receptionist ON client_contacts
  USING (client_id IN (SELECT c.id FROM public.clients c WHERE c.protected_identity = 0));
ALTER POLICY client_contacts_side ON client_contacts
  USING (client_id IN (SELECT c.id FROM public.clients c));
