// What k6's runtime provides that @types/k6 does not declare.

// k6 logs through console.
declare const console: {
  log(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
  debug(...args: unknown[]): void;
};

// The scenarios import the experimental module so they run on k6 v0.49+, before 'k6/websockets'
// was stable; its API is the same.
declare module 'k6/experimental/websockets' {
  export * from 'k6/websockets';
}

// The timers module of k6 v0.49 (lib/timers.js loads it with k6's init-time require() where
// timers are not globals); its API is that of 'k6/timers'.
declare module 'k6/experimental/timers' {
  export * from 'k6/timers';
}
