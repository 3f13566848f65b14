/**
 * What `/ask` was given. Slack slash commands carry one line of free text and no options, so a
 * leading word `private` asks for an answer only the asker sees: `/ask private how do I …?`.
 * A question that itself starts with the word "private" needs another first word.
 */
export function parseAskText(text: string): { private: boolean; question: string } {
  const m = /^private(?:\s+|$)/i.exec(text.trim());
  return m ? { private: true, question: text.trim().slice(m[0].length).trim() } : { private: false, question: text.trim() };
}
