import DataLoader from 'dataloader';
import type { ProgramsService } from './programs.service.js';
import type { Program } from './programs.types.js';

export function createProgramLoaders(service: ProgramsService) {
  return {
    programByCode: new DataLoader<string, Program | null>(async (codes) => {
      const byCode = new Map((await service.byCodes(codes)).map((p) => [p.code, p]));
      return codes.map((code) => byCode.get(code) ?? null);
    }),
    exclusiveWith: new DataLoader<string, Program[]>(async (codes) => {
      const grouped = new Map<string, Program[]>();
      for (const { of, ...program } of await service.exclusionsOf(codes)) {
        grouped.set(of, [...(grouped.get(of) ?? []), program]);
      }
      return codes.map((code) => grouped.get(code) ?? []);
    }),
  };
}
