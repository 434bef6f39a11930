/** Schema validation shared by the admin API, the config loader and the store readers: one error shape with field paths. */
import type { Static, TSchema } from '@sinclair/typebox';
import { TypeCompiler, type ValueError, ValueErrorType } from '@sinclair/typebox/compiler';
import { GerbangError } from '../errors.js';

export interface FieldProblem {
  path: string;
  message: string;
}

export interface Validator<T extends TSchema> {
  check(value: unknown): value is Static<T>;
  /** Returns the value typed, or throws VALIDATION_FAILED naming every bad field. */
  parse(value: unknown, what: string): Static<T>;
  problems(value: unknown): FieldProblem[];
}

/** The values a union of literals allows, or undefined for any other schema. */
function literalChoices(schema: TSchema): string[] | undefined {
  const options = (schema as { anyOf?: Array<{ const?: unknown }> }).anyOf;
  if (options === undefined || options.length === 0) return undefined;
  const values = options.map((o) => o.const);
  return values.every((v) => typeof v === 'string' || typeof v === 'number') ? values.map(String) : undefined;
}

/** Says what is wrong in the user's words: an unknown field by its name, a choice by its allowed values. */
function describe(error: ValueError): string {
  if (error.type === ValueErrorType.ObjectAdditionalProperties) return 'unknown field';
  const choices = error.type === ValueErrorType.Union ? literalChoices(error.schema) : undefined;
  if (choices !== undefined) return `expected one of ${choices.join(', ')}`;
  return error.message;
}

/**
 * A typo'd field (`tagets`) makes typebox report the missing `targets` first; the unknown name is what the
 * user must fix, so unknown fields are listed before anything else.
 */
function byFirstFix(a: ValueError, b: ValueError): number {
  const rank = (e: ValueError) => (e.type === ValueErrorType.ObjectAdditionalProperties ? 0 : 1);
  return rank(a) - rank(b);
}

export function compileValidator<T extends TSchema>(schema: T): Validator<T> {
  const compiled = TypeCompiler.Compile(schema);
  const problems = (value: unknown): FieldProblem[] =>
    [...compiled.Errors(value)]
      .sort(byFirstFix)
      .slice(0, 20)
      .map((e) => ({ path: e.path || '/', message: describe(e) }));
  return {
    check: (value): value is Static<T> => compiled.Check(value),
    problems,
    parse(value, what) {
      if (compiled.Check(value)) return value;
      const list = problems(value);
      const first = list[0];
      const summary = first ? `${first.path}: ${first.message}` : 'invalid';
      throw new GerbangError('VALIDATION_FAILED', `${what} is invalid at ${summary}`, { fields: list });
    },
  };
}
