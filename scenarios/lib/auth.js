// Request headers for spec v0: bearer tokens for operators, officers and admin.

/**
 * @param {string | undefined} token
 * @returns {{ Authorization?: string }}
 */
export function bearer(token) {
  return token ? { Authorization: `Bearer ${token}` } : {};
}

/**
 * @param {string | undefined} token
 * @returns {Record<string, string>}
 */
export function jsonHeaders(token) {
  return Object.assign({ 'Content-Type': 'application/json', Accept: 'application/json' }, bearer(token));
}
