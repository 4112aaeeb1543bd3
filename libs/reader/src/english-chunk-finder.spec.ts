import { describe, expect, it } from 'vitest';
import { EnglishChunkFinder } from './english-chunk-finder';

const chunk = (question: string, sentence: string) => {
  const span = EnglishChunkFinder.find(question, sentence);
  return span && sentence.slice(span.start, span.end);
};

describe('EnglishChunkFinder', () => {
  it('takes the new words next to the question words, without edge stop words', () => {
    expect(chunk('Which team won Super Bowl 50?', 'The Denver Broncos won Super Bowl 50 in 2016.')).toBe(
      'Denver Broncos',
    );
  });

  it('keeps a comma-separated list together', () => {
    expect(chunk('What payment methods do you accept?', 'We accept Visa, Mastercard and PayPal.')).toBe(
      'Visa, Mastercard and PayPal',
    );
  });

  it('prefers names and numbers over other nearby words', () => {
    expect(chunk('Who designed the tower?', 'The tower was designed by Gustave Eiffel for the fair.')).toBe(
      'Gustave Eiffel',
    );
  });

  it('leaves procedure questions and sentences without question words to the whole sentence', () => {
    expect(
      chunk('What happens if my package is lost?', 'If your package is lost, we send a replacement.'),
    ).toBeNull();
    expect(chunk('How do I reset my password?', 'Click "Forgot password" on the login page.')).toBeNull();
    expect(chunk('Which team won?', 'Nothing here overlaps.')).toBeNull();
  });
});
