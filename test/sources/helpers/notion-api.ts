import { FakeApi, type ApiRequest } from './fake-api.js';
import type { Reply } from './site.js';

/** A block as a test writes it; the fake serves it in Notion's block object shape. */
export interface FakeBlock {
  type: string;
  text?: string;
  children?: FakeBlock[];
  language?: string;
  checked?: boolean;
  /** table: rows of cell texts; the first is the header. */
  rows?: string[][];
}

export interface FakePage {
  id: string;
  title: string;
  lastEdited: string;
  blocks: FakeBlock[];
  /** A row of this data source (a database) rather than a workspace page. */
  dataSource?: string;
}

/**
 * The Notion API (version 2025-09-03) as documented: `POST /v1/search` and `POST
 * /v1/data_sources/{id}/query` paginated with `start_cursor` / `next_cursor` / `has_more`, `GET
 * /v1/blocks/{id}/children` likewise, Bearer auth and a `Notion-Version` header required, and errors
 * as `{object: "error", status, code, message}`. `maxPageSize` makes small fixtures paginate.
 */
export class NotionApi extends FakeApi {
  readonly pages = new Map<string, FakePage>();
  readonly dataSources = new Map<string, string>();
  /** Answer searches as Notion does when a query matched more than it will return. */
  incomplete = false;

  constructor(
    readonly token = 'ntn_test_token',
    private readonly maxPageSize = 2,
  ) {
    super();
  }

  page(p: FakePage): void {
    this.pages.set(p.id, p);
  }

  error(status: number, code: string, message: string, headers: Record<string, string> = {}): Reply {
    return this.json(status, { object: 'error', status, code, message, request_id: 'req-fake' }, headers);
  }

  protected answer(req: ApiRequest): Reply {
    if (req.headers.authorization !== `Bearer ${this.token}`) return this.error(401, 'unauthorized', 'API token is invalid.');
    if (!req.headers['notion-version']) return this.error(400, 'missing_version', 'Notion-Version header failed validation.');
    const body = (req.body ?? {}) as { start_cursor?: string; page_size?: number };
    if (req.method === 'POST' && req.path === '/v1/search') {
      const all = [...[...this.pages.values()].filter((p) => !p.dataSource).map((p) => this.pageObject(p)), ...[...this.dataSources].map(([id, title]) => dataSourceObject(id, title))];
      const reply = this.list(all, body.start_cursor, body.page_size, 'page_or_data_source');
      if (!this.incomplete) return reply;
      return { ...reply, body: JSON.stringify({ ...JSON.parse(reply.body as string), request_status: { type: 'incomplete', incomplete_reason: 'query_result_limit_reached' } }) };
    }
    const query = /^\/v1\/data_sources\/([^/]+)\/query$/.exec(req.path);
    if (req.method === 'POST' && query) {
      if (!this.dataSources.has(query[1]!)) return this.error(404, 'object_not_found', `Could not find data_source with ID: ${query[1]}.`);
      const rows = [...this.pages.values()].filter((p) => p.dataSource === query[1]).map((p) => this.pageObject(p));
      return this.list(rows, body.start_cursor, body.page_size, 'page_or_data_source');
    }
    const children = /^\/v1\/blocks\/([^/]+)\/children$/.exec(req.path);
    if (req.method === 'GET' && children) {
      const blocks = this.childrenOf(children[1]!);
      if (!blocks) return this.error(404, 'object_not_found', `Could not find block with ID: ${children[1]}. Make sure the relevant pages and databases are shared with your integration.`);
      const size = Number(req.query.get('page_size') ?? 100);
      return this.list(blocks.map(([id, b]) => blockObject(id, b)), req.query.get('start_cursor') ?? undefined, size, 'block');
    }
    return this.error(400, 'invalid_request_url', 'Invalid request URL.');
  }

