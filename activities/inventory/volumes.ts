// An app's volumes: each claim with its class, requested size, access modes and the PersistentVolume behind it. Pure.
import type { InventoryVolume } from '../../config/inventory.js';
import type { ObjectFact } from './facts.js';
import { quantityBytes } from './quantity.js';

/** `volumes` maps PersistentVolume names to their facts; claims bound to an unlisted volume have no `volume`. */
export function volumesOf(members: readonly ObjectFact[], volumes: ReadonlyMap<string, ObjectFact>): InventoryVolume[] {
  return members
    .filter((f) => f.claim !== undefined)
    .map((f) => {
      const claim = f.claim!;
      const pv = claim.volumeName ? volumes.get(claim.volumeName) : undefined;
      return {
        claim: f.name,
        storageClass: claim.storageClass ?? '',
        requested: claim.requested ?? '',
        requestedBytes: quantityBytes(claim.requested) ?? 0,
        accessModes: [...claim.accessModes].sort(),
        phase: claim.phase,
        volume:
          pv?.volume && claim.volumeName
            ? {
                name: claim.volumeName,
                kind: pv.volume.source,
                driver: pv.volume.driver,
                capacity: pv.volume.capacity,
                reclaimPolicy: pv.volume.reclaimPolicy,
              }
            : undefined,
      };
    })
    .sort((a, b) => (a.claim < b.claim ? -1 : 1));
}
