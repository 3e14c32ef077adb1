// k6's blocking API on Node: when a script loads, every function that reaches a blocking call (http.get/post/…,
// http.batch, sleep, a group whose callback blocks, a helper that does, in this module or an imported one) becomes
// async, and every call that reaches one is awaited. A VU then proceeds request by request as in k6, and a
// thousand VUs share one thread. Edits stay on their line (a source map gives exact columns), so stacks and
// messages point at the user's lines. Where a blocking call sits somewhere nothing could wait for it (a getter,
// a constructor, a callback handed to a function the engine does not know), loading fails with file:line:column.
import { parse } from 'acorn';
import MagicString from 'magic-string';
import { fileURLToPath } from 'node:url';

// ESTree nodes are walked generically: any node may hold any other under any key.
type N = {
  type: string;
  start: number;
  end: number;
  loc?: { start: { line: number; column: number } };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [k: string]: any;
};

const HTTP_BLOCKING = new Set(['get', 'head', 'post', 'put', 'patch', 'del', 'options', 'request', 'batch']);
/** Response methods that make a request: awaited whatever the receiver, as a Response cannot be told apart. */
const RESPONSE_BLOCKING = new Set(['submitForm', 'clickLink']);
/** Array methods whose callback may block: rewritten to a loop that awaits each call in turn. */
const EACH = new Set([
  'forEach',
  'map',
  'filter',
  'some',
  'every',
  'find',
  'findIndex',
  'findLast',
  'findLastIndex',
  'flatMap',
  'reduce',
  'reduceRight',
]);
/** Promise callbacks may be async as they are: nothing waits on their return value but the chain. */
const PROMISE_CALLBACKS = new Set(['then', 'catch', 'finally']);

/** A blocking call where the engine cannot wait for it; the message starts with file:line:column. */
export class SyncScriptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SyncScriptError';
  }
}

type Use =
  | { kind: 'named' }
  | { kind: 'arg'; call: N; index: number }
  | { kind: 'callee'; call: N }
  | { kind: 'other'; what: string };

interface FnInfo {
  node: N;
  /** Written async by the user: its calls get awaits, its callers stay as written. */
  async: boolean;
  /** Why it cannot become async (getter, setter, constructor, generator). */
  unsupported?: string;
  names: string[];
  members: string[];
  use: Use;
  calls: N[];
  /** Reaches a blocking call and becomes async. */
  blocking: boolean;
  /** The first call in its body that blocks. */
  site?: N;
}

interface Binding {
  source: string;
  /** 'default', '*' or the imported name. */
  name: string;
  /** The imported module's URL when it is one of the script's own files. */
  url?: string;
}

interface Module {
  url: string;
  code: string;
  ast: N;
  fns: FnInfo[];
  fnOf: Map<N, FnInfo>;
  byName: Map<string, FnInfo[]>;
  imports: Map<string, Binding>;
  exports: Map<string, string>;
  reexports: Map<string, { url: string; name: string }>;
  stars: string[];
  /** Object-literal properties whose value is a name: `{ login }`, `{ login: doLogin }`. */
  objectProps: { key: string; value: string }[];
  /** Names passed as arguments: `setTimeout(login)`. */
  argRefs: { call: N; arg: N }[];
  enclosing: Map<N, FnInfo | undefined>;
  /** Top-level state a VU could change (`let`/`var` bindings, objects and arrays bound at the top level), or init code reading `__VU`. */
  state: boolean;
  output?: Transformed;
}

export interface Transformed {
  code: string;
  /** An inline source map comment (for JavaScript; TypeScript keeps the one it was compiled with). */
  map?: string;
}

/** k6 objects that hold nothing a VU changes. */
const STATELESS_CONSTRUCTORS = new Set([
  'SharedArray',
  'Counter',
  'Gauge',
  'Rate',
  'Trend',
  'TextEncoder',
  'TextDecoder',
]);

function holdsState(decl: N): boolean {
  if (decl.kind !== 'const') return true;
  return (decl.declarations as N[]).some((d) => {
    const init = d.init as N | null;
    if (!init) return false;
    if (init.type === 'ObjectExpression' || init.type === 'ArrayExpression') return d.id.name !== 'options';
    if (init.type === 'NewExpression')
      return !(init.callee.type === 'Identifier' && STATELESS_CONSTRUCTORS.has(init.callee.name));
    return false;
  });
}

type Kind = 'api' | 'sleep' | 'group' | 'each' | 'call';

