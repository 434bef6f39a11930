/** What every command receives: the parsed flags, the API client, and how to print; and the usage error they throw. */
import type { ApiClient } from './api-client.js';

/** A mistake in how the command was called: exit 2 with the usage of the command. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly group?: string,
  ) {
    super(message);
  }
}

export type FlagValues = Record<string, string | boolean | Array<string | boolean> | undefined>;

export interface CommandContext {
  api: ApiClient;
  json: boolean;
  values: FlagValues;
}

/** One command group (`hosts`, `certs`, ...): its help text and what it runs. */
export interface CommandGroup {
  readonly name: string;
  /** The group's lines of the usage text. */
  readonly usage: string;
  run(action: string | undefined, args: string[], ctx: CommandContext): Promise<void>;
}

export function need(args: string[], index: number, what: string, group: string): string {
  const value = args[index];
  if (!value) throw new UsageError(`missing ${what}`, group);
  return value;
}

export function flag(values: FlagValues, name: string): string | undefined {
  const value = values[name];
  const last = Array.isArray(value) ? value[value.length - 1] : value;
  return typeof last === 'string' ? last : undefined;
}

export function flags(values: FlagValues, name: string): string[] {
  const value = values[name];
  const list = Array.isArray(value) ? value : [value];
  return list.filter((v): v is string => typeof v === 'string');
}

export function unknownAction(group: string, action: string | undefined): UsageError {
  return new UsageError(action ? `unknown command: ${group} ${action}` : `${group} needs a command`, group);
}
