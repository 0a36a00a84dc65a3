-- A client's record says of each first call whether it was booked from the waiting list: found
-- through the entry's intake, by index, however long the waiting list's history grows.
CREATE INDEX waiting_list_intake ON waiting_list (intake_id);
