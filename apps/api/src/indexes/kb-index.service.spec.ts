import { Logger } from '@nestjs/common';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../config/app-config';
import type { ModelsService } from '../models/models.service';
import type { KbIndexRepository } from './kb-index.repository';
import { KbIndexService } from './kb-index.service';

/** A service over three KBs whose loads `load` decides (no database, no models). */
function serviceWith(load: (service: KbIndexService, kbId: string) => Promise<void>) {
  const repository = {
    kbIds: () => Promise.resolve(['kb-1', 'kb-2', 'kb-3'].map((id) => ({ id, version: 1 }))),
  } as unknown as KbIndexRepository;
  const service = new KbIndexService(loadConfig({}), {} as ModelsService, repository);
  const loaded: string[] = [];
  vi.spyOn(service, 'ensure').mockImplementation(async (kbId) => {
    loaded.push(kbId);
    await load(service, kbId);
    return undefined as never;
  });
  const errors = vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  return { service, loaded, errors };
}

describe('KbIndexService.warmUp', () => {
  afterEach(() => vi.restoreAllMocks());

  it('says a KB whose index fails to load, and loads the others', async () => {
    const { service, loaded, errors } = serviceWith((_s, kbId) =>
      kbId === 'kb-2' ? Promise.reject(new Error('bad row')) : Promise.resolve(),
    );
    await service.warmUp();
    expect(loaded).toEqual(['kb-1', 'kb-2', 'kb-3']);
    expect(errors.mock.calls.map((c) => String(c[0]))).toEqual(['index for KB kb-2 failed to load: bad row']);
    expect(service.ready).toBe(true);
  });

  it('stops without an error when the app closes during it (the pool gone under a load)', async () => {
    // A start whose port was taken, or a SIGTERM while large KBs load: "index for KB … failed to
    // load: Driver not Connected" was logged as an ERROR for a load the shutdown cut.
    const { service, loaded, errors } = serviceWith((s) => {
      s.onModuleDestroy();
      return Promise.reject(new Error('Driver not Connected'));
    });
    await service.warmUp();
    expect(loaded).toEqual(['kb-1']);
    expect(errors).not.toHaveBeenCalled();
    expect(service.ready).toBe(true);
  });
});
