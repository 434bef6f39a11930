/** Vary: Accept-Encoding merged into what the backend sent, once, whatever its spelling or layout. */

/** The Vary value with Accept-Encoding in it (unchanged when it is there already or when Vary is `*`). */
export function withAcceptEncoding(vary: string | string[] | number | undefined): string {
  if (vary === undefined || vary === '') return 'Accept-Encoding';
  const text = Array.isArray(vary) ? vary.join(', ') : String(vary);
  for (const name of text.split(',')) {
    const n = name.trim().toLowerCase();
    if (n === 'accept-encoding' || n === '*') return text;
  }
  return `${text}, Accept-Encoding`;
}
