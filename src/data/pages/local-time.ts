/** Times as citizens of the configured zone read them ("2 Desember 2026 08.00 WITA"); machine-readable values stay ISO 8601 elsewhere. */

export type PageLang = 'id' | 'en';

/** Whether `zone` is an IANA time zone this Node's ICU knows (an unknown one would throw on every page). */
export function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const LOCALES: Record<PageLang, string> = { id: 'id-ID', en: 'en-GB' };

/** Formats one instant in one zone; formatters are built once per (zone, language), not per page. */
export class LocalTime {
  private readonly formats: Record<PageLang, Intl.DateTimeFormat>;
  /** The zone's abbreviation as Indonesians write it (WIB, WITA, WIT); English ICU only knows "GMT+8". */
  private readonly zoneName: Intl.DateTimeFormat;

  constructor(readonly timeZone: string) {
    const options: Intl.DateTimeFormatOptions = {
      timeZone,
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    };
    this.formats = {
      id: new Intl.DateTimeFormat(LOCALES.id, options),
      en: new Intl.DateTimeFormat(LOCALES.en, options),
    };
    this.zoneName = new Intl.DateTimeFormat(LOCALES.id, { timeZone, timeZoneName: 'short' });
  }

  /** `2 Desember 2026 08.00 WITA` / `2 December 2026 08:00 WITA`; '' for an invalid date. */
  format(at: Date | string | number, lang: PageLang): string {
    const date = at instanceof Date ? at : new Date(at);
    if (Number.isNaN(date.getTime())) return '';
    const part = (parts: Intl.DateTimeFormatPart[], type: Intl.DateTimeFormatPartTypes) =>
      parts.find((p) => p.type === type)?.value ?? '';
    const parts = this.formats[lang].formatToParts(date);
    const zone = part(this.zoneName.formatToParts(date), 'timeZoneName');
    const clock = lang === 'id' ? '.' : ':';
    return `${part(parts, 'day')} ${part(parts, 'month')} ${part(parts, 'year')} ${part(parts, 'hour')}${clock}${part(parts, 'minute')} ${zone}`;
  }
}

const shared = new Map<string, LocalTime>();

/** One LocalTime per zone for the whole process (the zone is validated at start, so the set stays tiny). */
export function localTimeIn(timeZone: string): LocalTime {
  let found = shared.get(timeZone);
  if (found === undefined) {
    found = new LocalTime(timeZone);
    shared.set(timeZone, found);
  }
  return found;
}
