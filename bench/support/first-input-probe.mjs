// Preloaded with `node --import` into a bundle under measurement: the first time the bundle reads an
// INPUT_* variable, print how long the process has been alive and exit. Plain JS because it is
// loaded before anything else, outside the TypeScript toolchain.
import { performance } from 'node:perf_hooks';
import { writeSync } from 'node:fs';

const env = process.env;
process.env = new Proxy(env, {
  get(target, key) {
    if (typeof key === 'string' && key.startsWith('INPUT_')) {
      writeSync(1, `first-input-ms=${performance.now()}\n`);
      process.exit(0);
    }
    return Reflect.get(target, key);
  },
});
