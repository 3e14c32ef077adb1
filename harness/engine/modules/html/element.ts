// k6/html's Element: the DOM-like methods k6 gives every node of a Selection (get(), each(),
// an Element's own navigation), and what the tag-specific Elements (elements.ts) build on.
import { isComment, isDirective, isDocument, isTag, isText, type AnyNode } from 'domhandler';
import { innerHTML } from './render.ts';
import type { Selection } from './selection.ts';

/** A Selection's method that wraps nodes of its document in a new Selection. */
export const WRAP = Symbol('wrap');

const HTML_NS = 'http://www.w3.org/1999/xhtml';
const NODE_TYPE = { element: 1, text: 3, comment: 8, document: 9, doctype: 10 } as const;

/** An attribute as `getAttributeNode()` and `attributes()` give it. */
export class Attribute {
  owner_element: Element;
  name: string;
  value: string;
  readonly #prefix: string;

  constructor(owner: Element, name: string, value: string, prefix: string) {
    this.owner_element = owner;
    this.name = name;
    this.value = value;
    this.#prefix = prefix;
  }

  prefix(): string {
    return this.#prefix;
  }

  namespaceURI(): string {
    return namespaceOfPrefix(this.#prefix);
  }

  localName(): string {
    return this.name;
  }
}

function namespaceOfPrefix(prefix: string): string {
  if (prefix === 'svg') return 'http://www.w3.org/2000/svg';
  if (prefix === 'math') return 'http://www.w3.org/1998/Math/MathML';
  return HTML_NS;
}

/** A resolved URL's parts, or none when the value does not parse. */
export function resolveURL(value: string, base: string): URL | undefined {
  try {
    return new URL(value, base || undefined);
  } catch {
    return undefined;
  }
}

/** An attribute's value, '' when absent. */
export function attrString(el: Element, name: string): string {
  return (el.getAttribute(name) as string | undefined) ?? '';
}

/** An attribute as an integer (Go's strconv.Atoi), `fallback` when absent or not one. */
export function attrInt(el: Element, name: string, fallback: number): number {
  const value = el.getAttribute(name);
  return typeof value === 'string' && /^[+-]?\d+$/.test(value) ? Number(value) : fallback;
}

/** An attribute as a URL resolved against the document's; as written when the document has no URL. */
export function attrURL(el: Element, name: string, fallback: string): string {
  const base = el.selection().url;
  const value = el.getAttribute(name) as string | undefined;
  if (base === '') return value ?? '';
  return (value !== undefined && resolveURL(value, base)?.href) || fallback;
}

/** The value a button or an option submits: its `value` attribute, else its inner HTML. */
export function valueOrHTML(sel: Selection): string {
  return (sel.attr('value') as string | undefined) ?? sel.html();
}

/** What `selector` finds in the element's whole document. */
export function inDocument(el: Element, selector: string): Selection {
  return el.selection().parents().last().find(selector);
}

/** The form the element belongs to: its ancestor, else the one its `form` attribute names. */
export function ownerForm(el: Element): Selection | undefined {
  const ancestor = el.selection().closest('form');
  if (ancestor.size() > 0) return ancestor;
  const id = attrString(el, 'form');
  const named = id === '' ? undefined : inDocument(el, `#${id}`);
  return named?.size() ? named : undefined;
}

/** `form()` of the elements that have one. */
export function formOf(el: Element): Element | undefined {
  return ownerForm(el)?.get(0);
}

/** `labels()`: the labels around the element and those whose `for` names its id. */
export function labelsOf(el: Element): Element[] {
  const around = el.selection().closest('label');
  const id = attrString(el, 'id');
  const named = id === '' ? undefined : inDocument(el, `label[for="${id}"]`);
  return (named?.size() ? around.add(named) : around).get();
}

export class Element {
  /** The node this Element stands for; scripts reach it through the methods. */
  readonly node: AnyNode;
  protected readonly sel: Selection;

  constructor(sel: Selection, node: AnyNode) {
    this.sel = sel;
    this.node = node;
  }

  protected splitAttr(name: string): string[] {
    const value = attrString(this, name);
    return value === '' ? [] : value.split(' ');
  }

  getAttribute(name: string): unknown {
    return this.sel.attr(name);
  }

  getAttributeNode(name: string): Attribute | undefined {
    if (!isTag(this.node) || !(name in this.node.attribs)) return undefined;
    return new Attribute(this, name, this.node.attribs[name]!, this.node['x-attribsPrefix']?.[name] ?? '');
  }

  hasAttribute(name: string): boolean {
    return this.sel.attr(name) !== undefined;
  }

  hasAttributes(): boolean {
    return isTag(this.node) && Object.keys(this.node.attribs).length > 0;
  }

