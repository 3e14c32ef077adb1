// The operator's notification stream (WebSocket `GET /v1/notifications`): every
// step of every own movement. Used to check and time that each step is notified.
import { WebSocket } from 'k6/experimental/websockets';
import { setTimeout, clearTimeout } from 'k6/timers';
import { bearer } from './auth.js';

/**
 * Opens the stream and resolves once it is connected.
 * @returns {Promise<NotificationStream>}
 */
export function openNotifications(wsBaseUrl, token, tags = {}) {
  return new Promise((resolve, reject) => {
    new NotificationStream(wsBaseUrl, token, tags, resolve, reject);
  });
}

class NotificationStream {
  constructor(wsBaseUrl, token, tags, onOpen, onFail) {
    this.received = [];
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
    this.ws.onmessage = (event) => this.onMessage(event.data);
    this.ws.onclose = () => {
      this.closed = true;
      this.failAll(new Error('notification stream closed'));
    };
  }

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
   */
  waitFor(predicate, timeoutMs = 5000) {
    const seen = this.received.find((e) => predicate(e.message));
    if (seen) return Promise.resolve(seen);
    if (this.closed) return Promise.resolve(undefined);
    return new Promise((resolve, reject) => {
      const waiter = { predicate, resolve, reject };
      waiter.timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(undefined);
      }, timeoutMs);
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
