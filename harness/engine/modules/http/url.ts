// URLs: k6's http.url tagged template, and the parsed request targets (cached by href).
import type { Tags } from '../../metrics/metric.ts';
import type { LastTags } from './request-tags.ts';

/** What `http.url` returns: a URL whose `name` tag groups the requests made with it. */
export class TaggedURL {
  constructor(
    readonly url: string,
    readonly name: string,
  ) {}
  toString(): string {
    return this.url;
  }
}

/** k6's `http.url` tagged template: `http.url\`${base}/transits/${id}\`` names the request `${}/transits/${}`. */
export function url(strings: TemplateStringsArray, ...values: unknown[]): TaggedURL {
  let text = strings[0];
  let name = strings[0];
  for (let i = 0; i < values.length; i++) {
    text += String(values[i]) + strings[i + 1];
    name += '${}' + strings[i + 1];
  }
  return new TaggedURL(text, name);
}

export interface Target {
  origin: string;
  path: string;
  /** The URL as k6 tags it: without userinfo. */
  clean: string;
  host: string;
  /** By VU tags, the tag set of the VU's last request to this target (request-tags.ts). */
  lastTags?: WeakMap<Tags, LastTags>;
}

const targets = new Map<string, Target>();
const TARGET_CACHE_LIMIT = 10_000;

export function target(href: string): Target | undefined {
  let t = targets.get(href);
  if (t) return t;
  let u: URL;
  try {
    u = new URL(href);
  } catch {
    return undefined;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
  const path = (u.pathname || '/') + u.search;
  const clean = u.username || u.password ? `${u.protocol}//${u.host}${path}` : href;
  t = { origin: u.origin, path, clean, host: u.host };
  if (targets.size < TARGET_CACHE_LIMIT) targets.set(href, t);
  return t;
}
