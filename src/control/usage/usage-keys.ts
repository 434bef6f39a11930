/** Where usage counters live in the store: one counter group per UTC month, one record per day, agency and host. */

/** `YYYY-MM`, months 01 to 12. */
export const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

export function usageGroup(month: string): string {
  return `usage:${month}`;
}

/** A host without an agency (an admin's own) is recorded under the empty agency. */
export function usageRecord(day: string, agency: string, host: string): string {
  return `${day}|${agency}|${host}`;
}
