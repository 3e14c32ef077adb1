// The operator's notification stream (WebSocket `GET /v1/notifications`): every
// step of every own movement. Used to check and time that each step is notified.
import { WebSocket } from 'k6/experimental/websockets';
import { setTimeout, clearTimeout } from './timers.js';
import { bearer } from './auth.js';

/**
 * @typedef {{ message: any, at: number }} Received  a notification and when it arrived (ms since the epoch)
 * @typedef {(message: any) => boolean} Predicate
 * @typedef {{ predicate: Predicate, resolve: (entry: Received) => void, reject: (err: Error) => void,
 *   timer: import('k6/timers').TimeoutID }} Waiter
 */

/**
 * Opens the stream and resolves once it is connected.
 * @param {string} wsBaseUrl
 * @param {string} token
 * @param {Record<string, string>} [tags]
 * @returns {Promise<NotificationStream>}
 */
export function openNotifications(wsBaseUrl, token, tags = {}) {
  return new Promise((resolve, reject) => {
    new NotificationStream(wsBaseUrl, token, tags, resolve, reject);
  });
}

class NotificationStream {
  /**
   * @param {string} wsBaseUrl
   * @param {string} token
   * @param {Record<string, string>} tags
   * @param {(stream: NotificationStream) => void} onOpen
   * @param {(err: Error) => void} onFail
   */
  constructor(wsBaseUrl, token, tags, onOpen, onFail) {
    /** @type {Received[]} */
    this.received = [];
    /** @type {Waiter[]} */
    this.waiters = [];
    this.closed = false;
    this.ws = new WebSocket(`${wsBaseUrl}/v1/notifications`, null, {
      headers: bearer(token),
      tags: Object.assign({ operation: 'notifications', name: 'WS /v1/notifications' }, tags),
    });
    this.opened = false;
    this.ws.onopen = () => {
      this.opened = true;
      onOpen(this);
    };
    this.ws.onerror = (e) => {
      const err = new Error(`notification stream: ${(e && e.error) || 'connection failed'}`);
      if (!this.opened) onFail(err);
      this.failAll(err);
    };
    // Nodes send text frames only.
    this.ws.onmessage = (event) =>
      this.onMessage(/** @type {string} */ (/** @type {import('k6/websockets').MessageEvent} */ (event).data));
    this.ws.onclose = () => {
      this.closed = true;
      this.failAll(new Error('notification stream closed'));
    };
  }

  /** @param {string} data */
  onMessage(data) {
    let message;
    try {
      message = JSON.parse(data);
    } catch (_) {
      return;
    }
    const at = Date.now();
    const entry = { message, at };
    this.received.push(entry);
    this.waiters = this.waiters.filter((w) => {
      if (!w.predicate(message)) return true;
      clearTimeout(w.timer);
      w.resolve(entry);
      return false;
    });
  }

  /** @param {Error} err */
  failAll(err) {
    for (const w of this.waiters) {
      clearTimeout(w.timer);
      w.reject(err);
    }
    this.waiters = [];
  }

  /**
   * Resolves with `{ message, at }` for the first notification (already received or
   * still to come) that matches; resolves with undefined after `timeoutMs`.
   * @param {Predicate} predicate
   * @returns {Promise<Received | undefined>}
   */
  waitFor(predicate, timeoutMs = 5000) {
    const seen = this.received.find((e) => predicate(e.message));
    if (seen) return Promise.resolve(seen);
    if (this.closed) return Promise.resolve(undefined);
    return new Promise((resolve, reject) => {
      /** @type {Waiter} */
      const waiter = {
        predicate,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          resolve(undefined);
        }, timeoutMs),
      };
      this.waiters.push(waiter);
    });
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    this.failAll(new Error('notification stream closed'));
    this.ws.close();
  }
}
