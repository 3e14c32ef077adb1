// k6's http error codes (lib/netext/httpext/error_codes.go) for the errors Node reports.

export interface ErrorCode {
  code: number;
  message: string;
}

export const TIMEOUT: ErrorCode = { code: 1050, message: 'request timeout' };
export const CANCELED: ErrorCode = { code: 1000, message: 'context canceled' };

export function errorCodeOf(err: unknown): ErrorCode {
  const e = err as { code?: string; syscall?: string; message?: string };
  switch (e?.code) {
    case 'K6_BLACKLISTED_IP':
      return { code: 1110, message: 'ip is blacklisted' };
    case 'K6_BLOCKED_HOSTNAME':
      return { code: 1111, message: 'hostname is blocked' };
    case 'ECONNREFUSED':
      return { code: 1212, message: 'dial: connection refused' };
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return { code: 1211, message: 'dial: i/o timeout' };
    case 'ENOTFOUND':
      return { code: 1101, message: 'lookup: no such host' };
    case 'EAI_AGAIN':
      return { code: 1100, message: `lookup: ${e.message ?? 'temporary failure'}` };
    case 'ECONNRESET':
      return { code: 1220, message: `${e.syscall === 'write' ? 'write' : 'read'}: connection reset by peer` };
    case 'EPIPE':
      return { code: 1201, message: 'write: broken pipe' };
    case 'K6_UNEXPECTED_EOF':
      return { code: 1000, message: 'unexpected EOF' };
    case 'CERT_HAS_EXPIRED':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
      return { code: 1310, message: 'x509: unknown authority' };
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return { code: 1311, message: "x509: certificate doesn't match hostname" };
    default:
      return { code: 1000, message: String(e?.message ?? err) };
  }
}
