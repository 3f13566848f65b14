/**
 * English function words dropped from queries: NLTK's list (without the apostrophe forms, which the
 * tokenizer splits anyway) plus a few more conjunctions and modals. Kept short on purpose: BM25's IDF
 * already discounts common words, this list only stops them from pulling in noise matches.
 */
export const STOPWORDS: ReadonlySet<string> = new Set(
  `a about above after again against ain all also although am among an and any are aren as at
  be because been before being below between both but by can could couldn d did didn do does doesn doing
  don down during each either few for from further had hadn has hasn have haven having he her here hers
  herself him himself his how i if in into is isn it its itself just ll m ma me might mightn more most must
  mustn my myself needn neither no nor not now o of off on once only onto or other our ours ourselves out
  over own re s same shall shan she should shouldn since so some such t than that the their theirs them
  themselves then there these they this those though through to too under unless until up upon us ve very
  via was wasn we were weren what when where whether which while who whom why will with within without won
  would wouldn y yet you your yours yourself yourselves`
    .split(/\s+/)
    .filter((w) => w.length > 0),
);
