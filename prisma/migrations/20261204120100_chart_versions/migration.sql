-- CreateTable
CREATE TABLE "ChartVersion" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "areaId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "state" BYTEA NOT NULL,
    "createdById" TEXT,
    "createdByName" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ChartVersion_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ChartVersion_areaId_createdAt_idx" ON "ChartVersion"("areaId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ChartVersion_areaId_name_key" ON "ChartVersion"("areaId", "name");

-- AddForeignKey
ALTER TABLE "ChartVersion" ADD CONSTRAINT "ChartVersion_areaId_fkey" FOREIGN KEY ("areaId") REFERENCES "Area"("id") ON DELETE CASCADE ON UPDATE CASCADE;
