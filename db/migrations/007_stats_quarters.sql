-- The published statistics of each ended quarter, fixed the first time they are produced. A later
-- correction of an old record (a late no-show, a new home municipality) would otherwise give the same
-- quarter two versions, and the difference between them could show a count of 1–4. Only protected
-- figures are kept ("<5" and "x" as such): nothing here is a small count or names anyone.
CREATE TABLE stats_quarters (
  year INTEGER NOT NULL,
  quarter INTEGER NOT NULL CHECK (quarter BETWEEN 1 AND 4),
  report TEXT NOT NULL,
  fixed_at TEXT NOT NULL,
  PRIMARY KEY (year, quarter)
) STRICT;
CREATE TRIGGER stats_quarters_no_update BEFORE UPDATE ON stats_quarters
BEGIN
  SELECT RAISE(ABORT, 'published statistics are fixed');
END;
CREATE TRIGGER stats_quarters_no_delete BEFORE DELETE ON stats_quarters
BEGIN
  SELECT RAISE(ABORT, 'published statistics are fixed');
END;
