// k6/html: parseHTML(src) and the Selection and Element API it returns (html/).
import { parseHTML } from './html/selection.ts';

export { parseHTML };
export default { parseHTML };
