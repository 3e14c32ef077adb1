// The tags of each request's samples (name, url, method, status, expected_response, error…).
import type { Tags } from '../../metrics/metric.ts';
import type { VuState } from '../../runtime/vu-context.ts';
import type { Params } from './params.ts';
import type { Target } from './url.ts';

const tagCache = new WeakMap<Tags, Map<string, Tags>>();
const TAG_CACHE_LIMIT = 5_000;

/** The tag set a VU's last request to a target was given, and what it was made of. */
export interface LastTags {
  method: string;
  name: string;
  status: number;
  expected: boolean | undefined;
  tags: Tags;
}

// The tag set of one request, frozen and shared by every request with the same values, so the sink can
// key series by object identity.
export function requestTags(
  vu: VuState,
  userTags: Params['tags'],
  method: string,
  target: Target,
  name: string,
  status: number,
  expected: boolean | undefined,
  proto: string,
  errorCode: number,
  errorMessage: string,
): Tags {
  // Most requests repeat the tags of the VU's last request to the same target: found without building a key.
  const plain = userTags === undefined && errorCode === 0;
  const lastByVu = plain ? (target.lastTags ??= new WeakMap()) : undefined;
  const last = lastByVu?.get(vu.tags);
  if (
    last !== undefined &&
    last.status === status &&
    last.method === method &&
    last.name === name &&
    last.expected === expected
  )
    return last.tags;
  const url = target.clean;
  let key = method + '\u0000' + name + '\u0000' + url + '\u0000' + status + '\u0000' + expected + '\u0000' + proto;
  if (errorCode !== 0) key += '\u0000' + errorCode + '\u0000' + errorMessage;
  if (userTags) for (const k in userTags) key += '\u0001' + k + '\u0000' + userTags[k];
  let byKey = tagCache.get(vu.tags);
  if (!byKey) tagCache.set(vu.tags, (byKey = new Map()));
  let tags = byKey.get(key);
  if (!tags) {
    tags = { ...vu.tags };
    if (userTags) for (const k in userTags) tags[k] = String(userTags[k]);
    tags.name = name;
    tags.url = name === url ? url : name;
    tags.method = method;
    tags.status = String(status);
    if (proto) tags.proto = proto;
    if (expected !== undefined) tags.expected_response = expected ? 'true' : 'false';
    if (errorMessage) tags.error = errorMessage;
    if (errorCode !== 0) tags.error_code = String(errorCode);
    Object.freeze(tags);
    if (byKey.size < TAG_CACHE_LIMIT) byKey.set(key, tags);
  }
  lastByVu?.set(vu.tags, { method, name, status, expected, tags });
  return tags;
}
