/** Runs the `gerbang` CLI as its own process (src/cli/main.ts through tsx) with only the environment given, and captures what it printed. */
import { spawn } from 'node:child_process';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

const TSX = import.meta.resolve('tsx');
const CLI_ENTRY = new URL('../../src/cli/main.ts', import.meta.url).pathname;

export function gerbangCli(
  args: string[],
  env: Record<string, string | undefined>,
  cwd = process.cwd(),
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    // Resolved here, not from `cwd`: a test may run the CLI from a folder without node_modules.
    const child = spawn(process.execPath, ['--import', TSX, CLI_ENTRY, ...args], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
