-- AlterTable
ALTER TABLE "CheckResult" ADD COLUMN     "evidence" TEXT,
ADD COLUMN     "hint" TEXT;
