import type { JsonObject } from '../store/json.ts';

/**
 * The Gateway API's HTTPRoute, installed as a real cluster has it: a CustomResourceDefinition
 * (gateway-api's standard channel, v1 served and stored), which the simulated apiextensions server
 * then establishes and serves like any other. Its schema is left open: the simulator treats every
 * custom list as atomic, which is what HTTPRoute's `rules` and `backendRefs` are.
 */
export const HTTP_ROUTE_DEFINITION: JsonObject = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: {
    name: 'httproutes.gateway.networking.k8s.io',
    annotations: { 'gateway.networking.k8s.io/bundle-version': 'v1.2.1' },
  },
  spec: {
    group: 'gateway.networking.k8s.io',
    scope: 'Namespaced',
    names: {
      plural: 'httproutes',
      singular: 'httproute',
      kind: 'HTTPRoute',
      listKind: 'HTTPRouteList',
      categories: ['gateway-api'],
    },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
      },
    ],
  },
};
