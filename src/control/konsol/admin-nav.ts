/** The admin pages' links in Konsol's header (agencies, users, tokens), shown to admins only. */
import { ADMIN_WORDS } from './admin-words.js';
import type { Lang } from './konsol-i18n.js';

export function adminNavLinks(lang: Lang): Array<[string, string]> {
  const words = ADMIN_WORDS[lang];
  return [
    ['/konsol/admin/instansi', words.navAgencies],
    ['/konsol/admin/pengguna', words.navUsers],
    ['/konsol/admin/token', words.navTokens],
  ];
}
