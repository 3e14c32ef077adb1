// Request headers for spec v0: bearer tokens for operators, officers and admin.

export function bearer(token) {
  return token ? { Authorization: `Bearer ${token}` } : {};
}

export function jsonHeaders(token) {
  return Object.assign({ 'Content-Type': 'application/json', Accept: 'application/json' }, bearer(token));
}
