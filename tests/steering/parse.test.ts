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
    expect(parseSteer('desperation=-2')).toEqual({ target: 'desperation', value: -2, unit: 'sd' });
    expect(parseSteer('Desperate=+2')).toEqual({ target: 'desperation', value: 2, unit: 'sd' });
    expect(parseSteer('afraid=0.5')).toEqual({ target: 'fear', value: 0.5, unit: 'sd' });
    expect(parseSteer(' calm = -.25 ')).toEqual({ target: 'calm', value: -0.25, unit: 'sd' });
    expect(parseSteer('random=1e-1')).toEqual({ target: 'random', value: 0.1, unit: 'sd' });
  });

  it('reads the unit from the suffix: none or sd, %, x', () => {
    expect(parseSteer('calm=+1.5sd')).toEqual({ target: 'calm', value: 1.5, unit: 'sd' });
    expect(parseSteer('desperation=-5%')).toEqual({ target: 'desperation', value: -5, unit: 'percent' });
    expect(parseSteer('desperation=-2x')).toEqual({ target: 'desperation', value: -2, unit: 'multiple' });
    expect(parseSteer('calm=100%')).toEqual({ target: 'calm', value: 100, unit: 'percent' });
    expect(parseSteer('calm=-20')).toEqual({ target: 'calm', value: -20, unit: 'sd' });
    expect(parseSteer('calm=50x')).toEqual({ target: 'calm', value: 50, unit: 'multiple' });
  });

  it('refuses unknown suffixes, NaN, infinities, empty values and strengths past the bounds, naming the forms', () => {
    for (const bad of [
      'calm=2y',
      'calm=2 %',
      'calm=2%%',
      'calm=2xx',
      'calm=NaN',
      'calm=nan%',
      'calm=inf',
      'calm=-Infinity',
      'calm=1e309',
      'calm=1e309%',
      'calm=',
      'calm=%',
      'calm=x',
      'calm=+',
      'calm=0x10',
      'calm=20.01',
      'calm=-101%',
      'calm=50.5x',
      'calm=1e2',
    ]) {
      const msg = inputError(() => parseSteer(bad));
      expect(msg, bad).toContain('c or csd (standard deviations of the reading, |c| <= 20)');
      expect(msg, bad).toContain('c% (percent of the mean residual norm, |c| <= 100)');
      expect(msg, bad).toContain('cx (multiple of the raw vector, |c| <= 50)');
    }
    expect(inputError(() => parseSteer('calm=1e309'))).toContain('received "1e309"');
    expect(inputError(() => parseSteer('calm=20.01'))).toContain('past the bound');
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
    expect(inputError(() => parseSteer('calm='))).toMatch(/must be c or csd .* received ""/);
    expect(inputError(() => parseSteer('calm=two'))).toMatch(/received "two"/);
    expect(inputError(() => parseSteer('calm=NaN'))).toMatch(/received "NaN"/);
  });
});

describe('parseConditions', () => {
  it('parses the design list with canonical ids', () => {
    expect(parseConditions('baseline,desperation=+2,calm=2sd,random=+2,calm=-5%,fear=0.5x')).toEqual([
      { id: 'baseline', steer: [] },
      { id: 'desperation=+2', steer: [{ target: 'desperation', value: 2, unit: 'sd' }] },
      { id: 'calm=+2', steer: [{ target: 'calm', value: 2, unit: 'sd' }] },
      { id: 'random=+2', steer: [{ target: 'random', value: 2, unit: 'sd' }] },
      { id: 'calm=-5%', steer: [{ target: 'calm', value: -5, unit: 'percent' }] },
      { id: 'fear=+0.5x', steer: [{ target: 'fear', value: 0.5, unit: 'multiple' }] },
    ]);
  });

  it('steers several vectors together with &', () => {
    expect(parseConditions('desperate=+1&calm=-1')).toEqual([
      {
        id: 'desperation=+1&calm=-1',
        steer: [
          { target: 'desperation', value: 1, unit: 'sd' },
          { target: 'calm', value: -1, unit: 'sd' },
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