  private list(results: Array<{ id: string }>, cursor: string | undefined, pageSize = 100, type: string): Reply {
    const start = cursor ? results.findIndex((r) => r.id === cursor) : 0;
    if (start < 0) return this.error(400, 'validation_error', 'start_cursor is invalid.');
    const end = start + Math.min(pageSize, 100, this.maxPageSize);
    const next = results[end]?.id ?? null;
    return this.json(200, { object: 'list', results: results.slice(start, end), next_cursor: next, has_more: next !== null, type, [type]: {} });
  }

  /** A page's or a block's children with their ids (`<page>.<index>.<index>…`). */
  private childrenOf(id: string): Array<[string, FakeBlock]> | undefined {
    const [pageId, ...path] = id.split('.');
    const page = this.pages.get(pageId!);
    if (!page) return undefined;
    let blocks = page.blocks;
    for (const i of path) blocks = blocks[Number(i)]?.children ?? [];
    return blocks.map((b, i) => [`${id}.${i}`, b]);
  }

  private pageObject(p: FakePage) {
    const slug = p.title.replace(/\W+/g, '-');
    return {
      object: 'page',
      id: p.id,
      created_time: '2025-01-01T00:00:00.000Z',
      last_edited_time: p.lastEdited,
      created_by: { object: 'user', id: 'u1' },
      last_edited_by: { object: 'user', id: 'u1' },
      cover: null,
      icon: null,
      parent: p.dataSource ? { type: 'data_source_id', data_source_id: p.dataSource } : { type: 'workspace', workspace: true },
      archived: false,
      in_trash: false,
      is_locked: false,
      properties: { [p.dataSource ? 'Name' : 'title']: { id: 'title', type: 'title', title: richText(p.title) } },
      url: `https://www.notion.so/${slug}-${p.id.replace(/-/g, '')}`,
      public_url: null,
    };
  }
}

function dataSourceObject(id: string, title: string) {
  return { object: 'data_source', id, title: richText(title), description: [], properties: {}, parent: { type: 'database_id', database_id: `db-${id}` }, database_parent: { type: 'workspace', workspace: true }, created_time: '2025-01-01T00:00:00.000Z', last_edited_time: '2025-01-01T00:00:00.000Z', archived: false, in_trash: false, is_inline: false, url: `https://www.notion.so/${id}` };
}

function blockObject(id: string, b: FakeBlock) {
  const common = { object: 'block', id, parent: { type: 'page_id', page_id: id.split('.')[0] }, created_time: '2025-01-01T00:00:00.000Z', last_edited_time: '2025-01-01T00:00:00.000Z', created_by: { object: 'user', id: 'u1' }, last_edited_by: { object: 'user', id: 'u1' }, archived: false, in_trash: false, type: b.type };
  if (b.type === 'table') {
    return { ...common, has_children: true, table: { table_width: b.rows?.[0]?.length ?? 0, has_column_header: true, has_row_header: false } };
  }
  if (b.type === 'table_row') return { ...common, has_children: false, table_row: { cells: (b.rows?.[0] ?? []).map((c) => richText(c)) } };
  const content: Record<string, unknown> = { rich_text: richText(b.text ?? ''), color: 'default' };
  if (b.type === 'code') content.language = b.language ?? 'plain text';
  if (b.type === 'to_do') content.checked = b.checked ?? false;
  if (b.type === 'child_page') return { ...common, has_children: false, child_page: { title: b.text ?? '' } };
  if (b.type === 'divider') return { ...common, has_children: false, divider: {} };
  return { ...common, has_children: (b.children?.length ?? 0) > 0, [b.type]: content };
}

function richText(text: string) {
  if (text === '') return [];
  return [{ type: 'text', text: { content: text, link: null }, annotations: { bold: false, italic: false, strikethrough: false, underline: false, code: false, color: 'default' }, plain_text: text, href: null }];
}

/** A table block as the fake serves it: a `table` whose children are one `table_row` per row. */
export function tableBlock(rows: string[][]): FakeBlock {
  return { type: 'table', rows, children: rows.map((r) => ({ type: 'table_row', rows: [r] })) };
}
