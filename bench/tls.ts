/** The run's certificate: one self-signed RSA pair made with openssl per bench run, served by Gerbang, nginx and Caddy alike. */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_HOST, BENCH_TLS_DAYS } from './defaults.js';

export interface BenchCert {
  certFile: string;
  keyFile: string;
  certificate: string;
  key: string;
  /** Removes the files. */
  remove(): void;
}

/**
 * RSA 2048, as most bought certificates are, and because Gerbang keeps an RSA fallback pair from its state dir
 * (an ECDSA one would be replaced). The names cover the load's Host and 127.0.0.1: wrk sends the URL's host as SNI.
 */
export function makeBenchCert(): BenchCert {
  const dir = mkdtempSync(join(tmpdir(), 'gerbang-bench-tls-'));
  chmodSync(dir, 0o755);
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  const made = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-sha256',
      '-days',
      String(BENCH_TLS_DAYS),
      '-subj',
      `/CN=${BENCH_HOST}`,
      '-addext',
      `subjectAltName=DNS:${BENCH_HOST},DNS:*.${BENCH_HOST},IP:127.0.0.1`,
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ],
    { encoding: 'utf8' },
  );
  if (made.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`openssl could not make the bench certificate: ${made.error?.message ?? made.stderr}`);
  }
  return {
    certFile,
    keyFile,
    certificate: readFileSync(certFile, 'utf8'),
    key: readFileSync(keyFile, 'utf8'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
