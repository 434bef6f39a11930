/** Konsol's system page: the store (kind, connection, staleness, recovery state) and every live instance. */
import type { InstanceView } from '../instance-listeners.js';
import type { RecoveryStatus } from '../store-recovery.js';
import { escapeHtml, layout, type PageFrame, type PageUser } from './konsol-pages.js';
import { STORE_WORDS, type StoreWords } from './store-words.js';

function when(iso: string | null, words: StoreWords): string {
  return iso === null
    ? escapeHtml(words.unknown)
    : `<time datetime="${escapeHtml(iso)}">${escapeHtml(iso.slice(0, 19).replace('T', ' '))} UTC</time>`;
}

function storeSection(words: StoreWords, status: RecoveryStatus): string {
  const connected = status.connected ? words.connected : words.disconnected;
  const copy = status.lastSnapshot
    ? words.lastCopyOf
        .replace('{at}', status.lastSnapshot.savedAt?.slice(0, 19).replace('T', ' ') ?? words.unknown)
        .replace('{hosts}', String(status.lastSnapshot.hosts))
        .replace('{agencies}', String(status.lastSnapshot.agencies))
        .replace('{tokens}', String(status.lastSnapshot.tokens))
    : words.noCopy;
  return `<section class="card" aria-labelledby="h-store"><h2 id="h-store">${escapeHtml(words.store)}</h2>
<dl>
<dt>${escapeHtml(words.kind)}</dt><dd data-store-kind="${status.store}">${escapeHtml(status.store === 'redis' ? words.kindRedis : words.kindEmbedded)}</dd>
<dt>${escapeHtml(words.connection)}</dt><dd><strong class="status-${status.connected ? 'up' : 'down'}" data-store-connected="${status.connected}">${escapeHtml(connected)}</strong></dd>
<dt>${escapeHtml(words.staleness)}</dt><dd data-staleness="${status.stalenessSeconds ?? 'never'}">${escapeHtml(status.stalenessSeconds === null ? words.never : words.stalenessSeconds.replace('{n}', String(status.stalenessSeconds)))}</dd>
<dt>${escapeHtml(words.lastSync)}</dt><dd>${when(status.lastSyncAt, words)}</dd>
<dt>${escapeHtml(words.recovery)}</dt><dd data-suspect="${status.suspectEmpty}"${status.suspectEmpty ? ' class="error"' : ''}>${escapeHtml(status.suspectEmpty ? words.recoverySuspect.replace('{n}', String(status.routedHosts)) : words.recoveryNone)}</dd>
<dt>${escapeHtml(words.routedHosts)}</dt><dd>${status.routedHosts}</dd>
<dt>${escapeHtml(words.lastCopy)}</dt><dd>${escapeHtml(copy)}</dd>
</dl></section>`;
}

function instanceCard(words: StoreWords, instance: InstanceView): string {
  const listeners = instance.listeners
    .map(
      (l) => `<li><code>${escapeHtml(l.host.includes(':') ? `[${l.host}]` : l.host)}:${l.port}</code></li>`,
    )
    .join('');
  return `<li class="card" data-instance="${escapeHtml(instance.id)}">
<p><strong>${escapeHtml(words.instance)}</strong> <code>${escapeHtml(instance.id)}</code>${instance.self ? ` ${escapeHtml(words.thisOne)}` : ''}</p>
<dl>
<dt>${escapeHtml(words.listeners)}</dt><dd>${listeners === '' ? '-' : `<ul class="targets">${listeners}</ul>`}</dd>
<dt>${escapeHtml(words.started)}</dt><dd>${when(instance.startedAt, words)}</dd>
<dt>${escapeHtml(words.lastSeen)}</dt><dd>${when(instance.lastSeenAt, words)}</dd>
<dt>${escapeHtml(words.version)}</dt><dd>${escapeHtml(instance.version ?? words.unknown)}</dd>
</dl></li>`;
}

export function systemPage(
  frame: PageFrame & { user: PageUser },
  status: RecoveryStatus,
  instances: InstanceView[] | undefined,
): string {
  const words = STORE_WORDS[frame.lang];
  const list =
    instances === undefined
      ? `<p>${escapeHtml(words.noInstances)}</p>`
      : `<ul class="plain">${instances.map((i) => instanceCard(words, i)).join('\n')}</ul>`;
  return layout(
    frame,
    '/konsol/admin/sistem',
    `${storeSection(words, status)}<section aria-labelledby="h-instances"><h2 id="h-instances">${escapeHtml(words.instances)}</h2>${list}</section>`,
  );
}
