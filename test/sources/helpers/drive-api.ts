import { verify, type KeyObject } from 'node:crypto';
import { FakeApi, type ApiRequest } from './fake-api.js';
import type { Reply } from './site.js';

export interface FakeFile {
  id: string;
  name: string;
  mimeType: string;
  parent: string;
  modifiedTime: string;
  /** A Google Doc's Markdown export, or a file's bytes. */
  content: string | Uint8Array;
}

const FOLDER = 'application/vnd.google-apps.folder';
const GOOGLE_DOC = 'application/vnd.google-apps.document';

/**
 * Google Drive API v3 as documented: `GET /drive/v3/files` with `q` ("'<id>' in parents and trashed =
 * false"), `pageSize` / `pageToken` / `nextPageToken` and `fields`; `GET /drive/v3/files/{id}` (with
 * `alt=media`, the bytes); `GET /drive/v3/files/{id}/export?mimeType=…` for Google Docs; Bearer auth;
 * errors as `{error: {code, message, errors: [{domain, reason, message}], status}}`. `POST /token` is
 * the OAuth token endpoint a service account exchanges its signed JWT at.
 */
export class DriveApi extends FakeApi {
  readonly files = new Map<string, FakeFile>();
  readonly tokens = new Set<string>(['ya29.test-token']);
  /** The service account the token endpoint accepts, with its public key. */
  serviceAccount: { email: string; publicKey: KeyObject } | undefined;

  constructor(private readonly maxPageSize = 3) {
    super();
  }

  folder(id: string, name: string, parent = 'root'): void {
    this.file({ id, name, mimeType: FOLDER, parent, modifiedTime: '2025-01-01T00:00:00.000Z', content: '' });
  }

  file(f: FakeFile): void {
    this.files.set(f.id, f);
  }

  error(code: number, reason: string, message: string, headers: Record<string, string> = {}): Reply {
    const status = { 400: 'INVALID_ARGUMENT', 401: 'UNAUTHENTICATED', 403: 'PERMISSION_DENIED', 404: 'NOT_FOUND', 429: 'RESOURCE_EXHAUSTED', 500: 'INTERNAL' }[code] ?? 'UNKNOWN';
    return this.json(code, { error: { code, message, errors: [{ message, domain: code === 403 || code === 429 ? 'usageLimits' : 'global', reason }], status } }, headers);
  }

  protected answer(req: ApiRequest): Reply {
    if (req.method === 'POST' && req.path === '/token') return this.token(req);
    const auth = req.headers.authorization ?? '';
    if (!this.tokens.has(auth.replace(/^Bearer /, ''))) return this.error(401, 'authError', 'Request had invalid authentication credentials. Expected OAuth 2 access token.');
    if (req.method !== 'GET') return this.error(400, 'badRequest', 'Unsupported method.');
    if (req.path === '/drive/v3/files') return this.list(req);
    const exported = /^\/drive\/v3\/files\/([^/]+)\/export$/.exec(req.path);
    const got = /^\/drive\/v3\/files\/([^/]+)$/.exec(req.path);
    const file = this.files.get((exported ?? got)?.[1] ?? '');
    if (!file) return this.error(404, 'notFound', `File not found: ${(exported ?? got)?.[1]}.`);
    if (exported) {
      if (file.mimeType !== GOOGLE_DOC) return this.error(403, 'fileNotExportable', 'Export only supports Docs Editors files.');
      if (req.query.get('mimeType') !== 'text/markdown') return this.error(400, 'badRequest', 'The requested conversion is not supported.');
      return { headers: { 'content-type': 'text/markdown' }, body: file.content };
    }
    if (req.query.get('alt') === 'media') {
      if (file.mimeType.startsWith('application/vnd.google-apps.')) return this.error(403, 'fileNotDownloadable', 'Only files with binary content can be downloaded. Use Export with Docs Editors files.');
      return { headers: { 'content-type': file.mimeType }, body: file.content };
    }
    return this.json(200, this.resource(file));
  }

  private list(req: ApiRequest): Reply {
    const q = /^'([^']+)' in parents and trashed = false$/.exec(req.query.get('q') ?? '');
    if (!q) return this.error(400, 'invalidQuery', 'Invalid Value');
    if (!(req.query.get('fields') ?? '').includes('nextPageToken')) return this.error(400, 'invalid', 'fields must ask for nextPageToken to paginate');
    const children = [...this.files.values()].filter((f) => f.parent === q[1]);
    const token = req.query.get('pageToken');
    const start = token ? Number(Buffer.from(token, 'base64url').toString()) : 0;
    const end = start + Math.min(Number(req.query.get('pageSize') ?? 100), this.maxPageSize);
    const next = end < children.length ? Buffer.from(String(end)).toString('base64url') : undefined;
    return this.json(200, { kind: 'drive#fileList', incompleteSearch: false, files: children.slice(start, end).map((f) => this.resource(f)), ...(next ? { nextPageToken: next } : {}) });
  }

  private resource(f: FakeFile) {
    const google = f.mimeType.startsWith('application/vnd.google-apps.');
    const webViewLink = f.mimeType === GOOGLE_DOC ? `https://docs.google.com/document/d/${f.id}/edit` : f.mimeType === FOLDER ? `https://drive.google.com/drive/folders/${f.id}` : `https://drive.google.com/file/d/${f.id}/view`;
    return { kind: 'drive#file', id: f.id, name: f.name, mimeType: f.mimeType, modifiedTime: f.modifiedTime, webViewLink, ...(google ? {} : { size: String(typeof f.content === 'string' ? Buffer.byteLength(f.content) : f.content.byteLength) }) };
  }

  /** RFC 7523: a JWT bearer assertion, RS256-signed by the service account, for an access token. */
  private token(req: ApiRequest): Reply {
    const body = (req.body ?? {}) as { grant_type?: string; assertion?: string };
    const [header, payload, signature] = (body.assertion ?? '').split('.');
    const sa = this.serviceAccount;
    const bad = (description: string) => this.json(400, { error: 'invalid_grant', error_description: description });
    if (body.grant_type !== 'urn:ietf:params:oauth:grant-type:jwt-bearer' || !header || !payload || !signature) return bad('Invalid grant or assertion.');
    if (!sa || !verify('RSA-SHA256', Buffer.from(`${header}.${payload}`), sa.publicKey, Buffer.from(signature, 'base64url'))) return bad('Invalid JWT Signature.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { iss?: string; scope?: string };
    if (claims.iss !== sa.email || !claims.scope?.includes('drive.readonly')) return bad('Invalid issuer or scope.');
    const token = `ya29.sa-${this.tokens.size}`;
    this.tokens.add(token);
    return this.json(200, { access_token: token, expires_in: 3599, token_type: 'Bearer' });
  }
}
