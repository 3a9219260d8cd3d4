import { describe, expect, it } from 'vitest';
import { InputError } from '../../harness/errors.ts';
import { parseConditions, parseSteer } from '../../harness/steering/index.ts';

function inputError(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return (err as Error).message;
  }
  throw new Error('expected an InputError');
}

describe('parseSteer', () => {
  it('accepts nouns, adjective aliases, random, signs and decimals', () => {
    expect(parseSteer('desperation=-2')).toEqual({ target: 'desperation', coefficient: -2 });
    expect(parseSteer('Desperate=+2')).toEqual({ target: 'desperation', coefficient: 2 });
    expect(parseSteer('afraid=0.5')).toEqual({ target: 'fear', coefficient: 0.5 });
    expect(parseSteer(' calm = -.25 ')).toEqual({ target: 'calm', coefficient: -0.25 });
    expect(parseSteer('random=1e-1')).toEqual({ target: 'random', coefficient: 0.1 });
  });

  it('lists the valid names for an unknown one', () => {
    const msg = inputError(() => parseSteer('bored=1'));
    expect(msg).toContain('"bored"');
    expect(msg).toContain('desperation, calm, fear');
    expect(msg).toContain('random');
    expect(msg).toContain('desperate');
  });

  it('says what was received for a missing or invalid number', () => {
    expect(inputError(() => parseSteer('calm'))).toMatch(/no "="/);
    expect(inputError(() => parseSteer('calm='))).toMatch(/must be a number .* received ""/);
    expect(inputError(() => parseSteer('calm=two'))).toMatch(/received "two"/);
    expect(inputError(() => parseSteer('calm=2x'))).toMatch(/received "2x"/);
    expect(inputError(() => parseSteer('calm=NaN'))).toMatch(/received "NaN"/);
  });
});

describe('parseConditions', () => {
  it('parses the design list with canonical ids', () => {
    expect(parseConditions('baseline,desperation=+2,calm=2,random=+2')).toEqual([
      { id: 'baseline', steer: [] },
      { id: 'desperation=+2', steer: [{ target: 'desperation', coefficient: 2 }] },
      { id: 'calm=+2', steer: [{ target: 'calm', coefficient: 2 }] },
      { id: 'random=+2', steer: [{ target: 'random', coefficient: 2 }] },
    ]);
  });

  it('steers several vectors together with &', () => {
    expect(parseConditions('desperate=+1&calm=-1')).toEqual([
      {
        id: 'desperation=+1&calm=-1',
        steer: [
          { target: 'desperation', coefficient: 1 },
          { target: 'calm', coefficient: -1 },
        ],
      },
    ]);
  });

  it('refuses empty entries, repeats and a vector named twice in one condition', () => {
    expect(inputError(() => parseConditions('baseline,,calm=1'))).toMatch(/empty entry/);
    expect(inputError(() => parseConditions('calm=+2,calm=2'))).toMatch(/calm=\+2 is listed twice/);
    expect(inputError(() => parseConditions('calm=1&calm=2'))).toMatch(/same vector twice/);
    expect(inputError(() => parseConditions('baseline,joy=1'))).toMatch(/unknown steering vector "joy"/);
  });
});
