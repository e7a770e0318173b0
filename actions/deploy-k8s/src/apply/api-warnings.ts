import { describeRef } from '../../../../shared/src/kubernetes/object.ts';
import * as log from '../../../../shared/src/runner/log.ts';
import type { PlannedObject } from './plan.ts';

/**
 * What the API server warned about (kubectl prints these as `Warning: ...`), each shown once as a
 * warning annotation naming the object, though the validating dry run and the apply both hear it.
 */
export class ApiWarnings {
  private readonly seen = new Set<string>();
  readonly shown: { object: string; text: string }[] = [];

  report(planned: PlannedObject, text: string): void {
    const object = describeRef(planned.ref);
    const key = `${object}\n${text}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.shown.push({ object, text });
    log.warning(`${object} (${planned.manifest.source}): ${text}`, { title: 'Kubernetes API warning' });
  }
}