  attributes(): Record<string, Attribute> {
    const out: Record<string, Attribute> = {};
    if (isTag(this.node)) for (const name of Object.keys(this.node.attribs)) out[name] = this.getAttributeNode(name)!;
    return out;
  }

  toString(): string {
    return isTag(this.node) ? '[object html.Node]' : `[object ${this.nodeName()}]`;
  }

  hasChildNodes(): boolean {
    return 'children' in this.node && this.node.children.length > 0;
  }

  textContent(): string {
    return this.sel.text();
  }

  id(): string {
    return attrString(this, 'id');
  }

  isEqualNode(other: unknown): boolean {
    return other instanceof Element && this.sel.html() === other.sel.html();
  }

  isSameNode(other: unknown): boolean {
    return other instanceof Element && other.node === this.node;
  }

  selection(): Selection {
    return this.sel;
  }

  getElementsByClassName(name: string): Element[] {
    return this.sel.find(`.${name}`).get();
  }

  getElementsByTagName(name: string): Element[] {
    return this.sel.find(name).get();
  }

  querySelector(selector: string): Element | undefined {
    return this.sel.find(selector).get(0);
  }

  querySelectorAll(selector: string): Element[] {
    return this.sel.find(selector).get();
  }

  nodeName(): string {
    const n = this.node;
    if (isTag(n)) return n.name;
    if (isText(n)) return '#text';
    if (isComment(n)) return '#comment';
    if (isDocument(n)) return '#document';
    if (isDirective(n)) return (n as unknown as Record<string, string>)['x-name'] ?? 'html';
    return '';
  }

  #nodeElement(node: AnyNode | null | undefined): Element | undefined {
    return node ? this.sel[WRAP]([node]).get(0) : undefined;
  }

  firstChild(): Element | undefined {
    return 'children' in this.node ? this.#nodeElement(this.node.children[0]) : undefined;
  }

  lastChild(): Element | undefined {
    return 'children' in this.node ? this.#nodeElement(this.node.children.at(-1)) : undefined;
  }

  firstElementChild(): Element | undefined {
    return this.sel.children().first().get(0);
  }

  lastElementChild(): Element | undefined {
    return this.sel.children().last().get(0);
  }

  previousSibling(): Element | undefined {
    return this.#nodeElement(this.node.prev);
  }

  nextSibling(): Element | undefined {
    return this.#nodeElement(this.node.next);
  }

  previousElementSibling(): Element | undefined {
    return this.sel.prev().get(0);
  }

  nextElementSibling(): Element | undefined {
    return this.sel.next().get(0);
  }

  parentNode(): Element | undefined {
    return this.#nodeElement(this.node.parent);
  }

  parentElement(): Element | undefined {
    return this.sel.parent().get(0);
  }

  childNodes(): Element[] {
    return this.sel.contents().get();
  }

  children(): Element[] {
    return this.sel.children().get();
  }

  childElementCount(): number {
    return this.sel.children().size();
  }

  classList(): string[] {
    const cls = this.sel.attr('class') as string | undefined;
    return cls === undefined ? [] : cls.split(/\s+/).filter(Boolean);
  }

  className(): string | undefined {
    return this.sel.attr('class') as string | undefined;
  }

  lang(): string | undefined {
    if (!isTag(this.node) || this.node['x-attribsNamespace']?.lang) return undefined;
    return this.node.attribs.lang;
  }

  ownerDocument(): Element | undefined {
    let node: AnyNode | null = this.node;
    while (node && !isDocument(node)) node = node.parent;
    return this.#nodeElement(node);
  }

  namespaceURI(): string {
    return (isTag(this.node) && this.node.namespace) || HTML_NS;
  }

  isDefaultNamespace(): boolean {
    return this.namespaceURI() === HTML_NS;
  }

  innerHTML(): string {
    return innerHTML(this.node);
  }

  nodeType(): number | undefined {
    const n = this.node;
    if (isTag(n)) return NODE_TYPE.element;
    if (isText(n)) return NODE_TYPE.text;
    if (isComment(n)) return NODE_TYPE.comment;
    if (isDocument(n)) return NODE_TYPE.document;
    if (isDirective(n)) return NODE_TYPE.doctype;
    return undefined;
  }

  nodeValue(): string | undefined {
    return isText(this.node) || isComment(this.node) ? this.node.data : undefined;
  }

  /** Whether `other` is a descendant; an element does not contain itself (as in the DOM). */
  contains(other: unknown): boolean {
    if (!(other instanceof Element) || other.node === this.node) return false;
    for (let n = other.node.parent; n; n = n.parent) if (n === this.node) return true;
    return false;
  }

  matches(selector: string): boolean {
    return this.sel.is(selector);
  }
}
