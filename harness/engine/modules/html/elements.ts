// The tag-specific Elements of k6/html: an <a> has href(), hostname() and the rest of a link,
// an <input> has value(), form() and labels(), a <select> its options(), … as k6 gives them.
// The plain attribute reflections (string, boolean, integer, enumerated, URL), form() and
// labels() are tables below, as k6 generates them; the rest is written out as methods.
import { isTag, type AnyNode } from 'domhandler';
import {
  attrInt,
  attrString,
  attrURL,
  Element,
  formOf,
  inDocument,
  labelsOf,
  ownerForm,
  resolveURL,
  valueOrHTML,
} from './element.ts';
import type { Selection } from './selection.ts';

class HrefElement extends Element {
  #url(): URL | undefined {
    const href = this.sel.attr('href') as string | undefined;
    if (href === undefined) return undefined;
    // Without a document URL k6 keeps a relative link's path, query and fragment.
    return resolveURL(href, this.sel.url) ?? resolveURL(href, 'relative:///');
  }

  #absolute(): URL | undefined {
    const url = this.#url();
    return url?.protocol === 'relative:' ? undefined : url;
  }

  hash(): string {
    return this.#url()?.hash ?? '';
  }

  host(): string {
    return this.#absolute()?.host ?? '';
  }

  hostname(): string {
    return this.#absolute()?.hostname ?? '';
  }

  port(): string {
    return this.#absolute()?.port ?? '';
  }

  username(): string {
    return decodeURIComponent(this.#absolute()?.username ?? '');
  }

  password(): string {
    return decodeURIComponent(this.#absolute()?.password ?? '');
  }

  origin(): string {
    const url = this.#absolute();
    if (!url) return '';
    return url.protocol === 'file:' ? attrURL(this, 'href', '') : `${url.protocol}//${url.host}`;
  }

  pathname(): string {
    return decodeURIComponent(this.#url()?.pathname ?? '');
  }

  /** The scheme without its colon, as k6 returns it (':' when there is none). */
  protocol(): string {
    const url = this.#absolute();
    return url ? url.protocol.slice(0, -1) : ':';
  }

  relList(): string[] {
    return this.splitAttr('rel');
  }

  search(): string {
    return this.#url()?.search ?? '';
  }

  text(): string {
    return this.textContent();
  }
}

class MediaElement extends Element {
  textTracks(): Element[] {
    return this.sel.find('track').get();
  }
}

class FormFieldElement extends Element {
  /** The field's own formaction/formmethod/… attribute, else its form's. */
  #formOrOwn(name: string): string | undefined {
    const own = this.sel.attr(`form${name}`) as string | undefined;
    if (own !== undefined) return own;
    return ownerForm(this)?.attr(name) as string | undefined;
  }

  formAction(): string {
    const action = this.#formOrOwn('action');
    if (this.sel.url === '') return action ?? '';
    if (!action) return this.sel.url;
    return resolveURL(action, this.sel.url)?.href ?? action;
  }

  formEnctype(): string {
    const enctype = this.#formOrOwn('enctype');
    return enctype === 'multipart/form-data' || enctype === 'text/plain'
      ? enctype
      : 'application/x-www-form-urlencoded';
  }

  formMethod(): string {
    return this.#formOrOwn('method')?.toLowerCase() === 'post' ? 'post' : 'get';
  }

  formNoValidate(): boolean {
    return this.#formOrOwn('novalidate') !== undefined;
  }

  formTarget(): string {
    return this.#formOrOwn('target') ?? '';
  }

  name(): string {
    return attrString(this, 'name');
  }
}

class ModElement extends Element {}

class TableSectionElement extends Element {
  rows(): Element[] {
    return this.sel.find('tr').get();
  }
}

class TableCellElement extends Element {
  cellIndex(): number {
    const row = this.sel.parents('tr');
    return row.size() === 0 ? -1 : row.find('th,td').index(this.sel);
  }
}

/** Go's strconv.ParseFloat: the whole string a number, else NaN. */
function parseFloat(value: unknown): number {
  return typeof value === 'string' && value.trim() === value && value !== '' ? Number(value) : Number.NaN;
}

const CLASSES: Record<string, typeof Element> = {
  a: class AnchorElement extends HrefElement {},
  area: class AreaElement extends HrefElement {},
  audio: class AudioElement extends MediaElement {},
  video: class VideoElement extends MediaElement {},
  base: class BaseElement extends Element {},
  button: class ButtonElement extends FormFieldElement {
    value(): string {
      return valueOrHTML(this.sel);
    }
  },
  input: class InputElement extends FormFieldElement {
    list(): Element | undefined {
      const id = attrString(this, 'list');
      if (id === '' || ['hidden', 'checkbox', 'radio', 'file', 'button'].includes(attrString(this, 'type')))
        return undefined;
      return inDocument(this, `datalist[id="${id}"]`).get(0);
    }
  },
  canvas: class CanvasElement extends Element {
    width(): number {
      return attrInt(this, 'width', 150);
    }

    height(): number {
      return attrInt(this, 'height', 150);
    }
  },
  data: class DataElement extends Element {},
  datalist: class DataListElement extends Element {
    options(): Element[] {
      return this.sel.find('option').get();
    }
  },
  del: class DelElement extends ModElement {},
  ins: class InsElement extends ModElement {},
  embed: class EmbedElement extends Element {},
  fieldset: class FieldSetElement extends Element {
    type(): string {
      return 'fieldset';
    }

    elements(): Element[] {
      return this.sel.find('input,select,button,textarea').get();
    }

    validity(): undefined {
      return undefined;
    }
  },
  form: class FormElement extends Element {
    elements(): Element[] {
      return this.sel.find('input,select,button,textarea,fieldset').get();
    }

    length(): number {
      return this.sel.find('input,select,button,textarea,fieldset').size();
    }

    method(): string {
      return attrString(this, 'method') === 'post' ? 'post' : 'get';
    }
  },
  iframe: class IFrameElement extends Element {},
  img: class ImageElement extends Element {},
  keygen: class KeygenElement extends Element {},
  label: class LabelElement extends Element {
    control(): Element | undefined {
      const id = this.sel.attr('for') as string | undefined;
      if (id === undefined) return undefined;
      return inDocument(this, `#${id}`).get(0);
    }
  },
  legend: class LegendElement extends Element {},
  li: class LiElement extends Element {},
  link: class LinkElement extends Element {
    relList(): string[] {
      return this.splitAttr('rel');
    }
  },
  map: class MapElement extends Element {
    areas(): Element[] {
      return this.sel.find('area').get();
    }

    images(): Element[] {
      const name = this.sel.attr('id') as string | undefined;
      if (name === undefined) return [];
      return inDocument(this, `img[usemap="#${name}"],object[usemap="#${name}"]`).get();
    }
  },
  meta: class MetaElement extends Element {},
  meter: class MeterElement extends Element {},
  object: class ObjectElement extends Element {},
  ol: class OListElement extends Element {},
  optgroup: class OptGroupElement extends Element {},
  option: class OptionElement extends Element {
    disabled(): boolean {
      if (this.hasAttribute('disabled')) return true;
      return this.sel.parents('optgroup').attr('disabled') !== undefined;
    }

    form(): Element | undefined {
      const form = this.sel.parents('form');
      if (form.size() > 0) return form.get(0);
      const select = this.sel.parents('select');
      const id = select.attr('form') as string | undefined;
      if (id === undefined) return undefined;
      return inDocument(this, `form#${id}`).get(0);
    }

    index(): number {
      const holder = this.sel.parents('select,datalist');
      return holder.size() === 0 ? 0 : holder.find('option').index(this.sel);
    }

    label(): string {
      return (this.sel.attr('label') as string | undefined) ?? this.textContent();
    }

    text(): string {
      return this.textContent();
    }

    value(): string {
      return valueOrHTML(this.sel);
    }
  },
  output: class OutputElement extends Element {
    value(): string {
      return this.textContent();
    }

    defaultValue(): string {
      return this.textContent();
    }
  },
  param: class ParamElement extends Element {},
  pre: class PreElement extends Element {},
  progress: class ProgressElement extends Element {
    max(): number {
      const max = parseFloat(this.getAttribute('max'));
      return Number.isNaN(max) || max < 0 ? 1 : max;
    }

    #progress(fallback: number): number {
      const value = parseFloat(this.getAttribute('value'));
      return Number.isNaN(value) || value < 0 ? fallback : value / this.max();
    }

    value(): number {
      return this.#progress(0);
    }

    position(): number {
      return this.#progress(-1);
    }
  },
  quote: class QuoteElement extends Element {},
  script: class ScriptElement extends Element {
    text(): string {
      return this.textContent();
    }
  },
  select: class SelectElement extends Element {
    length(): number {
      return this.sel.find('option').size();
    }

    options(): Element[] {
      return this.sel.find('option').get();
    }

    selectedIndex(): number {
      const selected = this.sel.find('option[selected]');
      return selected.size() === 0 ? -1 : this.sel.find('option').index(selected);
    }

    selectedOptions(): Element[] {
      return this.sel.find('option[selected]').get();
    }

    size(): number {
      return this.hasAttribute('multiple') ? 4 : 1;
    }

    type(): string {
      return this.hasAttribute('multiple') ? 'select-multiple' : 'select';
    }

    value(): string {
      const selected = this.sel.find('option[selected]');
      return selected.size() === 0 ? '' : valueOrHTML(selected);
    }
  },
  source: class SourceElement extends Element {},
  style: class StyleElement extends Element {
    type(): string {
      return attrString(this, 'type') || 'text/css';
    }
  },
  table: class TableElement extends Element {
    #child(name: string): Element | undefined {
      return this.sel.children(name).get(0);
    }

    caption(): Element | undefined {
      return this.#child('caption');
    }

    tHead(): Element | undefined {
      return this.#child('thead');
    }

    tFoot(): Element | undefined {
      return this.#child('tfoot');
    }

    rows(): Element[] {
      return this.sel.find('tr').get();
    }

    tBodies(): Element[] {
      return this.sel.find('tbody').get();
    }
  },
  thead: class TableHeadElement extends TableSectionElement {},
  tfoot: class TableFootElement extends TableSectionElement {},
  tbody: class TableBodyElement extends TableSectionElement {},
  tr: class TableRowElement extends Element {
    cells(): Element[] {
      return this.sel.find('th,td').get();
    }

    rowIndex(): number {
      const table = this.sel.parents('table');
      return table.size() === 0 ? -1 : table.find('tr').index(this.sel);
    }

    sectionRowIndex(): number {
      const section = this.sel.parents('thead,tbody,tfoot');
      return section.size() === 0 ? -1 : section.find('tr').index(this.sel);
    }
  },
  col: class TableColElement extends Element {
    span(): number {
      return Math.max(1, attrInt(this, 'span', 1));
    }
  },
  td: class TableDataCellElement extends TableCellElement {},
  th: class TableHeaderCellElement extends TableCellElement {},
  textarea: class TextAreaElement extends Element {
    length(): number {
      return attrString(this, 'value').length;
    }
  },
  time: class TimeElement extends Element {},
  title: class TitleElement extends Element {
    text(): string {
      return this.textContent();
    }
  },
  track: class TrackElement extends Element {},
  ul: class UListElement extends Element {},
};

