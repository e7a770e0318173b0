/**
 * The AppSpec of an ECS service with no file to start from: the container and port its load balancer
 * sends traffic to; the task definition is filled in per deployment (`appSpecRevision`).
 */
export function ecsServiceAppSpec(container: {
  name: string;
  port: number;
  hooks?: Record<string, unknown>[];
}): Record<string, unknown> {
  return {
    version: 0.0,
    Resources: [
      {
        TargetService: {
          Type: 'AWS::ECS::Service',
          Properties: {
            TaskDefinition: '',
            LoadBalancerInfo: { ContainerName: container.name, ContainerPort: container.port },
          },
        },
      },
    ],
    ...(container.hooks !== undefined && container.hooks.length > 0 && { Hooks: container.hooks }),
  };
}
