// Schema validation of catalogue messages, reporting each error with a JSON pointer.
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import type { TSchema } from '@sinclair/typebox';
import { iceMessageSchemas, iceMessageTypes, type IceMessage } from './catalogue.ts';
import type { FrameError } from './frames.ts';

const checks = new Map<string, TypeCheck<TSchema>>(
  iceMessageTypes.map((t) => [t, TypeCompiler.Compile(iceMessageSchemas[t] as TSchema)]),
);

const MAX_ERRORS = 20;

/** Validates a catalogue message; pointers are prefixed with `at` (its place in the frame). */
export function validateIceMessage(value: unknown, at = ''): { message: IceMessage } | { errors: FrameError[] } {
  const type = (value as { type?: unknown } | null)?.type;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { errors: [{ code: 'SCHEMA_VIOLATION', pointer: at, message: 'a message must be a JSON object' }] };
  }
  const check = typeof type === 'string' ? checks.get(type) : undefined;
  if (!check) {
    return {
      errors: [
        {
          code: 'SCHEMA_VIOLATION',
          pointer: `${at}/type`,
          message: `type must be one of ${iceMessageTypes.join(', ')}`,
        },
      ],
    };
  }
  if (check.Check(value)) return { message: value as IceMessage };
  const errors: FrameError[] = [];
  for (const e of check.Errors(value)) {
    errors.push({ code: 'SCHEMA_VIOLATION', pointer: `${at}${e.path}`, message: e.message });
    if (errors.length >= MAX_ERRORS) break;
  }
  return { errors };
}
