/**
 * metadata-action's `annotations` output: its OCI annotations (the same eight keys and values as the
 * generated labels) once per level in DOCKER_METADATA_ANNOTATIONS_LEVELS (comma-separated, `manifest`
 * by default), each line `<level>:<key>=<value>`, the form build-push-action's `annotations` input and
 * `docker buildx imagetools create --annotation` take.
 */
export function annotationLines(
  annotations: Record<string, string>,
  levels: string = process.env.DOCKER_METADATA_ANNOTATIONS_LEVELS || 'manifest',
): string[] {
  return levels
    .split(',')
    .flatMap((level) => Object.entries(annotations).map(([key, value]) => `${level}:${key}=${value}`));
}
