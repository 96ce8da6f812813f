/**
 * The transaction-scoped advisory lock every fact write takes before drawing change sequences
 * (the `fedele_lock_changes` statement trigger of migration 0001), and that the replica takes
 * for an instant to read a safe horizon. Defined once so the two cannot drift apart.
 */
export const CHANGE_LOCK_KEY = 727274
