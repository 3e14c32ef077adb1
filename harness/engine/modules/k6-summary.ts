// Stand-in for https://jslib.k6.io/k6-summary/*/index.js, which scripts import
// for textSummary() inside handleSummary().
import { textSummary } from '../summary/text-summary.ts';

export { textSummary };
export default { textSummary };
