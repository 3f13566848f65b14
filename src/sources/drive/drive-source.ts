import { setTimeout as sleep } from 'node:timers/promises';
import { drive, type drive_v3 } from '@googleapis/drive';
import picomatch from 'picomatch';
import type { DriveAuth, DriveFolder } from '../../config/sources.js';
import type { SourceDocument } from '../../core/documents.js';
import { CairnError } from '../../core/errors.js';
import { CHUNKER_VERSION, type ChunkSettings } from '../../ingest/chunker.js';
import { isInputRejected, type IngestFailure } from '../../ingest/failures.js';
import { buildDocument } from '../../ingest/loaders/document.js';
import { loadMarkdown } from '../../ingest/loaders/markdown.js';
import { loadPdf } from '../../ingest/loaders/pdf.js';
import { decodeText, formatBytes } from '../../ingest/validate.js';
import { SourceFailed } from '../errors.js';
import type { FetchResult, ListPage, Source, SourceItem } from '../source.js';
import { retryAfterMs } from '../rate-limit.js';
import { driveAuth } from './auth.js';
import { FILE_REFUSALS, googleError, header, rateLimited } from './google-errors.js';

export interface DriveSettings {
  /** https://www.googleapis.com/, or a local fake in tests. */
  baseUrl: string;
  folders: DriveFolder[];
  auth: DriveAuth;
  include: string[];
  exclude: string[];
  /** Named in the 401/403 message: the setting that holds the credentials. */
  authHint: string;
}

export interface DriveContext {
  chunking: ChunkSettings;
  maxBytes: number;
}

const FOLDER = 'application/vnd.google-apps.folder';
const GOOGLE_DOC = 'application/vnd.google-apps.document';
const FIELDS = 'nextPageToken, files(id, name, mimeType, modifiedTime, webViewLink, size)';
const MAX_RETRIES = 4;
const MAX_WAIT_MS = 120_000;

/** A folder still to list: its id, its path under the configured folder (for globs) and its group. */
interface Pending {
  id: string;
  path: string;
  group?: string;
}

interface Cursor {
  queue: Pending[];
  seen: string[];
  pageToken?: string;
}

interface Listed {
  file: drive_v3.Schema$File;
  format: 'gdoc' | 'pdf' | 'markdown';
  path: string;
  group?: string;
}

/**
 * The files of chosen Google Drive folders and their subfolders: Google Docs exported as Markdown,
 * PDFs and Markdown files downloaded and read by the same loaders as local files. An item's version
 * is its `modifiedTime` (and its folder's group), so an unchanged file is not downloaded again; its
 * `webViewLink` is the citation. Each configured folder may carry its own access group.
 */
