// Go's url.Values.Encode, which k6 uses for form bodies, submitForm() queries and serialize(): keys sorted,
// each value escaped as url.QueryEscape does (letters, digits and -_.~ as they are, a space as '+').

function queryEscape(s: string): string {
  return encodeURIComponent(s)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

/** `name=value&…` with the names sorted and each name's values in their order. */
export function encodeValues(values: Iterable<[name: string, values: string[]]>): string {
  return [...values]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .flatMap(([name, list]) => list.map((v) => `${queryEscape(name)}=${queryEscape(v)}`))
    .join('&');
}
