/** The refusals an import plan collects: every bad field of the file at once, each with its stable code. */
import { type ErrorCode, isGerbangError } from '../../errors.js';

export interface FieldRefusal {
  path: string;
  code: ErrorCode;
  message: string;
}

/** Refusals are collected, not thrown one by one: the operator fixes the whole file in one go. */
export class Problems {
  readonly list: FieldRefusal[] = [];
  add(path: string, err: unknown): void {
    if (isGerbangError(err)) this.list.push({ path, code: err.code, message: err.message });
    else this.list.push({ path, code: 'VALIDATION_FAILED', message: (err as Error).message });
  }
  async guard(path: string, work: () => unknown): Promise<boolean> {
    try {
      await work();
      return true;
    } catch (err) {
      this.add(path, err);
      return false;
    }
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
