-- A side's row policies read the transaction's side once per statement instead of once per row.
--
-- utvag_side_allows(…) (003) is inlined into each policy as current_setting('utvag.side') compared
-- for every row a statement passes: on the ten-year bench journal a client search passed every
-- client twice (the search itself, and the contacts' policies' list of clients) and a contact per
-- client, and the setting's lookup was most of what the row policies cost it. Written as uncorrelated
-- sub-selects, the setting is read once per execution (an InitPlan), also in a statement kept
-- prepared on the connection: it is read when the statement runs, never when it is planned.
--
-- The rules are exactly as before: with no side (unset or empty) every row passes; with a side,
-- only rows of that side; any other value names no side, so nothing passes.
-- ALTER POLICY only: running this again leaves the same rules.

ALTER POLICY clients_side ON clients
  USING ((SELECT public.utvag_every_side()) OR public.separation_side(track) = (SELECT current_setting('utvag.side', true)));

ALTER POLICY appointments_side ON appointments
  USING ((SELECT public.utvag_every_side()) OR side = (SELECT current_setting('utvag.side', true)));

ALTER POLICY groups_side ON groups
  USING ((SELECT public.utvag_every_side()) OR public.separation_side(track) = (SELECT current_setting('utvag.side', true)));

ALTER POLICY client_contacts_side ON client_contacts
  USING ((SELECT public.utvag_every_side()) OR client_id IN (SELECT c.id FROM public.clients c));
