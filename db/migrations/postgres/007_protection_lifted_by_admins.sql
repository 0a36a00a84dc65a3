-- Protected identity (skyddade personuppgifter) is lifted by admins only (main/services/clients.ts
-- updateClientContact: anyone who learns of it may switch it on). Reception may update clients (it
-- registers and corrects them), so without this a router bug could switch the protection off in a
-- receptionist's transaction and then show reception the client's whereabouts. The router runs such
-- a call as admin whenever the person holds that role (its first allowed role in code-unit order),
-- so a legitimate lift always runs as utvag_admin. The schema owner passes (restore, region IT).
CREATE FUNCTION clients_protection_lifted_by_admins() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.protected_identity = 1 AND NEW.protected_identity = 0 AND NOT pg_has_role(current_user, 'utvag_admin', 'USAGE') THEN
    RAISE EXCEPTION 'Only an admin may lift protected identity' USING ERRCODE = '42501';
  END IF;
  RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION clients_protection_lifted_by_admins() FROM PUBLIC;

CREATE TRIGGER clients_protection_lifted_by_admins BEFORE UPDATE OF protected_identity ON clients
  FOR EACH ROW EXECUTE FUNCTION clients_protection_lifted_by_admins();
