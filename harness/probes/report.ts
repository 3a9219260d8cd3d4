/** The validation result as a Markdown report (the JSON form is the result itself). */
import { EMOTIONS } from './emotions.ts';
import type { ValidationResult } from './validate.ts';

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
const num = (x: number) => (Number.isNaN(x) ? 'n/a' : x.toFixed(2));

export function renderValidationReport(r: ValidationResult): string {
  const rec = r.layers.find((l) => l.layer === r.recommendedLayer)!;
  const lines = [
    '# Emotion vector validation',
    '',
    `Model sha256 \`${r.modelSha256}\`, token offset ${r.tokenOffset}.`,
    `Held-out premises: ${r.heldOutPremises.join(', ')} (${r.testStories} stories; vectors rebuilt from the other ${r.trainStories}).`,
    `Chance is ${pct(r.chance)}; the target is three times chance (${pct(3 * r.chance)}).`,
    '',
    `**Recommended layer: ${r.recommendedLayer}** (held-out accuracy ${pct(rec.accuracy)}, ` +
      `${rec.accuracy >= 3 * r.chance ? 'meets' : 'does not meet'} the target).`,
    '',
    '## Per layer',
    '',
    '| layer | held-out accuracy | correct | PC1 share | PC2 share | PC1 vs valence abs(r) | PC2 vs arousal abs(r) |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...r.layers.map(
      (l) =>
        `| ${l.layer} | ${pct(l.accuracy)} | ${l.correct}/${l.total} | ${pct(l.pcExplained[0])} | ` +
        `${pct(l.pcExplained[1])} | ${num(l.valenceR)} | ${num(l.arousalR)} |`,
    ),
    '',
    `## Confusion at layer ${r.recommendedLayer} (rows: true emotion, columns: nearest vector)`,
    '',
    `| | ${EMOTIONS.map((e) => e.slice(0, 5)).join(' | ')} |`,
    `| --- | ${EMOTIONS.map(() => '---:').join(' | ')} |`,
    ...EMOTIONS.map((e, i) => `| ${e} | ${rec.confusion[i]!.join(' | ')} |`),
    '',
  ];
  return lines.join('\n');
}
