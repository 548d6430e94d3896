import { describe, expect, it } from 'vitest';
import { factoriesFor, SERVICES } from './services';

describe('factoriesFor', () => {
  it('gives every service for all, one for its name, and a list in pipeline order, each once', () => {
    expect(factoriesFor('all')).toEqual(Object.values(SERVICES));
    expect(factoriesFor('review')).toEqual([SERVICES.review]);
    expect(factoriesFor('publication,intake,publication')).toEqual([SERVICES.intake, SERVICES.publication]);
    expect(() => factoriesFor('intake,billing')).toThrow(/unknown service "billing"/);
  });
});
