/** Timestamps as the API server writes them: RFC 3339 in UTC, whole seconds (metav1.Time). */
export function timestamp(at: number = Date.now()): string {
  return new Date(Math.floor(at / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