function isFunction(n: unknown): boolean {
  const t = (n as N | null)?.type;
  return t === 'FunctionDeclaration' || t === 'FunctionExpression' || t === 'ArrowFunctionExpression';
}

function keyName(node: N, computed: boolean): string | undefined {
  if (computed) return node.type === 'Literal' && typeof node.value === 'string' ? node.value : undefined;
  if (node.type === 'Identifier') return node.name;
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  return undefined;
}

function isLocalSpecifier(s: string): boolean {
  return s.startsWith('./') || s.startsWith('../') || s.startsWith('/') || s.startsWith('file:');
}

/** The script's own modules, analysed together so that a helper imported from one blocks its callers in another. */
export class SyncGraph {
  private readonly modules = new Map<string, Module>();
  private memberNames = new Set<string>();
  private solved = false;
  private readonly runtimeUrl: string;

  constructor(runtimeUrl: string) {
    this.runtimeUrl = runtimeUrl;
  }

  has(url: string): boolean {
    return this.modules.has(url);
  }

  /** Adds a module; returns the URLs of the script files it imports. Source that does not parse is left to Node to report. */
  add(url: string, code: string): string[] {
    let ast: N;
    try {
      ast = parse(code, { ecmaVersion: 'latest', sourceType: 'module', locations: true, allowHashBang: true }) as N;
    } catch {
      return [];
    }
    const m: Module = {
      url,
      code,
      ast,
      fns: [],
      fnOf: new Map(),
      byName: new Map(),
      imports: new Map(),
      exports: new Map(),
      reexports: new Map(),
      stars: [],
      objectProps: [],
      argRefs: [],
      enclosing: new Map(),
      state: (ast.body as N[]).some((st) => {
        const d = st.type === 'ExportNamedDeclaration' ? (st.declaration as N | null) : st;
        if (d?.type === 'VariableDeclaration' && holdsState(d)) return true;
        // Init code that reads __VU sees each VU's own number.
        return d?.type !== 'FunctionDeclaration' && /\b__VU\b/.test(code.slice(st.start, st.end));
      }),
    };
    this.collect(m);
    this.modules.set(url, m);
    this.solved = false;
    const deps = new Set<string>();
    for (const b of m.imports.values()) if (b.url) deps.add(b.url);
    for (const r of m.reexports.values()) deps.add(r.url);
    for (const s of m.stars) deps.add(s);
    return [...deps];
  }

  /** Whether any of the script's modules keeps top-level state a VU could change (then each VU needs its own copy). */
  keepsState(): boolean {
    for (const m of this.modules.values()) if (m.state) return true;
    return false;
  }

  /** The module's source with its blocking calls awaited; throws SyncScriptError where that cannot be done. */
  transform(url: string, sourceMap: boolean): Transformed {
    const m = this.modules.get(url);
    if (!m) throw new Error(`${url} was not analysed`);
    if (!this.solved) this.solve();
    m.output ??= this.emit(m, sourceMap);
    return m.output;
  }

  private collect(m: Module): void {
    const resolveUrl = (spec: string): string | undefined =>
      isLocalSpecifier(spec) ? new URL(spec, m.url).href : undefined;
    const visit = (node: N, parent: N | undefined, fn: FnInfo | undefined): void => {
      let inner = fn;
      if (isFunction(node)) {
        inner = this.describeFunction(m, node, parent);
      } else if (node.type === 'CallExpression') {
        m.enclosing.set(node, fn);
        if (fn) fn.calls.push(node);
        for (const a of node.arguments as N[]) if (a.type === 'Identifier') m.argRefs.push({ call: node, arg: a });
      } else if (node.type === 'ImportDeclaration') {
        const source = String(node.source.value);
        const url = resolveUrl(source);
        for (const s of node.specifiers as N[]) {
          const name =
            s.type === 'ImportDefaultSpecifier'
              ? 'default'
              : s.type === 'ImportNamespaceSpecifier'
                ? '*'
                : (keyName(s.imported, false) ?? '');
          m.imports.set(s.local.name, { source, name, url });
        }
      } else if (node.type === 'ExportNamedDeclaration') {
        const d = node.declaration as N | null;
        if (d?.type === 'FunctionDeclaration') m.exports.set(d.id.name, d.id.name);
        if (d?.type === 'VariableDeclaration')
          for (const v of d.declarations as N[]) if (v.id.type === 'Identifier') m.exports.set(v.id.name, v.id.name);
        const from = node.source ? resolveUrl(String(node.source.value)) : undefined;
        for (const s of node.specifiers as N[]) {
          const exported = keyName(s.exported, false) ?? '';
          const local = keyName(s.local, false) ?? '';
          if (node.source) {
            if (from) m.reexports.set(exported, { url: from, name: local });
          } else m.exports.set(exported, local);
        }
      } else if (node.type === 'ExportAllDeclaration') {
        const from = resolveUrl(String(node.source.value));
        if (from && !node.exported) m.stars.push(from);
      } else if (node.type === 'ExportDefaultDeclaration') {
        const d = node.declaration as N;
        if (d.type === 'Identifier') m.exports.set('default', d.name);
        else if (isFunction(d)) m.exports.set('default', d.id?.name ?? '*default*');
      } else if (node.type === 'Property' && !node.computed && node.value?.type === 'Identifier') {
        const key = keyName(node.key, false);
        if (key) m.objectProps.push({ key, value: node.value.name });
      }
      for (const key in node) {
        if (key === 'loc' || key === 'type') continue;
        const v = node[key];
        if (Array.isArray(v)) {
          for (const c of v) if (c && typeof c.type === 'string') visit(c, node, inner);
        } else if (v && typeof v.type === 'string') visit(v, node, inner);
      }
    };
    visit(m.ast, undefined, undefined);
  }

