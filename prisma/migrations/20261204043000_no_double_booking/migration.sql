-- Hand-written: no double booking, enforced by the database (docs/decisions/017-no-double-booking.md).
--
-- A match is a booking once it is CONFIRMED, ACTIVE or COMPLETED. Two rules hold for bookings
-- whoever writes them (the API, the matcher, a script, two instances at once):
--   * a piece (Shift) never has more bookings than its headcount;
--   * a resident never has two bookings whose pieces overlap in time.
-- The rules span rows, so they are triggers rather than CHECKs. Each trigger locks the piece row
-- and then the resident row (always in that order, so writers cannot deadlock on each other): a
-- concurrent booking of the same piece or the same resident waits for the first to commit, and
-- its check (a new snapshot per statement under READ COMMITTED) then sees that booking.
-- Suggestions (SUGGESTED … ARRANGING) are proposals, not bookings: the engine keeps them within
-- the same rules among themselves, and promoting one to a booking passes through these checks.

CREATE FUNCTION tsunagu_is_booking(stage "MatchStage") RETURNS boolean
  LANGUAGE sql IMMUTABLE AS $$ SELECT stage IN ('CONFIRMED', 'ACTIVE', 'COMPLETED') $$;

CREATE FUNCTION tsunagu_match_booking_guard() RETURNS trigger
  LANGUAGE plpgsql AS $$
DECLARE
  piece RECORD;
  booked integer;
  clash text;
BEGIN
  IF NOT tsunagu_is_booking(NEW.stage) THEN
    RETURN NEW;
  END IF;
  IF TG_OP = 'UPDATE' AND tsunagu_is_booking(OLD.stage)
     AND OLD."shiftId" = NEW."shiftId" AND OLD."residentId" = NEW."residentId" THEN
    RETURN NEW; -- already a booking of the same pair (CONFIRMED → ACTIVE → COMPLETED)
  END IF;

  SELECT "startsAt", "endsAt", headcount INTO piece FROM "Shift" WHERE id = NEW."shiftId" FOR UPDATE;
  PERFORM 1 FROM "Resident" WHERE id = NEW."residentId" FOR UPDATE;

  SELECT count(*) INTO booked FROM "Match"
   WHERE "shiftId" = NEW."shiftId" AND id <> NEW.id AND tsunagu_is_booking(stage);
  IF booked >= piece.headcount THEN
    RAISE EXCEPTION 'Match_piece_headcount: piece % is full: % of % seats booked', NEW."shiftId", booked, piece.headcount
      USING ERRCODE = '23514', CONSTRAINT = 'Match_piece_headcount';
  END IF;

  SELECT m."shiftId" INTO clash FROM "Match" m JOIN "Shift" s ON s.id = m."shiftId"
   WHERE m."residentId" = NEW."residentId" AND m.id <> NEW.id AND tsunagu_is_booking(m.stage)
     AND s."startsAt" < piece."endsAt" AND s."endsAt" > piece."startsAt"
   LIMIT 1;
  IF clash IS NOT NULL THEN
    RAISE EXCEPTION 'Match_resident_no_overlap: resident % is already booked on overlapping piece %', NEW."residentId", clash
      USING ERRCODE = '23514', CONSTRAINT = 'Match_resident_no_overlap';
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER "Match_booking_guard"
  BEFORE INSERT OR UPDATE OF stage, "shiftId", "residentId" ON "Match"
  FOR EACH ROW EXECUTE FUNCTION tsunagu_match_booking_guard();

-- Moving or shrinking a piece must not break the same rules for the bookings it already has.
CREATE FUNCTION tsunagu_shift_booking_guard() RETURNS trigger
  LANGUAGE plpgsql AS $$
DECLARE
  booked integer;
  clash text;
BEGIN
  SELECT count(*) INTO booked FROM "Match" WHERE "shiftId" = NEW.id AND tsunagu_is_booking(stage);
  IF booked > NEW.headcount THEN
    RAISE EXCEPTION 'Match_piece_headcount: piece % has % bookings, more than the new headcount %', NEW.id, booked, NEW.headcount
      USING ERRCODE = '23514', CONSTRAINT = 'Match_piece_headcount';
  END IF;
  IF NEW."startsAt" IS DISTINCT FROM OLD."startsAt" OR NEW."endsAt" IS DISTINCT FROM OLD."endsAt" THEN
    PERFORM 1 FROM "Resident" r
      WHERE r.id IN (SELECT "residentId" FROM "Match" WHERE "shiftId" = NEW.id AND tsunagu_is_booking(stage))
      ORDER BY r.id FOR UPDATE;
    SELECT other."shiftId" INTO clash
      FROM "Match" mine
      JOIN "Match" other ON other."residentId" = mine."residentId" AND other.id <> mine.id AND tsunagu_is_booking(other.stage)
      JOIN "Shift" s ON s.id = other."shiftId"
     WHERE mine."shiftId" = NEW.id AND tsunagu_is_booking(mine.stage)
       AND s.id <> NEW.id AND s."startsAt" < NEW."endsAt" AND s."endsAt" > NEW."startsAt"
     LIMIT 1;
    IF clash IS NOT NULL THEN
      RAISE EXCEPTION 'Match_resident_no_overlap: moving piece % would overlap piece % for a booked resident', NEW.id, clash
        USING ERRCODE = '23514', CONSTRAINT = 'Match_resident_no_overlap';
    END IF;
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER "Shift_booking_guard"
  BEFORE UPDATE OF "startsAt", "endsAt", headcount ON "Shift"
  FOR EACH ROW EXECUTE FUNCTION tsunagu_shift_booking_guard();
