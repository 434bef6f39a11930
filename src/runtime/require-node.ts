/** Refuses to start on a Node.js major older than the one the project is tested on, with one line instead of a stack trace. */

/** The Node.js major the tests, the bench and the image run (package.json pins the release, see README). */
export const REQUIRED_NODE_MAJOR = 24;

/** The one line a too-old runtime gets, or undefined when `version` (process.versions.node) is new enough. */
export function nodeVersionRefusal(version: string, program: string): string | undefined {
  const major = Number.parseInt(version.split('.')[0] ?? '', 10);
  if (Number.isInteger(major) && major >= REQUIRED_NODE_MAJOR) return undefined;
  return `${program}: Node.js ${REQUIRED_NODE_MAJOR} or newer is required, this is ${version}; run it through npm (npm start, npx ${program}), which uses the Node.js ${REQUIRED_NODE_MAJOR} that npm ci installed\n`;
}

/** Exits with status 1 and the refusal on stderr when the running Node.js is too old. */
export function requireNodeMajor(program: string): void {
  const refusal = nodeVersionRefusal(process.versions.node, program);
  if (refusal === undefined) return;
  process.stderr.write(refusal);
  process.exit(1);
}
