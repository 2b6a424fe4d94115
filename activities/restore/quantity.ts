// Kubernetes resource quantities ("1Gi", "500M", "1.5e3") as exact byte counts, for quota checks.
const binary: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const decimal: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

export class InvalidQuantity extends Error {
  constructor(readonly value: string) {
    super(`not a Kubernetes quantity: ${JSON.stringify(value)}`);
    this.name = 'InvalidQuantity';
  }
}

export function parseQuantity(value: string): number {
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:(Ki|Mi|Gi|Ti|Pi|Ei)|([eE][+-]?\d+)|(n|u|m|k|M|G|T|P|E))?$/.exec(value.trim());
  if (!m) throw new InvalidQuantity(value);
  const n = Number(m[1]);
  if (m[2]) return n * binary[m[2]];
  if (m[3]) return n * 10 ** Number(m[3].slice(1));
  return n * decimal[m[4] ?? ''];
}
