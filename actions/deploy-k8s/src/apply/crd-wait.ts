import type { Deadline } from '../../../../shared/src/async/deadline.ts';
import type { KubernetesClient } from '../../../../shared/src/kubernetes/client/client.ts';
import { Informer, keyOf } from '../../../../shared/src/kubernetes/rollout/informer.ts';
import { field, isRecord, type KubeObject } from '../../../../shared/src/kubernetes/object.ts';
import { abortReason } from '../../../../shared/src/async/sleep.ts';

/**
 * A CustomResourceDefinition is usable once the API server reports it Established; custom resources
 * applied before that are refused with 404. Watched, like every other wait.
 */
export async function waitForEstablished(
  client: KubernetesClient,
  names: readonly string[],
  deadline: Deadline,
  signal: AbortSignal,
): Promise<void> {
  if (names.length === 0) return;
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  signal.addEventListener('abort', stop, { once: true });
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => {
    done = resolve;
  });
  const informer: Informer = new Informer(client, {
    path: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
    fieldSelector: names.length === 1 ? `metadata.name=${names[0]}` : undefined,
    signal: controller.signal,
    onChange: () => {
      if (names.every((name) => established(informer.objects.get(keyOf({ metadata: { name } }))))) done();
    },
  });
  const run = informer.run();
  const timer = setTimeout(done, deadline.remaining());
  try {
    await Promise.race([finished, run]);
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', stop);
    controller.abort();
    await run.catch(() => undefined);
  }
  if (signal.aborted) throw abortReason(signal);
  const pending = names.filter((name) => !established(informer.objects.get(keyOf({ metadata: { name } }))));
  if (pending.length > 0)
    throw deadline.error(`CustomResourceDefinition ${pending.join(', ')} not Established`);
}

function established(crd: KubeObject | undefined): boolean {
  const conditions = field(crd, 'status', 'conditions');
  return (
    Array.isArray(conditions) &&
    conditions.some(
      (condition) => isRecord(condition) && condition.type === 'Established' && condition.status === 'True',
    )
  );
}
