// Kubernetes resource quantities ("5Gi", "500M", "1.5e9") as numbers of bytes, for requested volume capacity.
const binary: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const decimal: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

const pattern = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)|[eE]([+-]?\d+))?$/;

/** Bytes (rounded up, as the API server rounds capacities), or undefined when the text is not a quantity. */
export function quantityBytes(quantity: string | undefined): number | undefined {
  const m = quantity === undefined ? null : pattern.exec(quantity.trim());
  if (!m) return undefined;
  const value = Number(m[1]);
  const factor = m[3] !== undefined ? 10 ** Number(m[3]) : m[2] !== undefined ? (binary[m[2]] ?? decimal[m[2]]) : 1;
  const bytes = Math.ceil(value * factor);
  return Number.isFinite(bytes) && bytes >= 0 ? bytes : undefined;
}