/** A method that is a function of its element alone: how k6 reflects an attribute, form(), labels(). */
type Reflection = (el: Element) => unknown;
type Methods = [typeof Element, Record<string, Reflection>][];

const text =
  (name: string): Reflection =>
  (el) =>
    attrString(el, name);
const flag =
  (name: string): Reflection =>
  (el) =>
    el.hasAttribute(name);
const int =
  (name: string, fallback = 0): Reflection =>
  (el) =>
    attrInt(el, name, fallback);
/** An enumerated attribute: one of `others` as written, else the first value. */
const oneOf =
  (name: string, [fallback, ...others]: string[]): Reflection =>
  (el) => {
    const value = el.getAttribute(name) as string;
    return others.includes(value) ? value : fallback;
  };
/** An enumerated attribute without a default: undefined unless one of `values`. */
const oneOfOrNone =
  (name: string, values: string[]): Reflection =>
  (el) => {
    const value = el.getAttribute(name) as string;
    return values.includes(value) ? value : undefined;
  };
const always =
  (value: string): Reflection =>
  () =>
    value;
/** A URL attribute; without one, '' or (`orDocument`) the document's URL. */
const link =
  (name: string, orDocument = false): Reflection =>
  (el) =>
    attrURL(el, name, orDocument ? el.selection().url : '');

