/**
 * The two units and their premises as the centre starts with them (the local journal's
 * db/migrations/002_reception.sql and 004_room_purpose.sql): `server init` writes them into a new
 * shared journal, as the owner; admins change them in settings.
 */
export const STARTING_PREMISES_SQL = `
INSERT INTO sites (id, name, sort) VALUES ('skaraborg', 'Utväg Skaraborg', 1), ('sodra-alvsborg', 'Utväg Södra Älvsborg', 2);

INSERT INTO entrances (id, site_id, name) VALUES
  ('skaraborg-main', 'skaraborg', 'Huvudentrén'),
  ('skaraborg-separate', 'skaraborg', 'Separat entré'),
  ('sodra-alvsborg-main', 'sodra-alvsborg', 'Huvudentrén'),
  ('sodra-alvsborg-separate', 'sodra-alvsborg', 'Separat entré');

INSERT INTO waiting_rooms (id, site_id, entrance_id, name, capacity) VALUES
  ('skaraborg-wr-victims', 'skaraborg', 'skaraborg-main', 'Väntrum A', 6),
  ('skaraborg-wr-children', 'skaraborg', 'skaraborg-main', 'Väntrum barn', 4),
  ('skaraborg-wr-perpetrators', 'skaraborg', 'skaraborg-separate', 'Väntrum B', 4),
  ('sodra-alvsborg-wr-victims', 'sodra-alvsborg', 'sodra-alvsborg-main', 'Väntrum A', 6),
  ('sodra-alvsborg-wr-children', 'sodra-alvsborg', 'sodra-alvsborg-main', 'Väntrum barn', 4),
  ('sodra-alvsborg-wr-perpetrators', 'sodra-alvsborg', 'sodra-alvsborg-separate', 'Väntrum B', 4);

INSERT INTO track_routes (site_id, track, entrance_id, waiting_room_id) VALUES
  ('skaraborg', 'victim', 'skaraborg-main', 'skaraborg-wr-victims'),
  ('skaraborg', 'child', 'skaraborg-main', 'skaraborg-wr-children'),
  ('skaraborg', 'perpetrator', 'skaraborg-separate', 'skaraborg-wr-perpetrators'),
  ('sodra-alvsborg', 'victim', 'sodra-alvsborg-main', 'sodra-alvsborg-wr-victims'),
  ('sodra-alvsborg', 'child', 'sodra-alvsborg-main', 'sodra-alvsborg-wr-children'),
  ('sodra-alvsborg', 'perpetrator', 'sodra-alvsborg-separate', 'sodra-alvsborg-wr-perpetrators');

INSERT INTO rooms (id, site_id, name) VALUES
  ('skaraborg-r1', 'skaraborg', 'Samtalsrum 1'),
  ('skaraborg-r2', 'skaraborg', 'Samtalsrum 2'),
  ('skaraborg-r3', 'skaraborg', 'Samtalsrum 3'),
  ('skaraborg-g1', 'skaraborg', 'Grupprummet'),
  ('sodra-alvsborg-r1', 'sodra-alvsborg', 'Samtalsrum 1'),
  ('sodra-alvsborg-r2', 'sodra-alvsborg', 'Samtalsrum 2'),
  ('sodra-alvsborg-g1', 'sodra-alvsborg', 'Grupprummet');

UPDATE rooms SET purpose = 'group' WHERE id IN ('skaraborg-g1', 'sodra-alvsborg-g1');
`;
