-- The server checks at start that the journal's schema is the one it was built for (and refuses to
-- serve an older or newer one until `server migrate` has run): its login, which has no rights of
-- its own, must be able to read which migrations were applied. Names and numbers only.
GRANT SELECT ON schema_migrations TO PUBLIC;
