import { describe, expect, it } from 'vitest';
import { bannedWordsIn, EMOTIONS, loadCorpus } from '../../harness/probes/index.ts';

const corpus = loadCorpus();

describe('the emotion story corpus', () => {
  it('has the twelve emotions, each with at least 40 stories over the same 20+ premises', () => {
    expect(corpus.emotions.map((e) => e.emotion)).toEqual([...EMOTIONS]);
    expect(corpus.premises.length).toBeGreaterThanOrEqual(20);
    const premiseIds = corpus.premises.map((p) => p.id).sort();
    for (const e of corpus.emotions) {
      expect(e.stories.length, e.emotion).toBeGreaterThanOrEqual(40);
      expect([...new Set(e.stories.map((s) => s.premise))].sort(), e.emotion).toEqual(premiseIds);
      for (const p of premiseIds) {
        const persons = e.stories.filter((s) => s.premise === p).map((s) => s.person);
        expect(persons, `${e.emotion} / ${p}`).toContain('first');
        expect(persons, `${e.emotion} / ${p}`).toContain('third');
      }
    }
  });

  it('keeps every story to one paragraph of 60 to 120 words', () => {
    const out = corpus.emotions
      .flatMap((e) => e.stories)
      .filter((s) => {
        const words = s.text.split(/\s+/).length;
        return words < 60 || words > 120 || s.text.includes('\n');
      })
      .map((s) => `${s.emotion}/${s.premise}/${s.person}`);
    expect(out).toEqual([]);
  });

  it('never names a story’s own emotion or its listed synonyms', () => {
    const hits = corpus.emotions.flatMap((e) =>
      e.stories.flatMap((s) =>
        bannedWordsIn(s.text, e.banned).map((w) => `${e.emotion}/${s.premise}/${s.person}: ${w}`),
      ),
    );
    expect(hits).toEqual([]);
  });

  it('has no repeated story', () => {
    const texts = corpus.emotions.flatMap((e) => e.stories.map((s) => s.text));
    expect(new Set(texts).size).toBe(texts.length);
  });

  it('has at least 100 neutral dialogues spread over code, facts and how-to', () => {
    expect(corpus.neutral.length).toBeGreaterThanOrEqual(100);
    for (const topic of ['code', 'facts', 'howto'])
      expect(corpus.neutral.filter((d) => d.topic === topic).length).toBeGreaterThanOrEqual(30);
  });
});

describe('bannedWordsIn', () => {
  it('matches stems at word starts and whole words exactly', () => {
    expect(bannedWordsIn('She was Desperately calling', ['desperat*'])).toEqual(['Desperately']);
    expect(bannedWordsIn('He made a mad dash', ['mad'])).toEqual(['mad']);
    expect(bannedWordsIn('He made it', ['mad'])).toEqual([]);
    expect(bannedWordsIn('the saddle', ['sad'])).toEqual([]);
    expect(bannedWordsIn('unafraid', ['afraid'])).toEqual([]);
  });
});
