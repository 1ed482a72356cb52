-- Exam sessions (lib/progress/exams.ts): the Exam row gets what a sitting needs (its definition,
-- countdown, status and grade), ExamTask holds its tasks with flags and scores.
-- Written by hand from `prisma migrate diff`: Prisma redefines the Exam table (DROP TABLE under
-- PRAGMA foreign_keys=OFF, which SQLite ignores inside the migrator's transaction, so the drop
-- would cascade to exam Attempts); every new column is nullable or has a default, so ADD COLUMN
-- does the same without touching a row.

-- AlterTable
ALTER TABLE "Exam" ADD COLUMN "title" TEXT NOT NULL DEFAULT '';
ALTER TABLE "Exam" ADD COLUMN "seed" INTEGER;
ALTER TABLE "Exam" ADD COLUMN "minutes" INTEGER NOT NULL DEFAULT 120;
ALTER TABLE "Exam" ADD COLUMN "passPercent" REAL NOT NULL DEFAULT 68;
ALTER TABLE "Exam" ADD COLUMN "status" TEXT NOT NULL DEFAULT 'running';
ALTER TABLE "Exam" ADD COLUMN "timedOut" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "Exam" ADD COLUMN "gradedAt" DATETIME;
ALTER TABLE "Exam" ADD COLUMN "gradings" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Exam" ADD COLUMN "gradeReason" TEXT;
ALTER TABLE "Exam" ADD COLUMN "cluster" TEXT;
ALTER TABLE "Exam" ADD COLUMN "earned" REAL;
ALTER TABLE "Exam" ADD COLUMN "possible" REAL;
ALTER TABLE "Exam" ADD COLUMN "passed" BOOLEAN;

-- CreateTable
CREATE TABLE "ExamTask" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "examId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "scenarioId" TEXT NOT NULL,
    "taskId" TEXT NOT NULL,
    "domain" TEXT NOT NULL,
    "points" INTEGER NOT NULL,
    "flagged" BOOLEAN NOT NULL DEFAULT false,
    "earned" REAL,
    "possible" REAL,
    "checkRunId" TEXT,
    CONSTRAINT "ExamTask_examId_fkey" FOREIGN KEY ("examId") REFERENCES "Exam" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ExamTask_checkRunId_fkey" FOREIGN KEY ("checkRunId") REFERENCES "CheckRun" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "Exam_learnerId_startedAt_idx" ON "Exam"("learnerId", "startedAt");

-- CreateIndex
CREATE UNIQUE INDEX "ExamTask_checkRunId_key" ON "ExamTask"("checkRunId");

-- CreateIndex
CREATE UNIQUE INDEX "ExamTask_examId_position_key" ON "ExamTask"("examId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "ExamTask_examId_scenarioId_taskId_key" ON "ExamTask"("examId", "scenarioId", "taskId");

-- No code stored exams before this migration; a row from then has no tasks and cannot be graded.
UPDATE "Exam" SET "status" = 'not-graded', "gradeReason" = 'stored before exam sessions: it has no tasks to grade';

-- At most one running exam per learner (one terminal, one cluster). Written by hand: Prisma's
-- schema cannot express a partial index.
CREATE UNIQUE INDEX "Exam_running_key" ON "Exam"("learnerId") WHERE "status" = 'running';
