-- Issue 6 (decision 033): a card handed to another organization to follow up.
ALTER TABLE "Match" ADD COLUMN "handledByOrgId" TEXT;

CREATE INDEX "Match_handledByOrgId_idx" ON "Match"("handledByOrgId");

ALTER TABLE "Match" ADD CONSTRAINT "Match_handledByOrgId_fkey" FOREIGN KEY ("handledByOrgId") REFERENCES "Organization"("id") ON DELETE SET NULL ON UPDATE CASCADE;
