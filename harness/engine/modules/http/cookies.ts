// The cookies a response sets (Set-Cookie), as k6's response.cookies lists them.

export interface ResponseCookie {
  name: string;
  value: string;
  domain: string;
  path: string;
  http_only: boolean;
  secure: boolean;
  max_age: number;
  expires: number;
}

/** One Set-Cookie header; undefined when it has no name=value. */
export function parseSetCookie(header: string): ResponseCookie | undefined {
  const parts = header.split(';');
  const eq = parts[0].indexOf('=');
  if (eq <= 0) return undefined;
  const cookie: ResponseCookie = {
    name: parts[0].slice(0, eq).trim(),
    value: parts[0].slice(eq + 1).trim(),
    domain: '',
    path: '',
    http_only: false,
    secure: false,
    max_age: 0,
    expires: 0,
  };
  for (let i = 1; i < parts.length; i++) {
    const [k, v = ''] = parts[i].split('=', 2).map((s) => s.trim());
    switch (k.toLowerCase()) {
      case 'domain':
        cookie.domain = v;
        break;
      case 'path':
        cookie.path = v;
        break;
      case 'httponly':
        cookie.http_only = true;
        break;
      case 'secure':
        cookie.secure = true;
        break;
      case 'max-age':
        cookie.max_age = Number(v) || 0;
        break;
      case 'expires':
        cookie.expires = Date.parse(v) || 0;
        break;
    }
  }
  return cookie;
}
