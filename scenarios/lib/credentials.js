// Who may act where: operators by TIN and officers by customs office, gathered
// from the deployment file and the data set's fixtures (both optional).

/**
 * @typedef {{ tin: string, token: string, name?: string, [field: string]: unknown }} Operator
 * @typedef {{ id?: string, token: string, offices: string[], [field: string]: unknown }} Officer
 * @typedef {{ operators?: Operator[], officers?: Officer[] }} Parties
 * @typedef {ReturnType<typeof credentialIndex>} Credentials
 */

/** @param {...(Parties | undefined)} sources */
export function credentialIndex(...sources) {
  /** @type {Map<string, Operator>} */
  const operators = new Map();
  /** @type {Map<string, Officer>} */
  const officers = new Map();
  /** @type {Officer[]} */
  const officerList = [];
  for (const source of sources) {
    if (!source) continue;
    for (const op of source.operators || []) if (op && op.tin && op.token) operators.set(op.tin, op);
    for (const officer of source.officers || []) {
      if (!officer || !officer.token) continue;
      officerList.push(officer);
      for (const office of officer.offices || []) if (!officers.has(office)) officers.set(office, officer);
    }
  }
  return {
    /** @param {string} tin */
    operatorToken(tin) {
      const op = operators.get(tin);
      if (!op) throw new Error(`no credentials for operator ${tin}`);
      return op.token;
    },
    hasOperator: (/** @type {string} */ tin) => operators.has(tin),
    /** @param {string} office */
    officerToken(office) {
      const officer = officers.get(office);
      if (!officer) throw new Error(`no officer credentials for office ${office}`);
      return officer.token;
    },
    hasOfficer: (/** @type {string} */ office) => officers.has(office),
    /** Every office that has an officer, with that officer. */
    officers: () =>
      [...officers.entries()].map(([office, officer]) => ({ office, token: officer.token, id: officer.id })),
    operators: () => [...operators.values()],
    /** Every officer with the offices they act for. */
    allOfficers: () => officerList.slice(),
  };
}

/**
 * Country of a customs office reference number (its first two letters).
 * @param {string} office
 */
export function countryOfOffice(office) {
  return office.slice(0, 2);
}
