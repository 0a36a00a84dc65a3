-- A restore imports the whole access log in its one transaction. The chain trigger (003) moved the
-- head row once per imported row, and every move left a version of that row that the next one had
-- to walk past inside the same transaction: a restore took time in the square of the log's rows
-- (hours for a journal of ten years). Inside a restore the trigger now stands aside, and
-- restore_end() checks the imported log as one linear chain in a single pass (seq 1, 2, 3 … without a
-- gap, each row's prev_hash the hash of the row before, every hash well-formed) and moves the head
-- once, to the last row. Outside a restore every row is still checked against the locked head as
-- before. The restore itself then reads everything back and verifies each row's hash
-- (main/services/serverBackup.ts), so nothing is checked less than before.
-- CREATE OR REPLACE and DROP … IF EXISTS: running this again leaves the same rules.

DROP TRIGGER IF EXISTS access_log_chain ON access_log;
CREATE TRIGGER access_log_chain BEFORE INSERT ON access_log
FOR EACH ROW WHEN (NOT public.restore_in_progress()) EXECUTE FUNCTION access_log_continue_chain();

CREATE OR REPLACE FUNCTION restore_end() RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  broken bigint;
BEGIN
  IF NOT public.restore_in_progress() THEN
    RAISE EXCEPTION 'no restore is open in this transaction';
  END IF;
  SELECT count(*) INTO broken FROM (
    SELECT seq, prev_hash, hash,
      row_number() OVER (ORDER BY seq) AS position,
      lag(hash, 1, repeat('0', 64)) OVER (ORDER BY seq) AS previous
    FROM public.access_log
  ) AS log
  WHERE seq <> position OR prev_hash IS DISTINCT FROM previous OR hash !~ '^[0-9a-f]{64}$';
  IF broken > 0 THEN
    -- A constraint's class (not 40001, which the store would run again): the restore answers serverImportFailed.
    RAISE EXCEPTION 'the imported access log is not one chain' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  UPDATE public.access_log_head SET (seq, hash) = (
    SELECT coalesce(max(seq), 0), coalesce((SELECT l.hash FROM public.access_log l ORDER BY l.seq DESC LIMIT 1), repeat('0', 64))
    FROM public.access_log
  );
  DELETE FROM public.separation_spans;
  PERFORM public.separation_write(NULL, NULL, NULL, true);
  DELETE FROM public.restore_marker WHERE xid = pg_current_xact_id();
END
$$;