  private describeFunction(m: Module, node: N, parent: N | undefined): FnInfo {
    const f: FnInfo = {
      node,
      async: !!node.async,
      names: [],
      members: [],
      use: { kind: 'named' },
      calls: [],
      blocking: false,
    };
    if (node.generator) f.unsupported = 'a generator function';
    if (node.type === 'FunctionDeclaration') {
      f.names.push(node.id?.name ?? '*default*');
    } else if (parent?.type === 'VariableDeclarator' && parent.init === node && parent.id.type === 'Identifier') {
      f.names.push(parent.id.name);
    } else if (parent?.type === 'Property' && parent.value === node) {
      if (parent.kind === 'get' || parent.kind === 'set') f.unsupported = `a ${parent.kind}ter`;
      const key = keyName(parent.key, parent.computed);
      if (key) f.members.push(key);
    } else if (parent?.type === 'MethodDefinition') {
      if (parent.kind === 'constructor') f.unsupported = 'a constructor';
      else if (parent.kind === 'get' || parent.kind === 'set') f.unsupported = `a ${parent.kind}ter`;
      const key = keyName(parent.key, parent.computed);
      if (key) f.members.push(key);
    } else if (parent?.type === 'PropertyDefinition' && parent.value === node) {
      const key = keyName(parent.key, parent.computed);
      if (key) f.members.push(key);
    } else if (parent?.type === 'AssignmentExpression' && parent.right === node) {
      if (parent.left.type === 'Identifier') f.names.push(parent.left.name);
      else if (parent.left.type === 'MemberExpression') {
        const key = keyName(parent.left.property, parent.left.computed);
        if (key) f.members.push(key);
      }
    } else if (parent?.type === 'ExportDefaultDeclaration') {
      f.names.push('*default*');
    } else if (parent?.type === 'CallExpression' || parent?.type === 'NewExpression') {
      if (parent.callee === node) f.use = { kind: 'callee', call: parent };
      else f.use = { kind: 'arg', call: parent, index: (parent.arguments as N[]).indexOf(node) };
    } else {
      f.use = { kind: 'other', what: parent ? parent.type : 'the module' };
    }
    m.fns.push(f);
    m.fnOf.set(node, f);
    for (const name of f.names) {
      const list = m.byName.get(name);
      if (list) list.push(f);
      else m.byName.set(name, [f]);
    }
    return f;
  }

  private nameBlocks(m: Module, name: string, depth = 0): boolean {
    if (m.byName.get(name)?.some((f) => f.blocking)) return true;
    const b = m.imports.get(name);
    return !!b?.url && b.name !== '*' && this.exportBlocks(b.url, b.name, depth + 1);
  }

  private exportBlocks(url: string, name: string, depth: number): boolean {
    const m = this.modules.get(url);
    if (!m || depth > 32) return false;
    const local = m.exports.get(name);
    if (local !== undefined) return this.nameBlocks(m, local, depth);
    const r = m.reexports.get(name);
    if (r) return this.exportBlocks(r.url, r.name, depth + 1);
    return m.stars.some((s) => this.exportBlocks(s, name, depth + 1));
  }

