-- What a room is for: the slot finder offers group rooms for group sessions and keeps them free otherwise.
ALTER TABLE rooms ADD COLUMN purpose TEXT NOT NULL DEFAULT 'individual' CHECK (purpose IN ('individual', 'group'));
UPDATE rooms SET purpose = 'group' WHERE id IN ('skaraborg-g1', 'sodra-alvsborg-g1');
