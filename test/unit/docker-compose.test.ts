// Keeps docker-compose.yml in step with the local stack: same services, host ports and search attributes.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { searchAttributes } from '../../scripts/stack/components/temporal.js';
import { host, ports } from '../../scripts/stack/ports.js';

interface ComposeService {
  image?: string;
  command?: string[] | string;
  ports?: (string | { host_ip?: string; published?: string | number; target?: number })[];
}

const compose = parse(readFileSync(new URL('../../docker-compose.yml', import.meta.url), 'utf8')) as {
  services: Record<string, ComposeService>;
};

/** Host IP and port of each published port, from the short (`ip:host:container`) or long syntax. */
function published(svc: ComposeService): { ip: string | undefined; port: number }[] {
  return (svc.ports ?? []).map((p) => {
    if (typeof p === 'object') return { ip: p.host_ip, port: Number(p.published) };
    const parts = p.split(':');
    return parts.length === 3 ? { ip: parts[0], port: Number(parts[1]) } : { ip: undefined, port: Number(parts[0]) };
  });
}

describe('docker-compose.yml', () => {
  it.each([
    { service: 'temporal', image: 'temporalio/temporal', expected: [ports.temporal, ports.temporalUi] },
    { service: 's3', image: 'motoserver/moto', expected: [ports.s3] },
    { service: 'gcs', image: 'fsouza/fake-gcs-server', expected: [ports.gcs] },
    { service: 'azure-blob', image: 'mcr.microsoft.com/azure-storage/azurite', expected: [ports.azureBlob] },
  ])('$service publishes the stack ports on $image', ({ service, image, expected }) => {
    const svc = compose.services[service];
    expect(svc, `service ${service}`).toBeDefined();
    expect(svc.image?.split(':')[0]).toBe(image);
    const got = published(svc);
    expect(got.map((p) => p.port).sort()).toEqual([...expected].sort());
    // loopback only, like the stack: the emulators accept any credentials
    expect(got.map((p) => p.ip)).toEqual(expected.map(() => host));
  });

  it('registers the same search attributes as the stack', () => {
    const command = compose.services.temporal.command;
    expect(Array.isArray(command)).toBe(true);
    const args = command as string[];
    expect(args.slice(0, 2)).toEqual(['server', 'start-dev']);
    const registered = args.flatMap((a, i) => (args[i - 1] === '--search-attribute' ? [a.split('=') as [string, string]] : []));
    expect(Object.fromEntries(registered)).toEqual(searchAttributes);
    expect(registered).toHaveLength(Object.keys(searchAttributes).length);
  });

  it('runs azurite as the blob service without telemetry', () => {
    const command = compose.services['azure-blob'].command as string[];
    expect(command[0]).toBe('azurite-blob');
    expect(command).toContain('--disableTelemetry');
  });

  it('serves fake-gcs-server over plain http on the published port', () => {
    const command = compose.services.gcs.command as string[];
    expect(command[command.indexOf('-scheme') + 1]).toBe('http');
    expect(Number(command[command.indexOf('-port') + 1])).toBe(ports.gcs);
  });
});
