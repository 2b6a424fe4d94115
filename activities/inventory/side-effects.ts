// What an app does outside the cluster, which a migration must move or re-point: load balancers and their
// addresses, node ports, ingress hosts and classes, DNS names external-dns publishes. Pure.
import type { InventorySideEffects } from '../../config/inventory.js';
import { externalDnsPrefix, type ObjectFact } from './facts.js';

const byName = <T extends { service?: string; name?: string; object?: string }>(xs: T[]): T[] =>
  xs.sort((a, b) => {
    const ka = a.service ?? a.name ?? a.object ?? '';
    const kb = b.service ?? b.name ?? b.object ?? '';
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });

const hostnameAnnotations = [`${externalDnsPrefix}hostname`, `${externalDnsPrefix}internal-hostname`];

export function sideEffectsOf(members: readonly ObjectFact[]): InventorySideEffects {
  const services = members.filter((f) => f.service !== undefined);
  return {
    loadBalancers: byName(
      services
        .filter((f) => f.service!.type === 'LoadBalancer')
        .map((f) => ({ service: f.name, addresses: [...f.service!.addresses], ports: [...f.service!.ports] })),
    ),
    nodePorts: byName(
      services.filter((f) => f.service!.nodePorts.length > 0).map((f) => ({ service: f.name, ports: [...f.service!.nodePorts] })),
    ),
    ingresses: byName(
      members
        .filter((f) => f.ingress !== undefined)
        .map((f) => ({ name: f.name, class: f.ingress!.class, hosts: [...f.ingress!.hosts], tlsHosts: [...f.ingress!.tlsHosts] })),
    ),
    externalDns: byName(
      members
        .filter((f) => Object.keys(f.annotations ?? {}).some((k) => k.startsWith(externalDnsPrefix)))
        .map((f) => ({
          object: `${f.kind}/${f.name}`,
          hostnames: [
            ...new Set(
              hostnameAnnotations.flatMap((k) =>
                (f.annotations?.[k] ?? '')
                  .split(',')
                  .map((h) => h.trim())
                  .filter(Boolean),
              ),
            ),
          ].sort(),
        })),
    ),
  };
}
