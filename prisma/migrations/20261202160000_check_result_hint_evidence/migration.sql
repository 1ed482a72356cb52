-- AlterTable
ALTER TABLE "CheckResult" ADD COLUMN "evidence" TEXT;
ALTER TABLE "CheckResult" ADD COLUMN "hint" TEXT;