export function driveSource(id: string, settings: DriveSettings, ctx: DriveContext): Source {
  const tag = `${CHUNKER_VERSION}/${ctx.chunking.chunkSize}/${ctx.chunking.chunkOverlap}`;
  const include = settings.include.length > 0 ? picomatch(settings.include) : () => true;
  const exclude = settings.exclude.length > 0 ? picomatch(settings.exclude) : () => false;
  const listed = new Map<string, Listed>();
  const groups = new Map<string, { part: string; group: string }>();
  let client: drive_v3.Drive | undefined;
  let requests = 0;

  async function api(): Promise<drive_v3.Drive> {
    client ??= drive({ version: 'v3', auth: await driveAuth(settings.auth, settings.authHint), rootUrl: withSlash(settings.baseUrl), retry: false });
    return client;
  }

  /** One API call: a rate limit (429, or 403 `rateLimitExceeded`) is waited out; refused credentials stop the source. */
  async function call<T>(request: (d: drive_v3.Drive) => Promise<{ data: T }>, signal?: AbortSignal): Promise<T> {
    const d = await api();
    for (let attempt = 0; ; attempt++) {
      requests++;
      try {
        return (await request(d)).data;
      } catch (err) {
        const { status, reason, message } = googleError(err);
        if (rateLimited(status, reason) && attempt < MAX_RETRIES) {
          const wait = Math.min(retryAfterMs(header(err, 'retry-after')) ?? 1000 * 2 ** attempt, MAX_WAIT_MS);
          await sleep(wait, undefined, { signal });
          continue;
        }
        if (status === 401 || (status === 403 && !FILE_REFUSALS.has(reason ?? ''))) {
          throw new SourceFailed(`Google Drive answered ${status}${reason ? ` ${reason}` : ''} (${message}): check ${settings.authHint}. Its documents are kept.`, { cause: err });
        }
        throw err;
      }
    }
  }

  function classify(file: drive_v3.Schema$File): Listed['format'] | undefined {
    if (file.mimeType === GOOGLE_DOC) return 'gdoc';
    if (file.mimeType === 'application/pdf') return 'pdf';
    if (/^text\/(x-)?markdown$/.test(file.mimeType ?? '') || /\.(md|markdown)$/i.test(file.name ?? '')) return 'markdown';
    return undefined;
  }

  async function* listFolders(cursor: Cursor, signal?: AbortSignal): AsyncIterable<ListPage> {
    while (cursor.queue.length > 0) {
      const folder = cursor.queue[0]!;
      if (cursor.pageToken === undefined) await checkFolder(folder, signal);
      const res = await call((d) => d.files.list({ q: `'${folder.id}' in parents and trashed = false`, fields: FIELDS, pageSize: 100, supportsAllDrives: true, includeItemsFromAllDrives: true, ...(cursor.pageToken ? { pageToken: cursor.pageToken } : {}) }, { signal }), signal);
      const items: SourceItem[] = [];
      const failures: IngestFailure[] = [];
      for (const file of res.files ?? []) {
        if (!file.id || !file.name) continue;
        const path = `${folder.path}${file.name}`;
        if (file.mimeType === FOLDER) {
          if (!cursor.seen.includes(file.id)) {
            cursor.seen.push(file.id);
            cursor.queue.push({ id: file.id, path: `${path}/`, ...(folder.group ? { group: folder.group } : {}) });
          }
          continue;
        }
        if (!include(path) || exclude(path)) continue;
        const format = classify(file);
        if (!format) {
          failures.push({ source: file.webViewLink ?? path, reason: 'unsupported', detail: `${file.mimeType ?? 'unknown type'}: only Google Docs, PDFs and Markdown files are read` });
          continue;
        }
        listed.set(file.id, { file, format, path, ...(folder.group ? { group: folder.group } : {}) });
        items.push({ id: file.id, version: `${file.modifiedTime ?? ''}|${folder.group ?? ''}|${tag}`, ...(file.webViewLink ? { url: file.webViewLink } : {}), title: file.name });
      }
      if (res.nextPageToken) cursor.pageToken = res.nextPageToken;
      else {
        cursor.queue.shift();
        delete cursor.pageToken;
      }
      yield { items, failures, cursor: cursor.queue.length > 0 ? JSON.stringify(cursor) : null };
    }
  }

  /** A configured folder that is gone or not shared makes every file in it look deleted: stop instead. */
  async function checkFolder(folder: Pending, signal?: AbortSignal): Promise<void> {
    if (folder.path !== '') return;
    try {
      await call((d) => d.files.get({ fileId: folder.id, fields: 'id, mimeType', supportsAllDrives: true }, { signal }), signal);
    } catch (err) {
      if (googleError(err).status === 404) throw new SourceFailed(`Google Drive has no folder ${folder.id} that these credentials can see: fix \`folders\` of source "${id}", or share the folder with them. Its documents are kept.`, { cause: err });
      throw err;
    }
  }

  async function download(item: Listed, signal?: AbortSignal): Promise<Uint8Array> {
    const fileId = item.file.id!;
    const data = await call<ArrayBuffer>(
      (d) =>
        item.format === 'gdoc'
          ? (d.files.export({ fileId, mimeType: 'text/markdown' }, { responseType: 'arraybuffer', signal }) as unknown as Promise<{ data: ArrayBuffer }>)
          : (d.files.get({ fileId, alt: 'media', supportsAllDrives: true }, { responseType: 'arraybuffer', signal }) as unknown as Promise<{ data: ArrayBuffer }>),
      signal,
    );
    return new Uint8Array(data);
  }

  async function read(item: Listed, bytes: Uint8Array): Promise<SourceDocument> {
    const file = { absPath: '', source: item.path, format: item.format === 'pdf' ? 'pdf' : 'markdown' } as const;
    const loaded = item.format === 'pdf' ? await loadPdf(bytes, file, ctx) : loadMarkdown(decodeText(bytes), file, ctx);
    // A Google Doc has no file extension to strip: its name is its title unless it starts with one.
    const title = item.format === 'gdoc' && loaded.title === item.path.split('/').pop() ? item.file.name! : loaded.title;
    const { hash: _hash, ...fields } = loaded;
    const docId = `gdrive:${item.file.id}`;
    return buildDocument({ ...fields, id: docId, source: docId, title, ...(item.file.webViewLink ? { url: item.file.webViewLink } : {}) }, ctx.chunking);
  }

  return {
    id,
    type: 'google-drive',
    async *list(lctx) {
      const cursor: Cursor = lctx.cursor ? (JSON.parse(lctx.cursor) as Cursor) : { queue: settings.folders.map((f) => ({ id: f.id, path: '', ...(f.accessGroup ? { group: f.accessGroup } : {}) })), seen: settings.folders.map((f) => f.id) };
      try {
        yield* listFolders(cursor, lctx.signal);
      } catch (err) {
        if (err instanceof SourceFailed) throw err;
        throw new CairnError('INGEST', `Google Drive's listing failed (${googleError(err).message}): it stopped part-way, so nothing was deleted; the next sync resumes here.`, { cause: err });
      }
    },
    async fetch(item, _previous, fctx): Promise<FetchResult> {
      const found = listed.get(item.id);
      if (!found) return { kind: 'failed', failure: { source: item.url ?? item.id, reason: 'not_found', detail: 'not listed in this run' } };
      const source = found.file.webViewLink ?? found.path;
      const size = Number(found.file.size ?? NaN);
      if (size > ctx.maxBytes) return { kind: 'failed', failure: { source, reason: 'oversized', detail: `${formatBytes(size)} > ${formatBytes(ctx.maxBytes)} limit` } };
      try {
        const bytes = await download(found, fctx.signal);
        if (bytes.byteLength > ctx.maxBytes) return { kind: 'failed', failure: { source, reason: 'oversized', detail: `${formatBytes(bytes.byteLength)} > ${formatBytes(ctx.maxBytes)} limit` } };
        const document = await read(found, bytes);
        if (found.group) groups.set(document.id, { part: `Drive folder ${found.path || '/'}`, group: found.group });
        return { kind: 'documents', documents: [document], failures: [], state: {} };
      } catch (err) {
        if (err instanceof SourceFailed) throw err;
        if (isInputRejected(err)) return { kind: 'failed', failure: { source, reason: err.reason, detail: err.detail } };
        const { status, reason, message } = googleError(err);
        if (reason === 'exportSizeLimitExceeded') return { kind: 'failed', failure: { source, reason: 'oversized', detail: message } };
        if (status !== undefined) return { kind: 'failed', failure: { source, reason: status === 404 ? 'not_found' : 'http_error', detail: `HTTP ${status}${reason ? ` ${reason}` : ''}: ${message}` } };
        return { kind: 'failed', failure: { source, reason: 'corrupt', detail: message } };
      }
    },
    groupOf: (docId) => groups.get(docId),
    stats: () => ({ requests }),
  };
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
