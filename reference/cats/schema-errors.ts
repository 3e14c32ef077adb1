// Ajv validation errors as functional errors with JSON pointers into the request.
import type { FunctionalError } from '../spec/errors.ts';

export interface AjvError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

const MAX_ERRORS = 100;

const escape = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

export function schemaErrors(errors: readonly AjvError[], where: string): FunctionalError[] {
  const prefix = where === 'body' ? '' : `/${where}`;
  // A union reports one error per branch; say once which values it takes.
  const unionValues = new Map<string, unknown[]>();
  for (const e of errors) {
    if (e.keyword === 'const') {
      const list = unionValues.get(e.instancePath) ?? [];
      list.push(e.params.allowedValue);
      unionValues.set(e.instancePath, list);
    }
  }
  const seen = new Set<string>();
  const out: FunctionalError[] = [];
  for (const e of errors) {
    if (out.length >= MAX_ERRORS) break;
    let pointer = prefix + e.instancePath;
    let message = e.message ?? e.keyword;
    if (e.keyword === 'required') {
      pointer += `/${escape(String(e.params.missingProperty))}`;
      message = 'is required';
    } else if (e.keyword === 'additionalProperties') {
      pointer += `/${escape(String(e.params.additionalProperty))}`;
      message = 'is not allowed here';
    } else if (
      e.keyword === 'const' &&
      unionValues.has(e.instancePath) &&
      errors.some((x) => x.keyword === 'anyOf' && x.instancePath === e.instancePath)
    ) {
      continue;
    } else if (e.keyword === 'anyOf' && unionValues.has(e.instancePath)) {
      message = `must be one of ${unionValues
        .get(e.instancePath)!
        .map((v) => JSON.stringify(v))
        .join(', ')}`;
    }
    const key = `${pointer} ${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ code: 'SCHEMA_VIOLATION', pointer, message });
  }
  return out;
}
