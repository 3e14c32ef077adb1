// HS 2017 subheadings that the 2022 edition of the Harmonized System deleted and
// split, among the goods the corridor carries: lighting (9405.10/20/30/40/60 into
// 9405.11–69) and semiconductor devices (8541.40 into 8541.41–49). Not the whole
// nomenclature: a declaration may still carry a code no edition has, within a
// valid chapter, which customs would query.
export const HS_EDITION = 2022;

export const withdrawnInHs2022: ReadonlyMap<string, string> = new Map([
  ['940510', '9405.11 or 9405.19'],
  ['940520', '9405.21 or 9405.29'],
  ['940530', '9405.31 or 9405.39'],
  ['940540', '9405.41, 9405.42 or 9405.49'],
  ['940560', '9405.61 or 9405.69'],
  ['854140', '8541.41, 8541.42, 8541.43 or 8541.49'],
]);
