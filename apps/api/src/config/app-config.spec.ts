import { describe, expect, it } from 'vitest';
import { loadConfig } from './app-config';

describe('loadConfig: models', () => {
  it('takes one model for every KB, or models per KB language, and refuses another language', () => {
    expect(loadConfig({ WENDAO_READER_MODEL: 'readers/medical' }).readerModel).toBe('readers/medical');
    expect(loadConfig({ WENDAO_READER_MODEL: 'en=readers/medical' }).readerModel).toEqual({
      en: 'readers/medical',
    });
    expect(loadConfig({ WENDAO_ENCODER_MODEL: 'zh=BAAI/bge-small-zh-v1.5,en=org/en' }).encoderModel).toEqual({
      zh: 'BAAI/bge-small-zh-v1.5',
      en: 'org/en',
    });
    expect(loadConfig({}).encoderModel).toBeUndefined();
    expect(() => loadConfig({ WENDAO_READER_MODEL: 'fr=camembert' })).toThrow(
      /WENDAO_READER_MODEL: expected a model name, or language=name pairs/,
    );
  });
});
