// Preloaded with `node --import` into a bundle under measurement: the first time code of the bundle
// in PROBE_BUNDLE_DIR reads an INPUT_* variable, print how long the process has been alive, and the
// CPU time it used (steadier than wall time on a machine shared with other work), and exit.
// Unlike first-input-probe.mjs, reads by other code (the root action's dispatcher, which reads the
// inputs before it loads the chosen action) do not count, so a direct run and a run through the root
// action are measured to the same point: the chosen action starting its work.
import { performance } from 'node:perf_hooks';
import { writeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const bundleDir = pathToFileURL(process.env.PROBE_BUNDLE_DIR ?? '/nonexistent').href + '/';
const env = process.env;
process.env = new Proxy(env, {
  get(target, key) {
    if (typeof key === 'string' && key.startsWith('INPUT_') && new Error().stack?.includes(bundleDir)) {
      const cpu = process.cpuUsage();
      writeSync(1, `first-input-ms=${performance.now()} cpu-ms=${(cpu.user + cpu.system) / 1000}\n`);
      process.exit(0);
    }
    return Reflect.get(target, key);
  },
});
