-- A person at the desk who is also the client's own therapist (a care relation that opens the
-- journal: journal_access 'care', the app's effectiveCare) sees and saves a protected client's contact
-- details in a reception call too, as the app's rule says (main/services/clients.ts maySeeProtected).
-- 003's reception policies hid them from every receptionist transaction, so on the server her own
-- therapist at the desk could neither find her by phone nor see her number, and her save of them
-- failed, where the local journal allowed both. Everyone else at the desk still sees none of them.
GRANT EXECUTE ON FUNCTION journal_access(text) TO utvag_receptionist;

DROP POLICY client_contacts_receptionist ON client_contacts;
-- The unprotected clients read once for a search, as 016 does; her own therapist's care only for the rest.
CREATE POLICY client_contacts_receptionist ON client_contacts AS RESTRICTIVE FOR SELECT TO utvag_receptionist
  USING (client_id IN (SELECT c.id FROM public.clients c WHERE c.protected_identity = 0) OR journal_access(client_id) IS NOT DISTINCT FROM 'care');

DROP POLICY client_contacts_receptionist_update ON client_contacts;
CREATE POLICY client_contacts_receptionist_update ON client_contacts AS RESTRICTIVE FOR UPDATE TO utvag_receptionist
  USING (NOT client_protected(client_id) OR journal_access(client_id) IS NOT DISTINCT FROM 'care');
