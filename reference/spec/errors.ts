// The one shape of every rejection (NCTS IE056-like): a top-level code and
// message, and each functional error with its code and a JSON pointer.
import { Type, type Static } from '@sinclair/typebox';

/** Rejection codes of spec v0. Generators label defects with these. */
export const ErrorCodes = [
  // request level
  'BAD_REQUEST',
  'MALFORMED_JSON',
  'SCHEMA_VIOLATION',
  'BODY_TOO_LARGE',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'UNSUPPORTED_MEDIA_TYPE',
  'METHOD_NOT_ALLOWED',
  'REQUEST_TIMEOUT',
  'HEADERS_TOO_LARGE',
  // declaration content
  'UNKNOWN_OFFICE',
  'OFFICE_ROLE_MISMATCH',
  'UNKNOWN_COUNTRY',
  'UNKNOWN_CURRENCY',
  'INVALID_HS_CODE',
  'ITINERARY_MISMATCH',
  'TRANSIT_AT_INTERNAL_BORDER',
  'MASS_INCONSISTENT',
  'INVALID_CONTAINER_NUMBER',
  'DUPLICATE_LRN',
  'HOLDER_MISMATCH',
  'AMOUNT_OUT_OF_RANGE',
  // guarantees
  'GUARANTEE_NOT_FOUND',
  'GUARANTEE_NOT_ACTIVE',
  'GUARANTEE_ACCESS_CODE',
  'GUARANTEE_AMOUNT_UNDERSTATED',
  'GUARANTEE_INSUFFICIENT',
  'GUARANTEE_CURRENCY_MISMATCH',
  'GUARANTEE_TYPE_MISMATCH',
  'GUARANTEE_ALREADY_USED',
  'GUARANTEE_COUNTRIES_MIXED',
  'GUARANTEE_COUNTRY_NOT_IN_EXCHANGE',
  // parties and lifecycle
  'OPERATOR_NOT_ACTIVE',
  'ILLEGAL_TRANSITION',
  'CONFLICT',
  // server side (never caused by the request's content)
  'INTERNAL_ERROR',
  'SERVICE_UNAVAILABLE',
] as const;

export type ErrorCode = (typeof ErrorCodes)[number];

export const ErrorCodeSchema = Type.Union(ErrorCodes.map((c) => Type.Literal(c)));

export const FunctionalError = Type.Object(
  {
    code: ErrorCodeSchema,
    pointer: Type.String({ description: 'JSON pointer into the request body ("" for the whole request)' }),
    message: Type.String(),
  },
  { $id: 'FunctionalError' },
);

export const ErrorResponse = Type.Object(
  {
    code: ErrorCodeSchema,
    message: Type.String(),
    errors: Type.Array(FunctionalError),
    requestId: Type.Optional(
      Type.String({ description: 'On 5xx answers: the id under which the node logged the failure' }),
    ),
  },
  { $id: 'ErrorResponse' },
);

export type FunctionalError = Static<typeof FunctionalError>;
export type ErrorResponse = Static<typeof ErrorResponse>;
