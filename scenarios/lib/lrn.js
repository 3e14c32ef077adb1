// LRNs (an..22): fresh ones for resubmitting a data set's content.

/**
 * The LRN with a cycle suffix, kept within 22 characters.
 * @param {string} lrn
 * @param {number} cycle
 */
export function uniqueLrn(lrn, cycle) {
  const suffix = `-${cycle.toString(36)}`;
  return lrn.slice(0, 22 - suffix.length) + suffix;
}