  private argBlocks(m: Module, arg: N | undefined): boolean {
    if (!arg) return false;
    if (isFunction(arg)) return !!m.fnOf.get(arg)?.blocking;
    return arg.type === 'Identifier' && this.nameBlocks(m, arg.name);
  }

  /** What makes `call` block, given what is known to block so far; undefined when it does not. */
  private classify(m: Module, call: N): { kind: Kind; method?: string } | undefined {
    const callee = call.callee as N;
    if (call.optional) return undefined;
    if (callee.type === 'Identifier') {
      const b = m.imports.get(callee.name);
      if (b?.source === 'k6/http' && HTTP_BLOCKING.has(b.name)) return { kind: 'api', method: b.name };
      if (b?.source === 'k6' && b.name === 'sleep') return { kind: 'sleep' };
      if (b?.source === 'k6' && b.name === 'group')
        return this.argBlocks(m, call.arguments[1]) ? { kind: 'group' } : undefined;
      return this.nameBlocks(m, callee.name) ? { kind: 'call' } : undefined;
    }
    if (isFunction(callee)) return m.fnOf.get(callee)?.blocking ? { kind: 'call' } : undefined;
    if (callee.type !== 'MemberExpression' || callee.computed || callee.property.type !== 'Identifier')
      return undefined;
    const prop: string = callee.property.name;
    const obj = callee.object as N;
    if (obj.type === 'Identifier') {
      const b = m.imports.get(obj.name);
      if (b && (b.name === 'default' || b.name === '*')) {
        if (b.source === 'k6/http') return HTTP_BLOCKING.has(prop) ? { kind: 'api', method: prop } : undefined;
        if (b.source === 'k6') {
          if (prop === 'sleep') return { kind: 'sleep' };
          if (prop === 'group') return this.argBlocks(m, call.arguments[1]) ? { kind: 'group' } : undefined;
          return undefined;
        }
        if (b.url && b.name === '*' && this.exportBlocks(b.url, prop, 0)) return { kind: 'call' };
      }
      if ((prop === 'call' || prop === 'apply') && this.nameBlocks(m, obj.name)) return { kind: 'call' };
    }
    if (EACH.has(prop) && this.argBlocks(m, call.arguments[0])) return { kind: 'each', method: prop };
    if (this.memberNames.has(prop) || RESPONSE_BLOCKING.has(prop)) return { kind: 'call' };
    return undefined;
  }

  private solve(): void {
    for (let changed = true; changed;) {
      changed = false;
      const members = new Set<string>();
      for (const m of this.modules.values()) {
        for (const f of m.fns) if (f.blocking) for (const k of f.members) members.add(k);
        for (const p of m.objectProps) if (this.nameBlocks(m, p.value)) members.add(p.key);
      }
      if (members.size !== this.memberNames.size) changed = true;
      this.memberNames = members;
      for (const m of this.modules.values())
        for (const f of m.fns) {
          if (f.blocking || f.site) continue;
          const site = f.calls.find((c) => this.classify(m, c));
          if (!site) continue;
          f.site = site;
          if (!f.async) f.blocking = true;
          changed = true;
        }
    }
    this.solved = true;
  }

  private where(m: Module, node: N): string {
    const file = m.url.startsWith('file:') ? fileURLToPath(m.url) : m.url;
    const loc = node.loc!.start;
    return `${file}:${loc.line}:${loc.column + 1}`;
  }

  private callText(m: Module, call: N): string {
    const callee = m.code.slice(call.callee.start, call.callee.end);
    return isFunction(call.callee) ? 'an immediately called function' : `${callee.replace(/\s+/g, ' ')}()`;
  }

  private fail(m: Module, f: FnInfo, where: string): never {
    const site = f.site!;
    throw new SyncScriptError(
      `${this.where(m, site)}: ${this.callText(m, site)} blocks, ${where}, where nothing can wait for it. ` +
        'Blocking calls work in plain functions, arrow functions and methods that the script calls, ' +
        "group() callbacks and array callbacks (forEach, map, …); elsewhere use 'await http.asyncRequest(…)' in an async function",
    );
  }

