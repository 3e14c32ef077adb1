// HTML as k6's html() returns it: Go's html.Render (golang.org/x/net/html), so a script that
// compares markup gets the same string on either engine. Go closes void elements with "/>",
// escapes quotes and carriage returns in text, and keeps raw-text elements' content as it is.
import { isComment, isDirective, isDocument, isTag, isText, type AnyNode, type Element } from 'domhandler';

const VOID = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'keygen',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
]);
const RAW_TEXT = new Set(['iframe', 'noembed', 'noframes', 'noscript', 'plaintext', 'script', 'style', 'xmp']);
const HTML_NS = 'http://www.w3.org/1999/xhtml';
const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  "'": '&#39;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&#34;',
  '\r': '&#13;',
};

function escape(s: string): string {
  return s.replace(/[&'<>"\r]/g, (c) => ESCAPES[c]!);
}

/** The markup of the node's children: what k6's `html()` and `innerHTML()` return. */
export function innerHTML(node: AnyNode): string {
  let out = '';
  if ('children' in node) for (const child of node.children) out += render(child);
  return out;
}

/** The node's own markup, as Go's html.Render writes it. */
export function render(node: AnyNode): string {
  if (isText(node)) return escape(node.data);
  if (isComment(node)) return `<!--${node.data}-->`;
  if (isDocument(node)) return innerHTML(node);
  if (isDirective(node)) return doctype(node as unknown as Record<string, string | null | undefined>);
  if (isTag(node)) return element(node);
  return '';
}

function element(el: Element): string {
  let out = `<${el.name}`;
  for (const [key, value] of Object.entries(el.attribs)) out += ` ${key}="${escape(value)}"`;
  if (VOID.has(el.name)) return `${out}/>`;
  out += '>';
  const first = el.children[0];
  if (first && isText(first) && first.data.startsWith('\n') && ['pre', 'listing', 'textarea'].includes(el.name))
    out += '\n'; // a newline right after the start tag would be dropped when parsed again
  const literal = RAW_TEXT.has(el.name) && (el.namespace === undefined || el.namespace === HTML_NS);
  for (const child of el.children) out += literal && isText(child) ? child.data : render(child);
  return `${out}</${el.name}>`;
}

/** `<!DOCTYPE name PUBLIC "…" "…">`, from what the HTML5 parser recorded of it. */
function doctype(node: Record<string, string | null | undefined>): string {
  let out = `<!DOCTYPE ${node['x-name'] ?? 'html'}`;
  const publicId = node['x-publicId'];
  const systemId = node['x-systemId'];
  if (publicId) out += ` PUBLIC "${publicId}"${systemId ? ` "${systemId}"` : ''}`;
  else if (systemId) out += ` SYSTEM "${systemId}"`;
  return `${out}>`;
}
