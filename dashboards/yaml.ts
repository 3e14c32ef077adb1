// The YAML the observability files need, without a dependency: an emitter for
// the generated Prometheus config and a parser for the block-style subset the
// committed files use (mappings, sequences, plain/quoted scalars, comments,
// one-line flow sequences of scalars). Anchors, tags and multi-line scalars are
// refused with the line number rather than misread.

export type Yaml = string | number | boolean | null | Yaml[] | { [key: string]: Yaml };

const PLAIN = /^[A-Za-z_/.][A-Za-z0-9_./:@${}-]*$/;
const RESERVED = /^(true|false|null|yes|no|on|off|~)$/i;

function scalar(v: string | number | boolean | null): string {
  if (v === null) return 'null';
  if (typeof v !== 'string') return String(v);
  return PLAIN.test(v) && !RESERVED.test(v) && !v.includes(': ') ? v : JSON.stringify(v);
}

function isScalar(v: Yaml): v is string | number | boolean | null {
  return v === null || typeof v !== 'object';
}

function emit(v: Yaml, indent: string): string[] {
  if (Array.isArray(v)) {
    if (v.length === 0) return [`${indent}[]`];
    return v.flatMap((item) => {
      if (isScalar(item)) return [`${indent}- ${scalar(item)}`];
      const [first, ...rest] = emit(item, `${indent}  `);
      return [`${indent}- ${first.slice(indent.length + 2)}`, ...rest];
    });
  }
  if (isScalar(v)) return [`${indent}${scalar(v)}`];
  const entries = Object.entries(v);
  if (entries.length === 0) return [`${indent}{}`];
  return entries.flatMap(([k, val]) => {
    if (isScalar(val)) return [`${indent}${scalar(k)}: ${scalar(val)}`];
    if (Array.isArray(val) && val.length === 0) return [`${indent}${scalar(k)}: []`];
    if (!Array.isArray(val) && Object.keys(val).length === 0) return [`${indent}${scalar(k)}: {}`];
    return [`${indent}${scalar(k)}:`, ...emit(val, `${indent}  `)];
  });
}

export function toYaml(v: Yaml): string {
  return `${emit(v, '').join('\n')}\n`;
}

// ------------------------------------------------------------------------------------------- parser

export class YamlError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

interface Line {
  no: number;
  indent: number;
  text: string;
}

/** Cuts a trailing comment: a '#' at the start or after a space, outside quotes. */
function stripComment(s: string): string {
  let quote = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (quote) {
      if (ch === '\\' && quote === '"') i++;
      else if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '#' && (i === 0 || s[i - 1] === ' ')) return s.slice(0, i);
  }
  return s;
}

function parseScalar(raw: string, no: number): Yaml {
  const s = raw.trim();
  if (s.startsWith('"')) {
    try {
      return JSON.parse(s) as string;
    } catch {
      throw new YamlError(no, `bad double-quoted string ${s}`);
    }
  }
  if (s.startsWith("'")) {
    if (!s.endsWith("'") || s.length < 2) throw new YamlError(no, `unterminated single-quoted string ${s}`);
    return s.slice(1, -1).replace(/''/g, "'");
  }
  if (s.startsWith('[')) {
    if (!s.endsWith(']')) throw new YamlError(no, 'flow sequences must fit on one line');
    const inner = s.slice(1, -1).trim();
    return inner === '' ? [] : splitFlow(inner, no).map((part) => parseScalar(part, no));
  }
  if (s === '{}') return {};
  if (/^[&*!|>{]/.test(s)) throw new YamlError(no, `unsupported YAML construct: ${s}`);
  if (s === '' || s === '~' || s === 'null') return null;
  if (s === 'true') return true;
  if (s === 'false') return false;
  if (/^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$/.test(s)) return Number(s);
  return s;
}

function splitFlow(s: string, no: number): string[] {
  const parts: string[] = [];
  let quote = '';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (quote) {
      if (ch === '\\' && quote === '"') i++;
      else if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '[' || ch === '{') throw new YamlError(no, 'nested flow collections are not supported');
    else if (ch === ',') {
      parts.push(s.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(s.slice(start));
  return parts;
}

/** `key: value` or `key:` → [key, rest]; undefined when the text is not a mapping entry. */
function splitKey(text: string, no: number): [string, string] | undefined {
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === '\\' && quote === '"') i++;
      else if (ch === quote) quote = '';
    } else if ((ch === '"' || ch === "'") && i === 0) quote = ch;
    else if (ch === ':' && (i === text.length - 1 || text[i + 1] === ' ')) {
      const key = parseScalar(text.slice(0, i), no);
      return [String(key), text.slice(i + 1).trim()];
    }
  }
  return undefined;
}

