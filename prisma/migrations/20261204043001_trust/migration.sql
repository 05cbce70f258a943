-- AlterTable
ALTER TABLE "AuditLog" ADD COLUMN     "basis" TEXT,
ADD COLUMN     "organizationId" TEXT;

-- AlterTable
ALTER TABLE "Resident" ADD COLUMN     "deletedAt" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "JointUseNotice" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "managerOrgId" TEXT NOT NULL,
    "organizationIds" TEXT[],
    "fields" TEXT[],
    "purpose" TEXT NOT NULL,
    "createdByUserId" TEXT,
    "publishedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "JointUseNotice_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "JointUseNotice_workspaceId_publishedAt_idx" ON "JointUseNotice"("workspaceId", "publishedAt");

-- CreateIndex
CREATE INDEX "AuditLog_organizationId_createdAt_idx" ON "AuditLog"("organizationId", "createdAt");

-- AddForeignKey
ALTER TABLE "JointUseNotice" ADD CONSTRAINT "JointUseNotice_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "JointUseNotice" ADD CONSTRAINT "JointUseNotice_managerOrgId_fkey" FOREIGN KEY ("managerOrgId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
