// k6/html's Selection: goquery's jQuery-like API over a parsed document, with k6's argument
// forms (a selector, a Selection or an Element) and its return values (undefined where k6
// returns undefined, Elements from get() and each()). cheerio parses with parse5, an HTML5
// parser as Go's is, so a page gives the same tree; it is loaded on first use, since most
// scripts never parse HTML and each engine thread would pay for it.
import { createRequire } from 'node:module';
import type { Cheerio, CheerioAPI } from 'cheerio';
import { isTag, type AnyNode, type Element as DomElement } from 'domhandler';
import { Element, valueOrHTML, WRAP } from './element.ts';
import { toElement } from './elements.ts';
import { encodeValues } from '../http/url-values.ts';
import { innerHTML } from './render.ts';

let cheerio: typeof import('cheerio') | undefined;

/** `parseHTML(src)`: the document as a Selection; `url` is what relative links resolve against. */
export function parseHTML(src: unknown, url = ''): Selection {
  cheerio ??= createRequire(import.meta.url)('cheerio') as typeof import('cheerio');
  const $ = cheerio.load(String(src));
  return new Selection($, $.root(), url);
}

type Selector = string | Selection | Element;
type Matcher = Selector | ((index: number, selection: Selection) => unknown);

function argumentError(arg: unknown): Error {
  const kind = arg === null ? 'null' : Array.isArray(arg) ? 'array' : typeof arg;
  return new TypeError(`invalid argument, cannot use a '${kind}' as a selector`);
}

function matcherError(method: string): Error {
  return new TypeError(`the argument to ${method}() must be a function, a selector or a selection`);
}

export class Selection {
  /** The document's URL, for Elements' resolved links (`href()`, `src()`, `action()`). */
  url: string;
  readonly #$: CheerioAPI;
  readonly #sel: Cheerio<AnyNode>;
  readonly #prev: Selection | undefined;

  constructor($: CheerioAPI, sel: Cheerio<AnyNode>, url: string, prev?: Selection) {
    this.#$ = $;
    this.#sel = sel;
    this.url = url;
    this.#prev = prev;
  }

  #derive(sel: Cheerio<AnyNode>): Selection {
    return new Selection(this.#$, sel, this.url, this);
  }

  /** A selection of the given nodes of this document: how Elements reach their neighbours. */
  [WRAP](nodes: AnyNode[]): Selection {
    return new Selection(this.#$, this.#$(nodes), this.url);
  }

  get #nodes(): AnyNode[] {
    return this.#sel.toArray();
  }

