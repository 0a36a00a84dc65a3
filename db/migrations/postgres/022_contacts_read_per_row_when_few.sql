-- A client search on the server cost its PostgreSQL several times the local journal's work
-- (measured on the ten-year bench journal as the receptionist: about 2.5 ms of execution for a
-- search by name that shows 36 clients, about 6 ms for a search by personnummer that shows one).
--
-- Every statement that read even one contact row paid for three lists built whole: 016's and 021's
-- "client_id IN (SELECT c.id FROM clients c …)" is always a hashed subplan, so the unprotected
-- clients and the clients of the side were each read in full (every client, with its side policy)
-- before the first contact passed, and journal_access_clients() ran for a protected one: most of a
-- name search's time, and a record's. Written as EXISTS on the contact's client, PostgreSQL chooses
-- per statement: a lookup of that one client by its primary key where few contact rows are read (a
-- search's rows, a record, the waiting list), the hashed list as before where many are. (The search
-- reads its phone matches from every contact of the side apart, so that there the lists are built
-- once: db/clients/index.ts.)
--
-- The rules are exactly as before (client_id is the primary key, so IN and EXISTS answer alike): a
-- receptionist reads the contact of an unprotected client she may see, or of one in her own care
-- as her therapist; every role only contacts of clients visible to its transaction's side. A new
-- rule that hides clients from a role must still be added to client_contacts_side's first test.
-- ALTER POLICY only: running this again leaves the same rules.

ALTER POLICY client_contacts_receptionist ON client_contacts
  USING (
    EXISTS (SELECT 1 FROM public.clients c WHERE c.id = client_contacts.client_id AND c.protected_identity = 0)
    OR client_id IN (SELECT a.client_id FROM public.journal_access_clients() a WHERE a.access = 'care')
  );

ALTER POLICY client_contacts_side ON client_contacts
  USING ((SELECT public.utvag_every_side()) OR EXISTS (SELECT 1 FROM public.clients c WHERE c.id = client_contacts.client_id));
