/**
 * A word-list sentiment score for the steering sanity check: does `happiness=+c` make generated text
 * read more positive than `-c`? Deliberately crude and transparent; a reader can check every count.
 */

const POSITIVE = new Set(
  (
    'happy glad joy joyful smile smiled smiles smiling laugh laughed laughing laughter love loved lovely ' +
    'wonderful great good best beautiful bright sunny warm delight delighted delightful fun excited exciting ' +
    'cheerful grateful thankful hope hopeful kind friendly sweet proud celebrate celebrated celebration win won ' +
    'success amazing awesome fantastic perfect pleasant nice enjoy enjoyed enjoying peaceful calm gentle ' +
    'treasure favorite favourite dance danced dancing sing sang singing hug hugged play played playing yay'
  ).split(' '),
);

const NEGATIVE = new Set(
  (
    'sad sadly unhappy cry cried crying tears tear alone lonely lost loss grief dark dead death die died dying ' +
    'pain painful hurt hurts afraid fear scared angry anger hate hated terrible awful bad worst horrible ' +
    'miserable sorrow gloomy cold broken fail failed failure sick ill worried worry anxious upset disappointed ' +
    'empty grey gray tired weak wrong problem problems trouble hopeless despair nervous stress stressed ' +
    'sorry regret guilty ashamed mourn mourning funeral scream screamed'
  ).split(' '),
);

export interface SentimentScore {
  positive: number;
  negative: number;
  words: number;
  /** (positive - negative) / words: 0 for neutral or empty text. */
  score: number;
}

export function sentimentScore(text: string): SentimentScore {
  const words = text.toLowerCase().match(/[a-z]+(?:'[a-z]+)?/g) ?? [];
  let positive = 0;
  let negative = 0;
  for (const w of words) {
    if (POSITIVE.has(w)) positive++;
    else if (NEGATIVE.has(w)) negative++;
  }
  return {
    positive,
    negative,
    words: words.length,
    score: words.length === 0 ? 0 : (positive - negative) / words.length,
  };
}