  #elements(): Cheerio<DomElement> {
    return this.#sel.filter((_, n) => isTag(n)) as Cheerio<DomElement>;
  }

  /** A selector string, a Selection's nodes or an Element's node, as cheerio takes it. */
  #target(arg: unknown): string | Cheerio<AnyNode> | AnyNode {
    if (typeof arg === 'string') return arg;
    if (arg instanceof Selection) return arg.#sel;
    if (arg instanceof Element) return arg.node;
    throw argumentError(arg);
  }

  /** A test of each node by a function, a selector, a Selection or an Element; `refuse` for anything else. */
  #matcher(arg: unknown, refuse: () => Error): (node: AnyNode, index: number) => boolean {
    if (typeof arg === 'function')
      return (node, i) => Boolean((arg as (i: number, s: Selection) => unknown)(i, this[WRAP]([node])));
    if (typeof arg === 'string') {
      const matches = new Set<AnyNode>(this.#sel.filter(arg).toArray());
      return (node) => matches.has(node);
    }
    if (arg instanceof Selection) {
      const nodes = new Set(arg.#nodes);
      return (node) => nodes.has(node);
    }
    if (arg instanceof Element) return (node) => node === arg.node;
    throw refuse();
  }

  add(arg: Selector): Selection {
    const target = this.#target(arg);
    return this.#derive(this.#sel.add(typeof target === 'string' ? this.#$(target) : target));
  }

  find(arg: Selector): Selection {
    return this.#derive(this.#sel.find(this.#target(arg) as string));
  }

  closest(arg: Selector): Selection {
    return this.#derive(this.#elements().closest(this.#target(arg) as string));
  }

  has(arg: Selector): Selection {
    return this.#derive(this.#elements().has(this.#target(arg) as string));
  }

  not(arg: Matcher): Selection {
    const match = this.#matcher(arg, () => argumentError(arg));
    return this.#derive(this.#$(this.#nodes.filter((n, i) => !match(n, i))));
  }

  filter(arg: Matcher): Selection {
    const match = this.#matcher(arg, () => matcherError('filter'));
    return this.#derive(this.#$(this.#nodes.filter((n, i) => match(n, i))));
  }

  is(arg: Matcher): boolean {
    const match = this.#matcher(arg, () => matcherError('is'));
    return this.#nodes.some((n, i) => match(n, i));
  }

  next(selector?: string): Selection {
    return this.#derive(this.#elements().next(selector));
  }

  nextAll(selector?: string): Selection {
    return this.#derive(this.#elements().nextAll(selector));
  }

  prev(selector?: string): Selection {
    return this.#derive(this.#elements().prev(selector));
  }

  prevAll(selector?: string): Selection {
    return this.#derive(this.#elements().prevAll(selector));
  }

  parent(selector?: string): Selection {
    return this.#derive(this.#sel.parent(selector));
  }

  parents(selector?: string): Selection {
    return this.#derive(this.#sel.parents(selector));
  }

  siblings(selector?: string): Selection {
    return this.#derive(this.#elements().siblings(selector));
  }

  children(selector?: string): Selection {
    return this.#derive(this.#sel.children(selector));
  }

  contents(): Selection {
    return this.#derive(this.#sel.contents());
  }

  #until(
    method: 'nextUntil' | 'prevUntil' | 'parentsUntil',
    until: string | Selection | null | undefined,
    filter?: string | null,
  ): Selection {
    if (until !== undefined && until !== null && typeof until !== 'string' && !(until instanceof Selection))
      throw argumentError(until);
    const stop = until instanceof Selection ? (until.#sel as Cheerio<DomElement>) : until || undefined;
    const base = method === 'parentsUntil' ? this.#sel : this.#elements();
    return this.#derive((base as Cheerio<DomElement>)[method](stop as string, filter ?? undefined));
  }

  nextUntil(until?: string | Selection | null, filter?: string | null): Selection {
    return this.#until('nextUntil', until, filter);
  }

  prevUntil(until?: string | Selection | null, filter?: string | null): Selection {
    return this.#until('prevUntil', until, filter);
  }

  parentsUntil(until?: string | Selection | null, filter?: string | null): Selection {
    return this.#until('parentsUntil', until, filter);
  }

  size(): number {
    return this.#sel.length;
  }

  end(): Selection {
    return this.#prev ?? this.#derive(this.#$([]));
  }

  eq(index: number): Selection {
    return this.#derive(this.#sel.eq(index));
  }

  first(): Selection {
    return this.#derive(this.#sel.first());
  }

  last(): Selection {
    return this.#derive(this.#sel.last());
  }

  slice(start: number, end?: number): Selection {
    return this.#derive(this.#sel.slice(start, end !== undefined && end < this.size() ? end : this.size()));
  }

  /** The text of every node in the selection and their descendants, joined. */
  text(): string {
    return this.#sel.text();
  }

  /** The first node's attribute, `fallback` (else undefined) when it has none. */
  attr(name: string, fallback?: unknown): unknown {
    const node = this.#nodes[0];
    const value = node && isTag(node) ? node.attribs[name] : undefined;
    return value ?? fallback;
  }

  /** The first node's inner HTML, as Go renders it; '' for an empty selection. */
  html(): string {
    const node = this.#nodes[0];
    return node ? innerHTML(node) : '';
  }

  /** A form control's value, as a browser would submit it. */
  val(): unknown {
    const node = this.#nodes[0];
    switch (node && isTag(node) ? node.name : '') {
      case 'input': {
        const type = this.attr('type');
        return this.attr('value') ?? (type === 'radio' || type === 'checkbox' ? 'on' : '');
      }
      case 'button':
        return this.attr('value') ?? '';
      case 'textarea':
        return this.html();
      case 'option':
        return valueOrHTML(this);
      case 'select': {
        const selected = this.first().find('option[selected]');
        if (this.attr('multiple') !== undefined) return selected.toArray().map(valueOrHTML);
        return valueOrHTML(selected);
      }
      default:
        return undefined;
    }
  }

  each(fn: (index: number, element: Element | undefined) => unknown): Selection {
    if (typeof fn !== 'function') throw new TypeError('the argument to each() must be a function');
    this.#nodes.forEach((_, i) => {
      try {
        fn(i, this.get(i));
      } catch (err) {
        throw new Error(`the function passed to each() failed: ${(err as Error)?.message ?? String(err)}`, {
          cause: err,
        });
      }
    });
    return this;
  }

  map(fn: (index: number, selection: Selection) => unknown): unknown[] {
    if (typeof fn !== 'function') throw new TypeError('the argument to map() must be a function');
    const values: unknown[] = [];
    this.#nodes.forEach((node, i) => {
      try {
        values.push(fn(i, this[WRAP]([node])));
      } catch {
        // k6 leaves out the values whose function threw
      }
    });
    return values;
  }

  /** Elements: all of them, or the one at `index` (negative counts from the end). */
  get(): Element[];
  get(index: number): Element | undefined;
  get(index?: number): Element[] | Element | undefined {
    if (index === undefined) return this.#nodes.map((node) => toElement(this[WRAP]([node]), node));
    const n = this.size();
    if (index >= n || index <= -n) return undefined;
    const node = this.#nodes[index < 0 ? n + index : index]!;
    return toElement(this[WRAP]([node]), node);
  }

  toArray(): Selection[] {
    return this.#nodes.map((n) => this[WRAP]([n]));
  }

  /**
   * No argument: the first element's position among its sibling elements. A Selection or an
   * Element: its (first) node's position in this selection. A selector: this selection's first
   * node's position among the document's matches.
   */
  index(arg?: Selector): number {
    const first = this.#nodes[0];
    if (arg === undefined) return first ? this.first().prevAll().size() : -1;
    if (arg instanceof Selection) return arg.#nodes.length ? this.#nodes.indexOf(arg.#nodes[0]!) : -1;
    if (arg instanceof Element) return this.#nodes.indexOf(arg.node);
    if (typeof arg === 'string') return first ? this.#$(arg).toArray().indexOf(first) : -1;
    return -1;
  }

  /** `data-*` attributes of the first node: all as an object (camelCased), or the one named. */
  data(name?: string): unknown {
    const node = this.#nodes[0];
    if (!node || !isTag(node) || Object.keys(node.attribs).length === 0) return undefined;
    if (name !== undefined) {
      const value = node.attribs[`data-${propertyToAttr(name)}`];
      return value === undefined ? undefined : dataValue(value);
    }
    const data: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node.attribs))
      if (key.startsWith('data-') && key.length > 5) data[attrToProperty(key.slice(5))] = dataValue(value);
    return data;
  }

  /** The form's (or these controls') successful controls, as jQuery's serializeArray(). */
  serializeArray(): { name: string; value: unknown }[] {
    const controls = 'input,select,textarea,keygen';
    const fields = this.is('form') ? this.find(controls) : this.filter(controls);
    return fields.toArray().flatMap((field) => {
      const name = (field.attr('name') as string | undefined) ?? '';
      const type = field.attr('type') ?? '';
      const skip =
        name === '' ||
        field.attr('disabled') === 'disabled' ||
        ['submit', 'button', 'reset', 'image', 'file'].includes(type as string) ||
        (field.attr('checked') !== 'checked' && (type === 'checkbox' || type === 'radio'));
      return skip ? [] : [{ name, value: field.val() }];
    });
  }

  serializeObject(): Record<string, unknown> {
    return Object.fromEntries(this.serializeArray().map((f) => [f.name, f.value]));
  }

  /** The successful controls as a query string, as Go's url.Values encodes them. */
  serialize(): string {
    const values = new Map<string, string[]>();
    for (const { name, value } of this.serializeArray()) {
      if (typeof value === 'string') values.set(name, [value]);
      else if (Array.isArray(value)) values.set(name, value as string[]);
    }
    return encodeValues(values);
  }
}

