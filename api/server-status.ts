/** GET /api/staff/server-status: what every agent should know about the server itself. */
export interface ServerStatus {
  /** When the server was last started again after an unexpected stop (ISO), or null. */
  restartedAt: string | null;
  /** The French sentence the console shows about it, or null. */
  restartNotice: string | null;
}
