export class Fraction {
  constructor(numerator, denominator = 1) {
    throw new Error('not implemented');
  }

  add(other) {
    throw new Error('not implemented');
  }

  multiply(other) {
    throw new Error('not implemented');
  }

  equals(other) {
    throw new Error('not implemented');
  }

  toString() {
    throw new Error('not implemented');
  }
}
