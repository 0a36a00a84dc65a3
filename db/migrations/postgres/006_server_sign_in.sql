-- Signing in to the Utväg server (issue #14): the local journal opens with a key slot per person in
-- keyring.json; the server has no journal key to unwrap, so a person's password is kept as an
-- Argon2id hash (a PHC string, the keyring's parameters) beside their user row. A role of its own,
-- utvag_signin, does the sign-in's work before anyone's role applies: reading who the person is
-- and their hash, recording the sign-in, and the person's own password change. Nobody else reads
-- a hash: receptionists and therapists have no right on the table at all, admins only set one.

DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'utvag_signin') THEN
    CREATE ROLE utvag_signin NOLOGIN;
  END IF;
END
$$;

CREATE TABLE user_passwords (
  user_id text PRIMARY KEY REFERENCES users (id),
  hash text NOT NULL,
  updated_at timestamptz NOT NULL
);

REVOKE ALL ON user_passwords FROM PUBLIC;

-- The sign-in: who the person is, their roles and hash, the settings (idle lock); it records the
-- time of the sign-in and clears must_change_password after the person's own change.
GRANT SELECT ON users, user_roles, settings, user_passwords TO utvag_signin;
GRANT UPDATE (last_login_at, must_change_password) ON users TO utvag_signin;
GRANT UPDATE (hash, updated_at) ON user_passwords TO utvag_signin;
GRANT INSERT ON access_log TO utvag_signin;
GRANT EXECUTE ON FUNCTION access_log_chain_head() TO utvag_signin;

-- Admins set a new user's temporary password and reset one (never read one back: only whether a
-- user has one, for the list's "needs a new password"); a deactivated user's hash is removed.
GRANT SELECT (user_id, updated_at), INSERT, DELETE ON user_passwords TO utvag_admin;
GRANT UPDATE (hash, updated_at) ON user_passwords TO utvag_admin;

ALTER TABLE user_passwords ENABLE ROW LEVEL SECURITY;
CREATE POLICY user_passwords_admin ON user_passwords FOR ALL TO utvag_admin USING (true) WITH CHECK (true);
CREATE POLICY user_passwords_signin_read ON user_passwords FOR SELECT TO utvag_signin USING (true);
-- A person changes only their own password (utvag.user_id is set to them for the change).
CREATE POLICY user_passwords_own ON user_passwords FOR UPDATE TO utvag_signin
  USING (user_id = utvag_user()) WITH CHECK (user_id = utvag_user());

-- The person roles' own-name rule (003) applied to every role; from here on it is theirs only, so
-- that the sign-in's rows are held to the narrower rule below.
ALTER POLICY access_log_append ON access_log TO utvag_receptionist, utvag_therapist, utvag_admin;

-- The sign-in's access-log rows: security events only, never a client, in the person's name or
-- none (a failed sign-in with a username nobody has).
CREATE POLICY access_log_signin ON access_log FOR INSERT TO utvag_signin
  WITH CHECK (
    client_id IS NULL AND channel IS NULL
    AND action IN ('auth.login', 'auth.security', 'auth.changePassword')
    AND (user_id IS NULL OR user_id = utvag_user())
  );
