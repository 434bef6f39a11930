/** Where usage counters live in the store: one counter group per UTC month (a record per day, agency and host) and one per UTC hour for the traffic view. */

/** `YYYY-MM`, months 01 to 12. */
export const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

export function usageGroup(month: string): string {
  return `usage:${month}`;
}

/** A host without an agency (an admin's own) is recorded under the empty agency. */
export function usageRecord(day: string, agency: string, host: string): string {
  return `${day}|${agency}|${host}`;
}

/** `YYYY-MM-DDTHH`: a UTC hour as the meter names it. */
export const HOUR_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}$/;

/** The traffic view's counters: one group per UTC hour (so an old hour is removed whole), one record per agency and host. */
export function trafficGroup(hour: string): string {
  return `traffic:${hour}`;
}

export function trafficRecord(agency: string, host: string): string {
  return `${agency}|${host}`;
}
