/** The one error type the domain throws for expected failures; app/ maps it to a response. */
export type AppErrorCode = "not-found" | "invalid" | "forbidden" | "unavailable";

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const HTTP_STATUS: Record<AppErrorCode, number> = {
  "not-found": 404,
  invalid: 400,
  forbidden: 403,
  unavailable: 503,
};
