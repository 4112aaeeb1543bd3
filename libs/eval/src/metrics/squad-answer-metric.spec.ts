import { describe, expect, it } from 'vitest';
import { normalizeSquadAnswer, squadAnswerScore } from './squad-answer-metric';

describe('normalizeSquadAnswer', () => {
  it('lower-cases, strips punctuation and articles, collapses whitespace', () => {
    expect(normalizeSquadAnswer('  The Cat,  sat.  ')).toBe('cat sat');
    expect(normalizeSquadAnswer('an apple a day')).toBe('apple day');
  });

  it('keeps words that merely contain an article', () => {
    expect(normalizeSquadAnswer('Theater and Anthem')).toBe('theater and anthem');
  });

  it('removes articles exposed by punctuation removal, as the official order does', () => {
    expect(normalizeSquadAnswer('(the) end')).toBe('end');
  });
});

describe('squadAnswerScore', () => {
  it('gives EM and F1 of 1 when only articles and case differ', () => {
    expect(squadAnswerScore('the Denver Broncos', ['Denver Broncos'])).toEqual({ exactMatch: 1, f1: 1 });
  });

  it('computes token F1 from precision and recall: 2 of 3 predicted tokens, 2 of 2 gold', () => {
    const score = squadAnswerScore('Denver Broncos team', ['Denver Broncos']);
    expect(score.exactMatch).toBe(0);
    expect(score.f1).toBeCloseTo(0.8, 10);
  });

  it('counts overlap as a multiset intersection (repeated tokens count once per gold occurrence)', () => {
    // pred x y y, gold y z: overlap 1, P = 1/3, R = 1/2, F1 = 0.4
    expect(squadAnswerScore('x y y', ['y z']).f1).toBeCloseTo(0.4, 10);
  });

  it('takes the best score over all gold answers', () => {
    expect(squadAnswerScore('Broncos', ['Denver Broncos', 'the Broncos'])).toEqual({ exactMatch: 1, f1: 1 });
    expect(squadAnswerScore('Broncos', ['Denver Broncos', 'Carolina']).f1).toBeCloseTo(2 / 3, 10);
  });

  it('scores an empty or unrelated prediction as 0', () => {
    expect(squadAnswerScore('', ['Denver'])).toEqual({ exactMatch: 0, f1: 0 });
    expect(squadAnswerScore('Carolina Panthers', ['Denver'])).toEqual({ exactMatch: 0, f1: 0 });
  });

  it('refuses a question without gold answers', () => {
    expect(() => squadAnswerScore('x', [])).toThrow(/at least one gold/);
  });
});
