-- Placeholder: number 016 belongs to another branch of this session; on merging, this file is dropped
-- in favour of that branch's 016 (the loader refuses two migrations with one number, so a merge that
-- keeps both fails loudly at once). It changes nothing.
SELECT 1;
