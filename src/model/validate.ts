/** Schema validation shared by the admin API, the config loader and the store readers: one error shape with field paths. */
import type { Static, TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
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

export function compileValidator<T extends TSchema>(schema: T): Validator<T> {
  const compiled = TypeCompiler.Compile(schema);
  const problems = (value: unknown): FieldProblem[] =>
    [...compiled.Errors(value)].slice(0, 20).map((e) => ({ path: e.path || '/', message: e.message }));
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
