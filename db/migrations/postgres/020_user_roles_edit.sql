-- An admin changes an existing user's roles (users.setRoles, issue #15): a role taken away is a
-- deleted row of user_roles, which 001 gave the admins no right to. Only that right, on that table:
-- users rows are still never deleted (a deactivated person's name stays on what she wrote), and no
-- other role gains anything, but an admin may count a therapist's unsigned drafts (below). The backup and restore roles' table lists (008, 012, 014) need nothing:
-- no table is added.
GRANT DELETE ON user_roles TO utvag_admin;

-- A second line behind the app's rule (an admin keeps her own admin role, the last active admin
-- keeps hers, under a lock of the admins' rows): at commit, a transaction that took an admin role
-- away must leave at least one active admin. Deferred, so that the check sees the whole change.
CREATE OR REPLACE FUNCTION user_roles_an_admin_stays() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM public.users u JOIN public.user_roles r ON r.user_id = u.id AND r.role = 'admin' WHERE u.active = 1
  ) THEN
    RAISE EXCEPTION 'the last active admin keeps the admin role' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION user_roles_an_admin_stays() FROM PUBLIC;

-- Dropped first so that the file runs again cleanly (a constraint trigger has no OR REPLACE).
DROP TRIGGER IF EXISTS user_roles_an_admin_stays ON user_roles;
CREATE CONSTRAINT TRIGGER user_roles_an_admin_stays AFTER DELETE ON user_roles
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.role = 'admin') EXECUTE FUNCTION user_roles_an_admin_stays();

-- Before a therapist's role is taken, the admin is told how many unsigned drafts she has (without
-- the role nobody could sign them). An admin's own policy on journal_entries shows signed entries
-- only; this answers the count alone, with the owner's rights: no row, no client, no text.
CREATE OR REPLACE FUNCTION unsigned_drafts_of(author text) RETURNS integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  SELECT count(*)::integer FROM public.journal_entries e WHERE e.author_id = author AND e.status = 'draft'
$$;
REVOKE ALL ON FUNCTION unsigned_drafts_of(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION unsigned_drafts_of(text) TO utvag_admin;
