/** The first admin token: GERBANG_ADMIN_TOKEN, or one generated at first start and kept in the state dir (mode 0600). */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const TOKEN_FILE = 'admin-token';

export async function resolveBootstrapToken(
  fromEnv: string | undefined,
  stateDir: string,
): Promise<{ token: string; file: string | undefined }> {
  if (fromEnv) return { token: fromEnv, file: undefined };
  const file = join(stateDir, TOKEN_FILE);
  try {
    const kept = (await readFile(file, 'utf8')).trim();
    if (kept.length >= 16) return { token: kept, file };
  } catch {
    // First start: make one below.
  }
  const token = randomBytes(24).toString('base64url');
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  return { token, file };
}