// Go's common initialisms, which k6's camelCasing of data- names writes in capitals (data-user-id: userID).
const INITIALISMS = new Set(
  'ACL API ASCII CPU CSS DNS EOF GUID HTML HTTP HTTPS ID IP JSON LHS QPS RAM RHS RPC SLA SMTP SQL SSH TCP TLS TTL UDP UI UID UUID URI URL UTF8 VM XML XMPP XSRF XSS'.split(
    ' ',
  ),
);

function attrToProperty(s: string): string {
  const [first, ...rest] = s.split(/[-_]/);
  const word = (w: string) =>
    INITIALISMS.has(w.toUpperCase()) ? w.toUpperCase() : w.charAt(0).toUpperCase() + w.slice(1);
  return first + rest.map(word).join('');
}

function propertyToAttr(s: string): string {
  return s.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

/** A data- attribute's value as k6 reads it: JSON objects and arrays, booleans, exact numbers. */
function dataValue(value: string): unknown {
  if (value === '' || value === 'null' || value === 'undefined') return undefined;
  if (value[0] === '{' || value[0] === '[') {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  }
  if (value === 'true') return true;
  if (value === 'false') return false;
  const n = Number(value);
  return value.trim() !== '' && Number.isFinite(n) && String(n) === value ? n : value;
}