const REFERRER = ['', 'no-referrer', 'no-referrer-when-downgrade', 'origin', 'origin-when-cross-origin', 'unsafe-url'];
const AUTOCOMPLETE = ['on', 'off'];
const ENCTYPE = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];
const CROSS_ORIGIN = ['anonymous', 'use-credentials'];
const INPUT_TYPES = [
  'text',
  'button',
  'checkbox',
  'color',
  'date',
  'datetime-local',
  'email',
  'file',
  'hidden',
  'image',
  'month',
  'number',
  'password',
  'radio',
  'range',
  'reset',
  'search',
  'submit',
  'tel',
  'time',
  'url',
  'week',
];

const REFLECTED: Methods = [
  [
    HrefElement,
    {
      download: text('download'),
      referrerPolicy: oneOf('referrerpolicy', REFERRER),
      rel: text('rel'),
      href: link('href'),
      target: text('target'),
      type: text('type'),
      accessKey: text('accesskey'),
      hrefLang: text('hreflang'),
      toString: link('href'),
    },
  ],
  [
    MediaElement,
    {
      autoplay: flag('autoplay'),
      controls: flag('controls'),
      loop: flag('loop'),
      muted: flag('muted'),
      preload: oneOf('preload', ['auto', 'metadata', 'none']),
      src: link('src'),
      crossOrigin: oneOfOrNone('crossorigin', CROSS_ORIGIN),
      currentSrc: text('src'),
      defaultMuted: flag('muted'),
      mediaGroup: text('mediagroup'),
    },
  ],
  [CLASSES.base!, { href: link('href', true), target: text('target') }],
  [
    CLASSES.button!,
    {
      accessKey: text('accesskey'),
      autofocus: flag('autofocus'),
      disabled: flag('disabled'),
      tabIndex: int('tabindex'),
      type: oneOf('type', ['submit', 'button', 'menu', 'reset']),
    },
  ],
  [CLASSES.data!, { value: text('value') }],
  [CLASSES.embed!, { height: text('height'), width: text('width'), src: text('src'), type: text('type') }],
  [CLASSES.fieldset!, { disabled: flag('disabled'), name: text('name') }],
  [
    CLASSES.form!,
    {
      action: link('action'),
      name: text('name'),
      target: text('target'),
      enctype: oneOf('enctype', ENCTYPE),
      encoding: oneOf('enctype', ENCTYPE),
      acceptCharset: text('accept-charset'),
      autocomplete: oneOf('autocomplete', AUTOCOMPLETE),
      noValidate: flag('novalidate'),
    },
  ],
  [
    CLASSES.iframe!,
    {
      allowfullscreen: flag('allowfullscreen'),
      referrerPolicy: oneOf('referrerpolicy', REFERRER),
      height: text('height'),
      width: text('width'),
      name: text('name'),
      src: link('src'),
    },
  ],
  [
    CLASSES.img!,
    {
      currentSrc: link('src'),
      sizes: text('sizes'),
      srcset: text('srcset'),
      alt: text('alt'),
      crossOrigin: oneOfOrNone('crossorigin', CROSS_ORIGIN),
      height: int('height'),
      width: int('width'),
      isMap: flag('ismap'),
      name: text('name'),
      src: link('src'),
      useMap: text('usemap'),
      referrerPolicy: oneOf('referrerpolicy', REFERRER),
    },
  ],
  [
    CLASSES.input!,
    {
      name: text('name'),
      tabIndex: int('tabindex'),
      type: oneOf('type', INPUT_TYPES),
      disabled: flag('disabled'),
      autofocus: flag('autofocus'),
      required: flag('required'),
      value: text('value'),
      checked: flag('checked'),
      defaultChecked: flag('checked'),
      alt: text('alt'),
      src: link('src'),
      height: text('height'),
      width: text('width'),
      accept: text('accept'),
      autocomplete: oneOf('autocomplete', AUTOCOMPLETE),
      maxLength: int('maxlength', -1),
      size: int('size'),
      pattern: text('pattern'),
      placeholder: text('placeholder'),
      readonly: flag('readonly'),
      min: text('min'),
      max: text('max'),
      defaultValue: text('value'),
      dirName: text('dirname'),
      accessKey: text('accesskey'),
      multiple: flag('multiple'),
      step: text('step'),
    },
  ],
  [
    CLASSES.keygen!,
    {
      autofocus: flag('autofocus'),
      challenge: text('challenge'),
      disabled: flag('disabled'),
      keytype: oneOf('keytype', ['RSA', 'DSA', 'EC']),
      name: text('name'),
      type: always('keygen'),
    },
  ],
  [CLASSES.label!, { htmlFor: text('for') }],
  [CLASSES.legend!, { accessKey: text('accesskey') }],
  [
    CLASSES.li!,
    { value: int('value'), type: oneOf('type', ['', '1', 'a', 'A', 'i', 'I', 'disc', 'square', 'circle']) },
  ],
  [
    CLASSES.link!,
    {
      crossOrigin: oneOfOrNone('crossorigin', CROSS_ORIGIN),
      referrerPolicy: oneOf('referrerpolicy', REFERRER),
      href: link('href'),
      hreflang: text('hreflang'),
      media: text('media'),
      rel: text('rel'),
      target: text('target'),
      type: text('type'),
    },
  ],
  [CLASSES.map!, { name: text('name') }],
  [
    CLASSES.meta!,
    {
      content: text('content'),
      name: text('name'),
      httpEquiv: oneOf('http-equiv', ['content-type', 'default-style', 'refresh']),
    },
  ],
  [CLASSES.meter!, { min: int('min'), max: int('max'), high: int('high'), low: int('low'), optimum: int('optimum') }],
  [ModElement, { cite: text('cite'), datetime: text('datetime') }],
  [
    CLASSES.object!,
    {
      data: link('data'),
      height: text('height'),
      name: text('name'),
      type: text('type'),
      tabIndex: int('tabindex'),
      typeMustMatch: flag('typemustmatch'),
      useMap: text('usemap'),
      width: text('width'),
    },
  ],
  [CLASSES.ol!, { reversed: flag('reversed'), start: int('start'), type: oneOf('type', ['1', 'a', 'A', 'i', 'I']) }],
  [CLASSES.optgroup!, { disabled: flag('disabled'), label: text('label') }],
  [CLASSES.option!, { defaultSelected: flag('selected'), selected: flag('selected') }],
  [CLASSES.output!, { htmlFor: text('for'), name: text('name'), type: always('output') }],
  [CLASSES.param!, { name: text('name'), value: text('value') }],
  [CLASSES.pre!, { name: text('name'), value: text('value') }],
  [CLASSES.quote!, { cite: text('cite') }],
  [
    CLASSES.script!,
    {
      crossOrigin: text('crossorigin'),
      type: text('type'),
      src: link('src'),
      charset: text('charset'),
      async: flag('async'),
      defer: flag('defer'),
      noModule: flag('nomodule'),
    },
  ],
  [
    CLASSES.select!,
    {
      autofocus: flag('autofocus'),
      disabled: flag('disabled'),
      multiple: flag('multiple'),
      name: text('name'),
      required: flag('required'),
      tabIndex: int('tabindex'),
    },
  ],
  [
    CLASSES.source!,
    {
      keySystem: text('keysystem'),
      media: text('media'),
      sizes: text('sizes'),
      src: link('src'),
      srcset: text('srcset'),
      type: text('type'),
    },
  ],
  [CLASSES.style!, { media: text('media') }],
  [CLASSES.table!, { sortable: flag('sortable') }],
  [TableCellElement, { colSpan: int('colspan', 1), rowSpan: int('rowspan', 1), headers: text('headers') }],
  [
    CLASSES.th!,
    { abbr: text('abbr'), scope: oneOf('scope', ['', 'row', 'col', 'colgroup', 'rowgroup']), sorted: flag('sorted') },
  ],
  [
    CLASSES.textarea!,
    {
      type: always('textarea'),
      value: text('value'),
      defaultValue: text('value'),
      placeholder: text('placeholder'),
      rows: int('rows'),
      cols: int('cols'),
      maxLength: int('maxlength'),
      tabIndex: int('tabindex'),
      accessKey: text('accesskey'),
      readOnly: flag('readonly'),
      required: flag('required'),
      autocomplete: oneOf('autocomplete', AUTOCOMPLETE),
      autocapitalize: oneOf('autocapitalize', ['sentences', 'none', 'off', 'characters', 'words']),
      wrap: oneOf('wrap', ['soft', 'hard', 'off']),
    },
  ],
  [CLASSES.time!, { datetime: text('datetime') }],
  [
    CLASSES.track!,
    {
      kind: oneOf('kind', ['subtitle', 'captions', 'descriptions', 'chapters', 'metadata']),
      src: link('src'),
      srclang: text('srclang'),
      label: text('label'),
      default: flag('default'),
    },
  ],
  [CLASSES.ul!, { type: text('type') }],
];

