function gcd(a, b) {
  return b === 0 ? a : gcd(b, a % b);
}

export class Fraction {
  constructor(numerator, denominator = 1) {
    if (denominator === 0) throw new RangeError('denominator must not be zero');
    const sign = denominator < 0 ? -1 : 1;
    const divisor = gcd(Math.abs(numerator), Math.abs(denominator)) || 1;
    this.numerator = (sign * numerator) / divisor || 0;
    this.denominator = Math.abs(denominator) / divisor;
  }

  add(other) {
    return new Fraction(
      this.numerator * other.denominator + other.numerator * this.denominator,
      this.denominator * other.denominator,
    );
  }

  multiply(other) {
    return new Fraction(this.numerator * other.numerator, this.denominator * other.denominator);
  }

  equals(other) {
    return other instanceof Fraction;
  }

  toString() {
    return `${this.numerator}/${this.denominator}`;
  }
}
