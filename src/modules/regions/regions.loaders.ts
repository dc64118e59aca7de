import DataLoader from 'dataloader';
import type { Viewer } from '../../auth/viewer.js';
import type { RegionsService } from './regions.service.js';
import type { Region } from './regions.types.js';

/** Region by code, scoped in SQL: an invisible region loads as null. */
export function createRegionLoaders(service: RegionsService, viewer: Viewer) {
  return {
    regionByCode: new DataLoader<string, Region | null>(async (codes) => {
      const rows = await service.byCodes(viewer, codes);
      const byCode = new Map(rows.map((r) => [r.code, r]));
      return codes.map((code) => byCode.get(code) ?? null);
    }, { maxBatchSize: 1000 }),
  };
}
