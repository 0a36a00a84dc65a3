-- Etapp 2 for children (since 2010): which municipalities' social secretaries do the outreach after a
-- police report about a child, beside the women's Etapp 2 (the column etapp2). Participation is a
-- setting per track that admins keep; initially Götene, Töreboda, Skövde and Falköping.
ALTER TABLE municipalities ADD COLUMN etapp2_children INTEGER NOT NULL DEFAULT 0 CHECK (etapp2_children IN (0, 1));
UPDATE municipalities SET etapp2_children = 1 WHERE code IN ('1471', '1473', '1496', '1499');
