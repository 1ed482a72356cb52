-- At most one open practice attempt per learner and scenario (exam attempts have an examId).
-- Written by hand: Prisma's schema cannot express a partial index.

-- Concurrent first Checks could open several: keep the newest (the one the player reads), move
-- the others' check runs to it, and delete the others.
UPDATE "CheckRun" SET "attemptId" = (
  SELECT k."id" FROM "Attempt" k, "Attempt" d
  WHERE d."id" = "CheckRun"."attemptId"
    AND k."learnerId" = d."learnerId" AND k."scenarioId" = d."scenarioId"
    AND k."mode" = 'learn' AND k."examId" IS NULL AND k."finishedAt" IS NULL
  ORDER BY k."startedAt" DESC, k."id" DESC
  LIMIT 1
)
WHERE "attemptId" IN (
  SELECT "id" FROM "Attempt" WHERE "mode" = 'learn' AND "examId" IS NULL AND "finishedAt" IS NULL
);

DELETE FROM "Attempt"
WHERE "mode" = 'learn' AND "examId" IS NULL AND "finishedAt" IS NULL
  AND EXISTS (
    SELECT 1 FROM "Attempt" k
    WHERE k."learnerId" = "Attempt"."learnerId" AND k."scenarioId" = "Attempt"."scenarioId"
      AND k."mode" = 'learn' AND k."examId" IS NULL AND k."finishedAt" IS NULL
      AND (k."startedAt" > "Attempt"."startedAt" OR (k."startedAt" = "Attempt"."startedAt" AND k."id" > "Attempt"."id"))
  );

-- CreateIndex
CREATE UNIQUE INDEX "Attempt_open_learn_key" ON "Attempt"("learnerId", "scenarioId")
WHERE "mode" = 'learn' AND "examId" IS NULL AND "finishedAt" IS NULL;
