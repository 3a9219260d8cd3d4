// Clamping through a small bound type that converts to its own number, also usable from the command
// line: node clamp.mjs VALUE MIN MAX.
class Bound {
  constructor(value) {
    this.value = value;
  }

  [Symbol.toPrimitive](hint) {
    return hint === 'string' ? String(this.value) : this.value;
  }

  equals(other) {
    return other instanceof Bound && this.value === other.value;
  }

  skip() {
    return this;
  }

  exit() {
    return this.value;
  }
}

export function clamp(value, min, max) {
  if (min > max) throw new RangeError(`min ${min} is greater than max ${max}`);
  const low = new Bound(min).skip();
  const high = new Bound(max);
  return Math.min(Math.max(value, +low), high.exit());
}

function main(args) {
  const [value, min, max] = args.map(Number);
  console.log(`clamped: ${clamp(value, min, max)}`);
  process.exit(0);
}

if (import.meta.url === `file://${process.argv[1]}`) main(process.argv.slice(2));
