-- SQLite 011: the children's Etapp 2, a participation per municipality beside the women's (etapp2),
-- initially Götene, Töreboda, Skövde and Falköping. A column of municipalities, so its rights are
-- the table's (003): every signed-in role reads it (org.get, the routing at intake, the
-- coordinator's list), only admins write it; backups and restores carry it with the table (008),
-- and the table has no row-level security, as it holds no client's data.
ALTER TABLE municipalities ADD COLUMN IF NOT EXISTS etapp2_children smallint NOT NULL DEFAULT 0 CHECK (etapp2_children IN (0, 1));
UPDATE municipalities SET etapp2_children = 1 WHERE code IN ('1471', '1473', '1496', '1499');
