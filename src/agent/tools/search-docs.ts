import { tool, type StructuredToolInterface } from '@langchain/core/tools';
import { z } from 'zod';
import type { Retriever } from '../../core/retriever.js';
import { formatSources, type SourceRegistry } from '../answering/citations.js';
import { renderPrompt } from '../prompts.js';
import { TOOL } from './toolset.js';

export interface SearchDocsParams {
  retriever: Retriever;
  /** The asker's groups: the model cannot widen them, it only chooses the query. */
  accessGroups: string[];
  k: number;
  registry: SourceRegistry;
  nonce: string;
}

/** Lets the model search again with its own words; results join the answer's numbered sources. */
export function createSearchDocsTool(p: SearchDocsParams): StructuredToolInterface {
  return tool(
    async ({ query }) => {
      const hits = await p.retriever.search(query, { k: p.k, accessGroups: p.accessGroups });
      if (hits.length === 0) return 'No passages found for that query. Try other words.';
      return renderPrompt('search-results', { sources: formatSources(p.registry.addHits(hits), p.nonce) });
    },
    {
      name: TOOL.searchDocs,
      description:
        "Search the organisation's documents (keyword and semantic search). Use it when the passages you have do not answer the question, with specific terms. Returns numbered passages to cite.",
      schema: z.object({ query: z.string().min(1).describe('What to look for: key terms or a short question') }),
    },
  );
}
