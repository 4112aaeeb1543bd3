import { DEFAULT_THRESHOLDS, ThresholdCalibrator } from '@wendao/answer';
import { describe, expect, it } from 'vitest';
import { loadShopSet, withoutAlternates, type ShopSet } from '../datasets/shop-set';
import { buildShopIndex } from './shop-eval';

const calibrate = async (set: ShopSet, uncoveredShare?: number) =>
  new ThresholdCalibrator({
    language: set.language,
    defaults: DEFAULT_THRESHOLDS.lexical,
    uncoveredShare,
  }).calibrate(await buildShopIndex(set));

describe('calibration on a shop set (lexical)', () => {
  it('with alternates, counts questions the KB does not cover: the more of them, the higher the FAQ threshold', async () => {
    const set = loadShopSet('zh-dev');
    const none = await calibrate(set, 0);
    const many = await calibrate(set, 0.5);
    expect(many.thresholds.faq).toBeGreaterThan(none.thresholds.faq);
    expect(many.uncoveredNotFallingBack).toBeLessThan(none.uncoveredNotFallingBack);
    expect(many.targetReached).toBe(true);
    expect(many.reason).toMatch(/entry left out/);
  });

  it('without alternates, keeps the FAQ threshold at the out-of-domain floor and searches the margin only', async () => {
    const set = withoutAlternates(loadShopSet('zh-dev'));
    const none = await calibrate(set, 0);
    const many = await calibrate(set, 0.5);
    expect(many.thresholds).toEqual(none.thresholds);
    // The floor lets at most 5 % of the out-of-domain bank through.
    expect(none.oodNotFallingBack).toBeLessThanOrEqual(0.05);
  });
});
