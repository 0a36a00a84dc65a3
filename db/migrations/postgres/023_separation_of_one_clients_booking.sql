-- A booking's separation spans, written without the general machinery when the appointment is one
-- client's (measured on the ten-year bench journal: the AFTER INSERT trigger was about 1.4 ms of
-- the 1.9 ms an appointment's insert cost PostgreSQL, most of a booking's 3.1 ms there).
--
-- separation_of_appointment() (004) found the attendees through the separation_attendance view
-- (a UNION ALL over appointments and group members) to lock them, and separation_write() then
-- read them again through separation_span_rows(): a dynamic query, planned anew on every call
-- (016), that joined the view with clients and client_links and called separation_buffer() twice
-- for every span. For an individual appointment (a client, no group, not cancelled) the view has
-- exactly one row, the appointment's own client with its site and times, so the same spans are now
-- written by one static INSERT that PL/pgSQL plans once per connection: one span per link of that
-- client (found through client_links' client_a and client_b indexes), the client's side from her
-- track, the appointment widened by half the buffer at each end. The buffer is read once per
-- INSERT and inside that statement (a materialized sub-select), so under the INSERT's own snapshot
-- exactly as before: a buffer change (004's table lock) is seen by a booking the same way.
--
-- Nothing else changes: the client's row is locked FOR SHARE first, as before (a link being
-- written for her is waited for and seen); the write is strict as before (ON CONFLICT names only
-- the primary key, so a clash with another span still fails on the exclusion constraint and the
-- Store reports the neutral SeparationConflictError); a move (an UPDATE of the times, the site or
-- the client) deletes the appointment's spans and writes them again the same way. Group sessions,
-- and every other trigger, keep 004's and 016's path through separation_write().
--
-- separation_buffer() (001) is the same query in PL/pgSQL: a SQL function with owner's rights is
-- never inlined, and its query was parsed and planned again in every statement that called it
-- (about 0.07 ms a call, twice per span in separation_span_rows()); PL/pgSQL keeps the plan per
-- connection. Still STABLE, so it reads the settings under its caller's snapshot, as before.
--
-- Measured after (pg_stat_statements on the same bench run): a booking's insert 1.8 ms of execution
-- instead of 3.2, of which its spans 0.4 ms instead of 1.9.
--
-- CREATE OR REPLACE: running this again leaves the same functions, their owner and their rights.

CREATE OR REPLACE FUNCTION separation_buffer() RETURNS interval
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  RETURN make_interval(mins => coalesce((SELECT value::numeric::integer FROM public.settings WHERE key = 'separationBufferMinutes'), 120));
END
$$;

CREATE OR REPLACE FUNCTION separation_of_appointment() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    DELETE FROM public.separation_spans WHERE appointment_id = OLD.id;
  END IF;
  IF NEW.status = 'cancelled' THEN
    RETURN NULL;
  END IF;
  IF NEW.client_id IS NOT NULL AND NEW.group_id IS NULL THEN
    -- One client's appointment: separation_span_rows(ARRAY[NEW.id], NULL, NULL), written directly.
    PERFORM 1 FROM public.clients c WHERE c.id = NEW.client_id FOR SHARE;
    INSERT INTO public.separation_spans (appointment_id, link_id, client_id, site_id, side, span)
    WITH buffer AS MATERIALIZED (SELECT public.separation_buffer() AS width)
    SELECT NEW.id, l.id, c.id, NEW.site_id, public.separation_side(c.track),
      tstzrange(NEW.starts_at - b.width / 2, NEW.ends_at + b.width / 2, '[)')
    FROM public.clients c
    JOIN public.client_links l ON NEW.client_id IN (l.client_a, l.client_b)
    CROSS JOIN buffer b
    WHERE c.id = NEW.client_id
    ON CONFLICT (appointment_id, link_id, client_id) DO NOTHING;
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

REVOKE ALL ON FUNCTION separation_buffer(), separation_of_appointment() FROM PUBLIC;
