import { STOPWORDS, words } from '../../retrieval/text/index.js';

/**
 * Function words of the languages Cairn is most often asked in besides English (French, Spanish,
 * German, Italian, Portuguese, Dutch), diacritics removed as `words` removes them. Words that are
 * also English ("was", "die", "do", "come", "per") are left out, so they never tip an English question.
 */
const FOREIGN: ReadonlySet<string> = new Set(
  `de en le la les des une est et dans combien avec sur comment quel quelle quels quelles pourquoi je nous vous il elle ce cette qui que ne pas du au aux
  mon mes votre notre ou peut faire suis sont
  el los las una es por para con como cual cuando donde yo nosotros usted puedo hacer del al se lo su sus esta estan mi tengo hay
  der das und ist ein eine einen wie wo warum wer ich wir sie nicht mit fur auf kann den dem des zu von im mein meine
  gli della cosa perche sono che di mio mia sul nel
  os um uma onde porque nao com da dos das eu voce posso fazer faco meu minha
  het een hoe wat waar waarom ik wij niet met voor kan mijn`
    .split(/\s+/)
    .filter((w) => w.length > 0 && !STOPWORDS.has(w)),
);

const LETTER = /\p{L}/gu;
const LATIN = /\p{Script=Latin}/gu;

/**
 * Whether a question is (probably) not in English: mostly letters of another script, or more
 * function words of another common language than of English. A cheap rule for deciding whether to
 * add an English search query or say that quotes are in the docs' language; a question it cannot
 * judge (a few keywords, a command name) counts as English, which changes nothing.
 */
export function notEnglish(text: string): boolean {
  const letters = text.match(LETTER)?.length ?? 0;
  if (letters === 0) return false;
  const latin = text.match(LATIN)?.length ?? 0;
  if (latin / letters < 0.5) return true;
  let english = 0;
  let foreign = 0;
  for (const word of words(text)) {
    if (STOPWORDS.has(word)) english += 1;
    else if (FOREIGN.has(word)) foreign += 1;
  }
  return foreign > english;
}