  private emit(m: Module, sourceMap: boolean): Transformed {
    const s = new MagicString(m.code);
    let edited = false;
    for (const f of m.fns) {
      if (!f.blocking) continue;
      if (f.unsupported) this.fail(m, f, `inside ${f.unsupported}`);
      if (f.use.kind === 'arg') {
        const call = f.use.call;
        const kind = this.classify(m, call)?.kind;
        const callee = call.callee as N;
        const promiseCallback =
          callee.type === 'MemberExpression' &&
          !callee.computed &&
          PROMISE_CALLBACKS.has(callee.property.name as string);
        const ok =
          call.type === 'CallExpression' &&
          ((kind === 'group' && f.use.index === 1) || (kind === 'each' && f.use.index === 0) || promiseCallback);
        if (!ok) this.fail(m, f, `inside a callback passed to ${this.callText(m, call)}`);
      } else if (f.use.kind === 'other') this.fail(m, f, `inside a function used as a value (${f.use.what})`);
      else if (f.use.kind === 'callee' && f.use.call.type === 'NewExpression') this.fail(m, f, 'inside a constructor');
      s.appendLeft(this.asyncPosition(m, f), 'async ');
      edited = true;
    }
    for (const { call, arg } of m.argRefs) {
      const f = m.enclosing.get(call);
      if (!this.nameBlocks(m, arg.name)) continue;
      const kind = this.classify(m, call)?.kind;
      const idx = (call.arguments as N[]).indexOf(arg);
      const callee = call.callee as N;
      if ((kind === 'group' && idx === 1) || (kind === 'each' && idx === 0)) continue;
      if (callee.type === 'MemberExpression' && PROMISE_CALLBACKS.has(callee.property?.name)) continue;
      // At the top level nothing runs during the test's iterations: left to fail as it would in k6.
      if (!f) continue;
      throw new SyncScriptError(
        `${this.where(m, arg)}: '${arg.name}' makes blocking calls and is passed to ${this.callText(m, call)}, ` +
          "which cannot wait for them; call it directly, or use 'await http.asyncRequest(…)' in an async function",
      );
    }
    // Outer calls first, so that their prefixes come before those of calls nested at the same position.
    const sites: { call: N; kind: Kind; method?: string }[] = [];
    for (const f of m.fns) {
      if (!f.blocking && !f.async) continue;
      for (const call of f.calls) {
        const c = this.classify(m, call);
        if (c) sites.push({ call, ...c });
      }
    }
    sites.sort((a, b) => a.call.start - b.call.start || b.call.end - a.call.end);
    for (const { call, kind, method } of sites) {
      const callee = call.callee as N;
      if (kind === 'each') {
        s.appendLeft(call.start, '(await __k6sync.each(');
        s.overwrite(callee.object.end, call.arguments[0].start, `, '${method}', `, { contentOnly: true });
        s.appendLeft(call.end, ')');
      } else {
        s.appendLeft(call.start, '(await ');
        if (kind === 'api') s.overwrite(callee.start, callee.end, `__k6sync.http.${method}`, { contentOnly: true });
        if (kind === 'group') s.overwrite(callee.start, callee.end, '__k6sync.group', { contentOnly: true });
        s.appendLeft(call.end, ')');
      }
      edited = true;
    }
    if (edited) s.prepend(`import * as __k6sync from ${JSON.stringify(this.runtimeUrl)};`);
    if (!sourceMap || !edited) return { code: s.toString() };
    const map = s.generateMap({ hires: true, source: m.url });
    return { code: s.toString(), map: `\n//# sourceMappingURL=${map.toUrl()}\n` };
  }

  /** Where `async ` goes: before the function, or before a method's name. */
  private asyncPosition(m: Module, f: FnInfo): number {
    const node = f.node;
    if (node.type === 'FunctionExpression') {
      // A method's function starts at its parameters; `async` goes before its name.
      const owner = this.methodOwner(m, node);
      if (owner) {
        if (owner.computed) return m.code.lastIndexOf('[', owner.key.start);
        return owner.key.start;
      }
    }
    return node.start;
  }

  private methodOwner(m: Module, node: N): N | undefined {
    let found: N | undefined;
    const visit = (n: N): void => {
      if (found) return;
      if (
        (n.type === 'MethodDefinition' || (n.type === 'Property' && (n.method || n.kind !== 'init'))) &&
        n.value === node
      )
        found = n;
      if (n.start > node.start || n.end < node.end) return;
      for (const key in n) {
        if (key === 'loc') continue;
        const v = n[key];
        if (Array.isArray(v)) {
          for (const c of v) if (c && typeof c.type === 'string') visit(c);
        } else if (v && typeof v.type === 'string') visit(v);
      }
    };
    visit(m.ast);
    return found;
  }
}
