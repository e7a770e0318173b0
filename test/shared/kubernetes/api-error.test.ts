import { describe, expect, it } from '@jest/globals';
import {
  classifyKubernetesFailure,
  KubernetesApiError,
  KubernetesConnectionError,
} from '../../../shared/src/kubernetes/client/api-error.ts';

const status = (code: number, reason: string, message: string, causes?: object[]): string =>
  JSON.stringify({
    kind: 'Status',
    apiVersion: 'v1',
    status: 'Failure',
    code,
    reason,
    message,
    ...(causes ? { details: { causes } } : {}),
  });

describe('KubernetesApiError', () => {
  it('quotes the Status body: reason, message and causes', () => {
    const error = new KubernetesApiError('apply Deployment/shop/web', {
      status: 409,
      body: status(
        409,
        'Conflict',
        'Apply failed with 1 conflict: conflict with "kubectl-edit" using apps/v1: .spec.replicas',
        [
          {
            type: 'FieldManagerConflict',
            message: 'conflict with "kubectl-edit" using apps/v1',
            field: '.spec.replicas',
          },
        ],
      ),
    });
    expect(error.message).toBe(
      'apply Deployment/shop/web failed: 409 Conflict: Apply failed with 1 conflict: conflict with "kubectl-edit" using apps/v1: .spec.replicas',
    );
    expect(error.causes).toEqual([
      { reason: undefined, message: 'conflict with "kubectl-edit" using apps/v1', field: '.spec.replicas' },
    ]);
  });

  it('names the status when the body is not a Status', () => {
    const error = new KubernetesApiError('GET /api', { status: 503, body: '<html>upstream\n down</html>' });
    expect(error.reason).toBe('ServiceUnavailable');
    expect(error.message).toBe('GET /api failed: 503 ServiceUnavailable: <html>upstream down</html>');
  });

  it.each<[number, string | undefined, boolean, number | undefined]>([
    [429, '2', true, 2000],
    [500, undefined, true, undefined],
    [503, '1', true, 1000],
    [501, undefined, false, undefined],
    [404, undefined, false, undefined],
    [409, undefined, false, undefined],
    [422, undefined, false, undefined],
  ])('status %i (Retry-After %s) is transient: %s', (code, retryAfter, transient, retryAfterMs) => {
    const verdict = classifyKubernetesFailure(
      new KubernetesApiError('x', { status: code, body: '', retryAfter }),
    );
    expect(verdict.transient).toBe(transient);
    if (verdict.transient) expect(verdict.retryAfterMs).toBe(retryAfterMs);
  });
});

describe('KubernetesConnectionError', () => {
  const wrapped = (code: string): Error =>
    Object.assign(new TypeError('fetch failed'), {
      cause: Object.assign(new Error(`socket ${code}`), { code }),
    });

  it.each<[string, boolean, string]>([
    ['ECONNRESET', true, 'connection reset'],
    ['ECONNREFUSED', true, 'connection refused'],
    ['UND_ERR_SOCKET', true, 'connection closed by the server'],
    ['ENOTFOUND', false, 'host name not found'],
    ['SELF_SIGNED_CERT_IN_CHAIN', false, 'SELF_SIGNED_CERT_IN_CHAIN'],
  ])('%s: transient %s', (code, transient, text) => {
    const error = new KubernetesConnectionError('list pods', 'https://10.0.0.1:6443', wrapped(code));
    expect(error.message).toContain(text);
    expect(error.message).toContain('https://10.0.0.1:6443');
    expect(classifyKubernetesFailure(error).transient).toBe(transient);
  });

  it('a timeout is transient, and a TLS failure says how to fix it', () => {
    expect(
      classifyKubernetesFailure(new KubernetesConnectionError('x', 's', new Error('aborted'), true))
        .transient,
    ).toBe(true);
    expect(
      new KubernetesConnectionError('x', 's', wrapped('UNABLE_TO_VERIFY_LEAF_SIGNATURE')).hint,
    ).toContain('certificate-authority-data');
  });
});
