// A load client speaking the ICE protocol as a national node (reference/ice/README.md):
// one WebSocket per country identity, `send` frames out, `stored` and `deliver`
// frames in, every delivery acknowledged at once.
import { WebSocket } from 'k6/experimental/websockets';
import { setTimeout, clearTimeout } from './timers.js';

/** @typedef {import('k6/websockets').MessageEvent} MessageEvent */

/**
 * @typedef {{ country: string, office: string, token: string }} IceIdentity
 * @typedef {{ identity: IceIdentity, welcome: any, send(message: unknown): void, close(): void }} IceLink
 */

/**
 * Opens the link and resolves with it once ICE has sent its welcome frame.
 * @param {string} url
 * @param {IceIdentity} identity
 * @param {{ deliver(frame: any): void, stored(frame: any): void, refused(frame: any): void }} handlers
 * @returns {Promise<IceLink>}
 */
export function openIceLink(url, identity, handlers) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, null, {
      headers: { Authorization: `Bearer ${identity.token}` },
      tags: { operation: 'ice_link', name: 'WS /v1/ice' },
    });
    const timer = setTimeout(() => reject(new Error(`ICE did not welcome ${identity.country} within 10 s`)), 10000);
    /** @type {IceLink} */
    const link = {
      identity,
      welcome: undefined,
      send(message) {
        ws.send(JSON.stringify({ type: 'send', message }));
      },
      close() {
        ws.close();
      },
    };
    ws.onmessage = (event) => {
      // ICE sends text frames only.
      const frame = JSON.parse(/** @type {string} */ (/** @type {MessageEvent} */ (event).data));
      if (frame.type === 'welcome') {
        clearTimeout(timer);
        link.welcome = frame;
        resolve(link);
      } else if (frame.type === 'deliver') {
        ws.send(JSON.stringify({ type: 'ack', ref: frame.message.id }));
        handlers.deliver(frame);
      } else if (frame.type === 'stored') handlers.stored(frame);
      else if (frame.type === 'error') handlers.refused(frame);
    };
    ws.onerror = (e) => {
      clearTimeout(timer);
      reject(new Error(`ICE link for ${identity.country}: ${(e && e.error) || 'connection failed'}`));
    };
  });
}

/** A random RFC 4122 version 4 UUID in lower case. */
export function uuid() {
  const hex = [];
  for (let i = 0; i < 32; i++) hex.push(Math.floor(Math.random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// NCTS check digit (also ISO 6346): letters from A=10 skipping multiples of 11, weights 2^i, mod 11, 10 → 0.
const LETTERS = (() => {
  const values = [];
  for (let v = 10; values.length < 26; v++) if (v % 11 !== 0) values.push(v);
  return values;
})();

/** @param {string} s */
function checkDigit(s) {
  let sum = 0;
  let weight = 1;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    sum = (sum + (c <= 57 ? c - 48 : LETTERS[c - 65]) * weight) % 11;
    weight = (weight * 2) % 11;
  }
  return sum % 10;
}

/**
 * A well-formed MRN of `country` that no node allocated: year, country, 12 random characters, procedure J, check digit.
 * @param {string} country
 */
export function syntheticMrn(country) {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  let unique = '';
  for (let i = 0; i < 12; i++) unique += alphabet[Math.floor(Math.random() * 36)];
  const head = `${String(new Date().getUTCFullYear()).slice(2)}${country}${unique}J`;
  return head + checkDigit(head);
}
