import picomatch from 'picomatch';
import robotsParserModule from 'robots-parser';
import { CairnError } from '../../core/errors.js';
import type { HttpClient } from './http.js';
import { getText } from './sitemap.js';

export const USER_AGENT_TOKEN = 'Cairn';

// robots-parser is CommonJS whose typings declare an ES default export: under NodeNext the default
// import is `module.exports`, the function itself, whatever the typings say.
const robotsParser = robotsParserModule as unknown as typeof robotsParserModule.default;

export interface ScopeSettings {
  /** The site's start URL; pages outside its origin and path are not the source's. */
  url: string;
  /** Globs on the URL path (`/docs/**`), as in the folder source. */
  include: string[];
  exclude: string[];
}

/** Which URLs a web source may list: its origin, under its start path, the globs, and robots.txt. */
export interface Scope {
  /** Why a URL is out, or undefined when it is in. */
  reject(url: string): 'origin' | 'pattern' | 'robots' | undefined;
  /** robots.txt's `Sitemap:` lines: where the site says its sitemaps are. */
  sitemaps: string[];
}

/**
 * Reads robots.txt once per listing. A missing one (any 4xx) allows everything; a 5xx stops the listing
 * (RFC 9309: the site may be down, so assume everything is disallowed rather than crawl it blind).
 */
export async function loadScope(http: HttpClient, settings: ScopeSettings, signal?: AbortSignal): Promise<Scope> {
  const start = new URL(settings.url);
  const robotsUrl = new URL('/robots.txt', start).toString();
  const got = await getText(http, robotsUrl, signal);
  if ('status' in got && got.status !== undefined && got.status >= 500) {
    throw new CairnError('INGEST', `${robotsUrl} answered HTTP ${got.status}: the listing stopped (nothing was deleted); the next sync tries again.`);
  }
  const robots = robotsParser(robotsUrl, 'text' in got ? got.text : '');
  const delay = robots.getCrawlDelay(USER_AGENT_TOKEN);
  if (delay !== undefined) http.slowTo(delay);
  const prefix = start.pathname.endsWith('/') ? start.pathname : start.pathname.replace(/[^/]*$/, '');
  const include = settings.include.length > 0 ? picomatch(settings.include) : () => true;
  const exclude = settings.exclude.length > 0 ? picomatch(settings.exclude) : () => false;
  return {
    sitemaps: robots.getSitemaps(),
    reject(url) {
      let u: URL;
      try {
        u = new URL(url);
      } catch {
        return 'origin';
      }
      if (u.origin !== start.origin || !u.pathname.startsWith(prefix)) return 'origin';
      if (!include(u.pathname) || exclude(u.pathname)) return 'pattern';
      if (robots.isAllowed(url, USER_AGENT_TOKEN) === false) return 'robots';
      return undefined;
    },
  };
}
