/** The DNS-01 hook: a small interface (set/clear a TXT record), and an adapter that runs an operator's executable. */
import { execFile } from 'node:child_process';
import { DEFAULT_ACME_DNS_HOOK_TIMEOUT_MS } from '../../config/defaults.js';

export interface DnsHook {
  /** Publishes TXT `value` at `name` (`_acme-challenge.<domain>`, no trailing dot) and resolves once it is served. */
  set(name: string, value: string): Promise<void>;
  /** Removes that TXT value again. */
  clear(name: string, value: string): Promise<void>;
}

/**
 * Runs `<file> set <name> <value>` and `<file> clear <name> <value>`; a non-zero exit fails the order.
 * Arguments are passed without a shell, so names and values are never interpreted.
 */
export class ExecDnsHook implements DnsHook {
  constructor(
    private readonly file: string,
    private readonly timeoutMs: number = DEFAULT_ACME_DNS_HOOK_TIMEOUT_MS,
  ) {}

  set(name: string, value: string): Promise<void> {
    return this.run('set', name, value);
  }

  clear(name: string, value: string): Promise<void> {
    return this.run('clear', name, value);
  }

  private run(action: string, name: string, value: string): Promise<void> {
    return new Promise((resolve, reject) => {
      execFile(this.file, [action, name, value], { timeout: this.timeoutMs }, (err, _stdout, stderr) => {
        if (!err) return resolve();
        const detail = String(stderr).trim().slice(0, 500);
        reject(new Error(`DNS hook ${action} ${name} failed: ${err.message}${detail ? `: ${detail}` : ''}`));
      });
    });
  }
}
