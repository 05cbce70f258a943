-- Hand-written: rules Prisma's schema language cannot express (docs/decisions/004-database-constraints.md).
-- Prisma's migration diff ignores CHECK constraints, so these never appear as drift.

-- Emails are stored lower-cased, which makes the unique index case-insensitive by construction.
ALTER TABLE "User" ADD CONSTRAINT "User_email_lowercase" CHECK (email = lower(email));

ALTER TABLE "Area" ADD CONSTRAINT "Area_center_range" CHECK ("centerLat" BETWEEN -90 AND 90 AND "centerLng" BETWEEN -180 AND 180);
ALTER TABLE "Area" ADD CONSTRAINT "Area_counts_nonnegative" CHECK ((population IS NULL OR population >= 0) AND (households IS NULL OR households >= 0));

ALTER TABLE "Resident" ADD CONSTRAINT "Resident_home_range" CHECK (("homeLat" IS NULL OR "homeLat" BETWEEN -90 AND 90) AND ("homeLng" IS NULL OR "homeLng" BETWEEN -180 AND 180));
ALTER TABLE "Resident" ADD CONSTRAINT "Resident_travel_distance" CHECK ("travelDistanceM" >= 0 AND "travelDistanceM" <= 200000);
ALTER TABLE "Resident" ADD CONSTRAINT "Resident_weekly_hour_cap" CHECK ("weeklyHourCap" IS NULL OR "weeklyHourCap" BETWEEN 0 AND 168);
ALTER TABLE "Resident" ADD CONSTRAINT "Resident_birth_year" CHECK ("birthYear" IS NULL OR "birthYear" BETWEEN 1900 AND 2100);

ALTER TABLE "ResidentSkill" ADD CONSTRAINT "ResidentSkill_level" CHECK (level BETWEEN 1 AND 3);

ALTER TABLE "AvailabilityWindow" ADD CONSTRAINT "AvailabilityWindow_weekday" CHECK (weekday BETWEEN 0 AND 6);
ALTER TABLE "AvailabilityWindow" ADD CONSTRAINT "AvailabilityWindow_minutes" CHECK ("startMinute" >= 0 AND "endMinute" <= 1440 AND "startMinute" < "endMinute");

ALTER TABLE "AvailabilityException" ADD CONSTRAINT "AvailabilityException_minutes" CHECK (
  ("startMinute" IS NULL AND "endMinute" IS NULL)
  OR ("startMinute" >= 0 AND "endMinute" <= 1440 AND "startMinute" < "endMinute")
);

ALTER TABLE "Task" ADD CONSTRAINT "Task_location_range" CHECK (("lat" IS NULL OR "lat" BETWEEN -90 AND 90) AND ("lng" IS NULL OR "lng" BETWEEN -180 AND 180));
ALTER TABLE "Task" ADD CONSTRAINT "Task_location_pair" CHECK (("lat" IS NULL) = ("lng" IS NULL));
ALTER TABLE "Task" ADD CONSTRAINT "Task_money_nonnegative" CHECK (
  ("transportFeeYen" IS NULL OR "transportFeeYen" >= 0) AND ("thanksYen" IS NULL OR "thanksYen" >= 0) AND ("localPoints" IS NULL OR "localPoints" >= 0)
);
ALTER TABLE "Task" ADD CONSTRAINT "Task_version_positive" CHECK (version >= 1);

ALTER TABLE "Shift" ADD CONSTRAINT "Shift_window" CHECK ("endsAt" > "startsAt");
ALTER TABLE "Shift" ADD CONSTRAINT "Shift_headcount" CHECK (headcount >= 1);
ALTER TABLE "Shift" ADD CONSTRAINT "Shift_version_positive" CHECK (version >= 1);

ALTER TABLE "Match" ADD CONSTRAINT "Match_version_positive" CHECK (version >= 1);

ALTER TABLE "Resource" ADD CONSTRAINT "Resource_location_range" CHECK ("lat" BETWEEN -90 AND 90 AND "lng" BETWEEN -180 AND 180);
ALTER TABLE "Resource" ADD CONSTRAINT "Resource_capacity" CHECK (capacity IS NULL OR capacity >= 0);
ALTER TABLE "Resource" ADD CONSTRAINT "Resource_version_positive" CHECK (version >= 1);

ALTER TABLE "Consent" ADD CONSTRAINT "Consent_fields_nonempty" CHECK (cardinality(fields) > 0);
ALTER TABLE "Consent" ADD CONSTRAINT "Consent_expiry_after_grant" CHECK ("expiresAt" IS NULL OR "expiresAt" > "grantedAt");

ALTER TABLE "Participation" ADD CONSTRAINT "Participation_rating" CHECK (rating IS NULL OR rating BETWEEN 1 AND 5);
ALTER TABLE "Participation" ADD CONSTRAINT "Participation_minutes" CHECK (minutes IS NULL OR minutes >= 0);
ALTER TABLE "Participation" ADD CONSTRAINT "Participation_check_out_after_in" CHECK ("checkOutAt" IS NULL OR "checkInAt" IS NULL OR "checkOutAt" >= "checkInAt");

ALTER TABLE "IncentiveEntry" ADD CONSTRAINT "IncentiveEntry_amount" CHECK (amount >= 0);

ALTER TABLE "Workspace" ADD CONSTRAINT "Workspace_version_nonnegative" CHECK (version >= 0);
