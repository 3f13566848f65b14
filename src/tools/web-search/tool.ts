import { tool } from '@langchain/core/tools';
import { z } from 'zod';
import type { Logger } from '../../core/logger.js';
import { isCairnError } from '../../core/errors.js';
import type { WebResult, WebSearchProvider } from './provider.js';

export const WEB_SEARCH_TOOL_NAME = 'web_search';

/**
 * What `web_search` returns. The ToolMessage content is this object as JSON text, and the same object is
 * the ToolMessage's `artifact` (responseFormat "content_and_artifact"), so the graph can read results
 * without parsing. `n` numbers results within one call only; the agent renumbers when it merges web
 * results with document citations, and cites a web result by its `url` (chunkId `web:<url>`).
 *
 *   {"results":[{"n":1,"title":"…","url":"https://…","snippet":"…"}]}
 *
 * On failure the content is text starting "Error:" and the artifact is { results: [] }.
 */
export interface WebSearchToolOutput {
  results: Array<WebResult & { n: number }>;
}

const schema = z.object({
  query: z.string().describe('What to search the public web for, as a short search-engine query.'),
});

export function createWebSearchTool(provider: WebSearchProvider, options: { limit?: number; logger?: Logger } = {}) {
  const limit = options.limit ?? 5;
  return tool(
    async ({ query }, config): Promise<[string, WebSearchToolOutput]> => {
      if (query.trim() === '') return ['Error: the query is empty', { results: [] }];
      try {
        const found = await provider.search(query.trim(), { limit, signal: config?.signal });
        const output: WebSearchToolOutput = { results: found.map((r, i) => ({ n: i + 1, ...r })) };
        return [JSON.stringify(output), output];
      } catch (err) {
        options.logger?.warn({ provider: provider.name, code: isCairnError(err) ? err.code : 'INTERNAL' }, 'web search failed');
        const reason = isCairnError(err) ? err.message : `Web search (${provider.name}) failed`;
        return [`Error: ${reason}. Answer from the documents, or say the web could not be searched.`, { results: [] }];
      }
    },
    {
      name: WEB_SEARCH_TOOL_NAME,
      description:
        'Searches the public web. Use it only when the question is about something outside the organisation\'s documents ' +
        '(news, public facts, third-party products). Returns numbered results; cite them by number like [n], ' +
        'as with document passages.',
      schema,
      responseFormat: 'content_and_artifact',
    },
  );
}
