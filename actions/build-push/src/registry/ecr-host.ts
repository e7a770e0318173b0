/**
 * ECR registry host names, kept apart from the ECR client module so that telling an ECR image from
 * another costs no SDK load.
 */
const ECR_HOST = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;

/** `123456789012.dkr.ecr.eu-west-1.amazonaws.com` → account and region; undefined for other hosts. */
export function parseEcrHost(host: string): { accountId: string; region: string } | undefined {
  const match = ECR_HOST.exec(host.toLowerCase());
  if (!match) return undefined;
  const [, accountId, region] = match as unknown as [string, string, string];
  return { accountId, region };
}
