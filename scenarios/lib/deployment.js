// The deployment file written by `cats-stress up` (or by hand for any CATS/ICE
// implementing spec v0): endpoints per country and the seeded credentials.
// Read it in the init context of a script:
//   const deployment = parseDeployment(open(__ENV.DEPLOYMENT || '../.cats-stress/deployment.json'));

/**
 * @typedef {{
 *   nodes: Record<string, { country: string, url: string, adminToken: string | undefined }>,
 *   ice: { url: string, loadIdentities: import('./ice-link.js').IceIdentity[] } | undefined,
 *   operators: import('./credentials.js').Operator[],
 *   officers: import('./credentials.js').Officer[],
 * }} Deployment
 */

/**
 * Parses and checks the deployment file; throws a message naming what is missing.
 * @param {string} text
 * @returns {Deployment}
 */
export function parseDeployment(text) {
  let raw;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`deployment file is not JSON: ${/** @type {Error} */ (err).message}`);
  }
  /** @type {Deployment['nodes']} */
  const nodes = {};
  const operators = (raw.operators || []).slice();
  const officers = (raw.officers || []).slice();
  for (const [country, node] of Object.entries(/** @type {Record<string, any>} */ (raw.nodes || {}))) {
    if (!node || typeof node.url !== 'string') throw new Error(`deployment file: node ${country} has no url`);
    // adminToken: seeding parties through POST /v1/admin/fixtures, reading the /v1/audit routes.
    nodes[country] = {
      country,
      url: node.url.replace(/\/$/, ''),
      adminToken: typeof node.adminToken === 'string' && node.adminToken ? node.adminToken : undefined,
    };
    // `cats-stress up` lists each node's seeded parties under the node.
    operators.push(...(node.operators || []));
    officers.push(...(node.officers || []));
  }
  if (Object.keys(nodes).length === 0) throw new Error('deployment file: no nodes');
  return {
    nodes,
    // loadIdentities: ICE credentials of countries without a node, for load clients (ice-burst).
    ice: raw.ice && raw.ice.url ? { url: raw.ice.url, loadIdentities: raw.ice.loadIdentities || [] } : undefined,
    operators,
    officers,
  };
}

/**
 * Countries with a node, optionally narrowed by a comma-separated list (e.g. __ENV.COUNTRIES).
 * @param {Deployment} deployment
 * @param {string} [only]
 */
export function countriesOf(deployment, only) {
  const all = Object.keys(deployment.nodes);
  if (!only) return all;
  const wanted = only
    .split(',')
    .map((c) => c.trim().toUpperCase())
    .filter(Boolean);
  const missing = wanted.filter((c) => !deployment.nodes[c]);
  if (missing.length) throw new Error(`no node for ${missing.join(', ')} in the deployment (has ${all.join(', ')})`);
  return wanted;
}

/**
 * @param {Deployment} deployment
 * @param {string} country
 */
export function nodeUrl(deployment, country) {
  const node = deployment.nodes[country];
  if (!node) throw new Error(`no node for ${country} in the deployment`);
  return node.url;
}

/**
 * WebSocket base URL of a node (same host and port as its HTTP API).
 * @param {Deployment} deployment
 * @param {string} country
 */
export function nodeWsUrl(deployment, country) {
  return nodeUrl(deployment, country).replace(/^http/, 'ws');
}
