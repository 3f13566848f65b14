import type { Config } from '../../config/config.js';
import { ConfigError } from '../../core/errors.js';
import { BraveProvider } from './brave.js';
import type { WebSearchProvider } from './provider.js';
import { SearXNGProvider } from './searxng.js';
import { TavilyProvider } from './tavily.js';

/**
 * The configured provider, or null when WEB_SEARCH_PROVIDER is "none" (the agent then offers no web
 * search tool). WEB_SEARCH_BASE_URL, when set, replaces the provider's API origin (a proxy, a test server).
 */
export function createWebSearchProvider(cfg: Config['webSearch'], options: { timeoutMs?: number } = {}): WebSearchProvider | null {
  const http = { baseUrl: cfg.baseUrl, timeoutMs: options.timeoutMs };
  switch (cfg.provider) {
    case 'none':
      return null;
    case 'tavily':
      return new TavilyProvider(required(cfg.tavilyApiKey, 'TAVILY_API_KEY', 'tavily'), http);
    case 'brave':
      return new BraveProvider(required(cfg.braveApiKey, 'BRAVE_API_KEY', 'brave'), http);
    case 'searxng':
      return new SearXNGProvider(cfg.baseUrl ?? required(cfg.searxngUrl, 'SEARXNG_URL', 'searxng'), http);
  }
}

function required(value: string | undefined, variable: string, provider: string): string {
  if (value === undefined || value === '') {
    throw new ConfigError(`Invalid configuration:\n  WEB_SEARCH_PROVIDER: "${provider}" needs ${variable}`);
  }
  return value;
}