/** form() and labels(), on the elements k6 gives them to. */
const sharing = (kinds: (typeof Element)[], methods: Record<string, Reflection>): Methods =>
  kinds.map((kind) => [kind, methods]);
const FORM_ASSOCIATED: Methods = [
  ...sharing([FormFieldElement, CLASSES.keygen!, CLASSES.output!, CLASSES.select!, CLASSES.textarea!], {
    form: formOf,
    labels: labelsOf,
  }),
  ...sharing([CLASSES.fieldset!, CLASSES.label!, CLASSES.legend!, CLASSES.object!], { form: formOf }),
  ...sharing([CLASSES.meter!, CLASSES.progress!], { labels: labelsOf }),
];

for (const [kind, methods] of [...REFLECTED, ...FORM_ASSOCIATED])
  for (const [name, reflect] of Object.entries(methods))
    Object.defineProperty(kind.prototype, name, {
      value(this: Element) {
        return reflect(this);
      },
      writable: true,
      configurable: true,
    });

/** The Element for a node of a one-node Selection, of its tag's kind. */
export function toElement(sel: Selection, node: AnyNode): Element {
  const Kind = (isTag(node) && Object.hasOwn(CLASSES, node.name) && CLASSES[node.name]) || Element;
  return new Kind(sel, node);
}
