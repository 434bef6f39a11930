/** Strict HTTP-date parsing (RFC 9110 §5.6.7): IMF-fixdate and the two obsolete forms; anything else is invalid. */

const MONTHS: Record<string, number> = {
  jan: 0,
  feb: 1,
  mar: 2,
  apr: 3,
  may: 4,
  jun: 5,
  jul: 6,
  aug: 7,
  sep: 8,
  oct: 9,
  nov: 10,
  dec: 11,
};

// Names are matched case-insensitively: senders get the case wrong, and nothing is ambiguous about it.
const IMF_FIXDATE =
  /^(?:mon|tue|wed|thu|fri|sat|sun), (\d{2}) ([a-z]{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) gmt$/i;
const RFC850 =
  /^(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday), (\d{2})-([a-z]{3})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) gmt$/i;
const ASCTIME = /^(?:mon|tue|wed|thu|fri|sat|sun) ([a-z]{3}) ( \d|\d{2}) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/i;

function toMs(year: number, month: string, day: string, h: string, m: string, s: string): number | undefined {
  const mon = MONTHS[month.toLowerCase()];
  const d = Number(day);
  const hh = Number(h);
  const mm = Number(m);
  const ss = Number(s);
  if (mon === undefined || d < 1 || d > 31 || hh > 23 || mm > 59 || ss > 60) return undefined;
  const ms = Date.UTC(year, mon, d, hh, mm, ss);
  // Date.UTC rolls 31 Feb over into March: such a date is not valid.
  return new Date(ms).getUTCDate() === d ? ms : undefined;
}

/** ms since the epoch, or undefined for an invalid date (which a cache treats as in the past, §5.3 of RFC 9111). */
export function parseHttpDate(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = text.trim();
  let m = IMF_FIXDATE.exec(value);
  if (m !== null)
    return toMs(Number(m[3]), m[2] as string, m[1] as string, m[4] as string, m[5] as string, m[6] as string);
  m = RFC850.exec(value);
  if (m !== null) {
    // RFC 9110 §5.6.7: a two-digit year more than 50 years ahead means the most recent past year with those digits.
    const yy = Number(m[3]);
    const now = new Date().getUTCFullYear();
    let year = Math.floor(now / 100) * 100 + yy;
    if (year > now + 50) year -= 100;
    return toMs(year, m[2] as string, m[1] as string, m[4] as string, m[5] as string, m[6] as string);
  }
  m = ASCTIME.exec(value);
  if (m !== null)
    return toMs(
      Number(m[6]),
      m[1] as string,
      (m[2] as string).trim(),
      m[3] as string,
      m[4] as string,
      m[5] as string,
    );
  return undefined;
}