function isItem(text: string): boolean {
  return text === '-' || text.startsWith('- ');
}

function parseBlock(lines: Line[], i: number, indent: number): [Yaml, number] {
  return isItem(lines[i].text) ? parseSequence(lines, i, indent) : parseMapping(lines, i, indent);
}

function parseNested(lines: Line[], i: number, parentIndent: number, sequenceAllowedAtParent: boolean): [Yaml, number] {
  const next = lines[i];
  if (next && next.indent > parentIndent) return parseBlock(lines, i, next.indent);
  if (next && sequenceAllowedAtParent && next.indent === parentIndent && isItem(next.text))
    return parseSequence(lines, i, parentIndent);
  return [null, i];
}

function parseSequence(lines: Line[], i: number, indent: number): [Yaml[], number] {
  const out: Yaml[] = [];
  while (i < lines.length && lines[i].indent === indent && isItem(lines[i].text)) {
    const line = lines[i];
    const rest = line.text.slice(1).trimStart();
    if (rest === '') {
      const [v, next] = parseNested(lines, i + 1, indent, false);
      out.push(v);
      i = next;
    } else if (isItem(rest) || splitKey(rest, line.no)) {
      // "- key: value" starts a mapping whose entries line up with "key" ("- - x": a sequence).
      const inner = indent + (line.text.length - rest.length);
      const copy = lines.slice();
      copy[i] = { no: line.no, indent: inner, text: rest };
      const [v, next] = parseBlock(copy, i, inner);
      out.push(v);
      i = next;
    } else {
      out.push(parseScalar(rest, line.no));
      i++;
    }
  }
  if (i < lines.length && lines[i].indent > indent) throw new YamlError(lines[i].no, 'unexpected indentation');
  return [out, i];
}

function parseMapping(lines: Line[], i: number, indent: number): [{ [key: string]: Yaml }, number] {
  const out: { [key: string]: Yaml } = {};
  while (i < lines.length && lines[i].indent === indent && !isItem(lines[i].text)) {
    const line = lines[i];
    const kv = splitKey(line.text, line.no);
    if (!kv) throw new YamlError(line.no, `expected 'key: value', got ${line.text}`);
    const [key, rest] = kv;
    if (Object.hasOwn(out, key)) throw new YamlError(line.no, `duplicate key ${key}`);
    if (rest !== '') {
      out[key] = parseScalar(rest, line.no);
      i++;
    } else {
      const [v, next] = parseNested(lines, i + 1, indent, true);
      out[key] = v;
      i = next;
    }
  }
  if (i < lines.length && lines[i].indent > indent) throw new YamlError(lines[i].no, 'unexpected indentation');
  return [out, i];
}

export function parseYaml(text: string): Yaml {
  const lines: Line[] = [];
  text.split(/\r?\n/).forEach((raw, idx) => {
    if (raw.includes('\t')) throw new YamlError(idx + 1, 'tabs are not allowed in YAML indentation');
    const body = stripComment(raw).replace(/\s+$/, '');
    if (body.trim() === '' || body.trim() === '---') return;
    lines.push({ no: idx + 1, indent: body.length - body.trimStart().length, text: body.trim() });
  });
  if (lines.length === 0) return null;
  const [value, next] = parseBlock(lines, 0, lines[0].indent);
  if (next < lines.length) throw new YamlError(lines[next].no, 'unexpected content (check indentation)');
  return value;
}
