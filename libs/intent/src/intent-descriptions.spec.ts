import { describe, expect, it } from 'vitest';
import { describingExamples, intentNameText } from './intent-descriptions';

describe('intentNameText', () => {
  it('turns identifiers into words', () => {
    expect(intentNameText('card_arrival')).toBe('card arrival');
    expect(intentNameText('PlayMusic')).toBe('play music');
    expect(intentNameText('getATMSupport')).toBe('get atm support');
    expect(intentNameText('lost-or-stolen card')).toBe('lost or stolen card');
    expect(intentNameText('退货-进度')).toBe('退货 进度');
    expect(intentNameText('退货进度')).toBe('退货进度');
  });

  it('gives nothing for names without a letter', () => {
    expect(intentNameText('42')).toBeNull();
    expect(intentNameText('#_1')).toBeNull();
  });
});

describe('describingExamples', () => {
  it('adds the name and the description of each intent, once', () => {
    const out = describingExamples(
      [
        { name: 'card_arrival', description: 'When will my new card arrive?' },
        { name: 'refund', description: null },
        { name: '17' },
      ],
      [{ text: 'Refund ', intent: 'refund' }],
    );
    expect(out).toEqual([
      { text: 'card arrival', intent: 'card_arrival' },
      { text: 'When will my new card arrive?', intent: 'card_arrival' },
    ]);
  });

  it('keeps a text that another intent already has as an example', () => {
    expect(describingExamples([{ name: 'refund' }], [{ text: 'refund', intent: 'returns' }])).toEqual([
      { text: 'refund', intent: 'refund' },
    ]);
  });
});
