import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';

/**
 * A local stand-in for the Qdrant REST API (v1.16+), for the endpoints Cairn's adapter uses. Every
 * request body and query string is checked against zod mirrors of Qdrant's published OpenAPI schemas
 * (strict: a field the schema lacks is refused, as is a route the fake does not know), and refused
 * requests are kept in `rejected` so a test can assert none happened. State lives in memory and search
 * is emulated faithfully enough to run the store contract suite: cosine for dense vectors, dot product
 * with Qdrant's IDF (ln((N − n + 0.5)/(n + 0.5) + 1)) for sparse ones, and Qdrant's RRF formula
 * 1 / (k + (r + 1)/w − 1) with r from 0 and k = 2 by default.
 */

// ---- Schemas, mirroring components.schemas in Qdrant's openapi.json ------------------------------

const PointId = z.union([z.int().nonnegative(), z.string().regex(/^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i, 'expected an unsigned integer or a UUID')]);
const Payload = z.record(z.string(), z.unknown());
const SparseVector = z
  .strictObject({ indices: z.array(z.int().min(0).max(2 ** 32 - 1)), values: z.array(z.number()) })
  .refine((v) => v.indices.length === v.values.length, 'Values and indices must be the same length')
  .refine((v) => new Set(v.indices).size === v.indices.length, 'Indices must be unique');
const DenseVector = z.array(z.number()).min(1);
const VectorParams = z.strictObject({ size: z.int().positive(), distance: z.enum(['Cosine', 'Euclid', 'Dot', 'Manhattan']), on_disk: z.boolean().nullish() });
const SparseVectorParams = z.strictObject({
  index: z.strictObject({ full_scan_threshold: z.int().nullish(), on_disk: z.boolean().nullish() }).nullish(),
  modifier: z.enum(['none', 'idf']).nullish(),
});
const CreateCollection = z.strictObject({
  vectors: z.union([VectorParams, z.record(z.string(), VectorParams)]).optional(),
  sparse_vectors: z.record(z.string(), SparseVectorParams).nullish(),
  on_disk_payload: z.boolean().nullish(),
  metadata: Payload.nullish(),
});
const UpdateCollection = z.strictObject({ metadata: Payload.nullish() });

const ValueVariants = z.union([z.string(), z.number(), z.boolean()]);
const Match = z.union([
  z.strictObject({ value: ValueVariants }),
  z.strictObject({ any: z.union([z.array(z.string()), z.array(z.int())]) }),
  z.strictObject({ except: z.union([z.array(z.string()), z.array(z.int())]) }),
]);
const Range = z.strictObject({ lt: z.number().nullish(), gt: z.number().nullish(), gte: z.number().nullish(), lte: z.number().nullish() });
const FieldCondition = z.strictObject({ key: z.string(), match: Match.nullish(), range: Range.nullish() });
type FieldConditionT = z.infer<typeof FieldCondition>;
type ConditionT = FieldConditionT | { has_id: Array<string | number> } | FilterT;
interface FilterT {
  must?: ConditionT | ConditionT[] | null;
  should?: ConditionT | ConditionT[] | null;
  must_not?: ConditionT | ConditionT[] | null;
}
const Condition: z.ZodType<ConditionT> = z.lazy(() => z.union([FieldCondition, z.strictObject({ has_id: z.array(PointId) }), Filter]));
const Conditions = z.union([Condition, z.array(Condition)]).nullish();
const Filter: z.ZodType<FilterT> = z.lazy(() => z.strictObject({ must: Conditions, should: Conditions, must_not: Conditions }));

const WithPayload = z.union([z.boolean(), z.array(z.string()), z.strictObject({ include: z.array(z.string()) }), z.strictObject({ exclude: z.array(z.string()) })]);
const WithVector = z.union([z.boolean(), z.array(z.string())]);
const Rrf = z.strictObject({ k: z.int().min(1).nullish(), weights: z.array(z.number()).nullish() });
const QueryInterface = z.union([
  DenseVector,
  SparseVector,
  z.strictObject({ nearest: z.union([DenseVector, SparseVector]) }),
  z.strictObject({ fusion: z.enum(['rrf', 'dbsf']) }),
  z.strictObject({ rrf: Rrf }),
]);
type QueryT = z.infer<typeof QueryInterface>;
interface PrefetchT {
  prefetch?: PrefetchT | PrefetchT[] | null;
  query?: QueryT | null;
  using?: string | null;
  filter?: FilterT | null;
  score_threshold?: number | null;
  limit?: number | null;
}
const Prefetch: z.ZodType<PrefetchT> = z.lazy(() =>
  z.strictObject({
    prefetch: z.union([Prefetch, z.array(Prefetch)]).nullish(),
    query: QueryInterface.nullish(),
    using: z.string().nullish(),
    filter: Filter.nullish(),
    score_threshold: z.number().nullish(),
    limit: z.int().nonnegative().nullish(),
  }),
);
const QueryRequest = z.strictObject({
  prefetch: z.union([Prefetch, z.array(Prefetch)]).nullish(),
  query: QueryInterface.nullish(),
  using: z.string().nullish(),
  filter: Filter.nullish(),
  score_threshold: z.number().nullish(),
  limit: z.int().nonnegative().nullish(),
  offset: z.int().nonnegative().nullish(),
  with_payload: WithPayload.nullish(),
  with_vector: WithVector.nullish(),
});
type QueryRequestT = z.infer<typeof QueryRequest>;
const PointStruct = z.strictObject({
  id: PointId,
  vector: z.union([DenseVector, z.record(z.string(), z.union([DenseVector, SparseVector]))]),
  payload: Payload.nullish(),
});

/** One entry per route: method, path pattern, allowed query parameters and body schema. */
const ROUTES = {
  root: { method: 'GET', path: /^\/$/, query: [], body: null },
  getAliases: { method: 'GET', path: /^\/aliases$/, query: [], body: null },
  updateAliases: {
    method: 'POST',
    path: /^\/collections\/aliases$/,
    query: ['timeout'],
    body: z.strictObject({
      actions: z.array(
        z.union([
          z.strictObject({ create_alias: z.strictObject({ collection_name: z.string(), alias_name: z.string() }) }),
          z.strictObject({ delete_alias: z.strictObject({ alias_name: z.string() }) }),
          z.strictObject({ rename_alias: z.strictObject({ old_alias_name: z.string(), new_alias_name: z.string() }) }),
        ]),
      ),
    }),
  },
  exists: { method: 'GET', path: /^\/collections\/([^/]+)\/exists$/, query: [], body: null },
  getCollection: { method: 'GET', path: /^\/collections\/([^/]+)$/, query: [], body: null },
  createCollection: { method: 'PUT', path: /^\/collections\/([^/]+)$/, query: ['timeout'], body: CreateCollection },
  updateCollection: { method: 'PATCH', path: /^\/collections\/([^/]+)$/, query: ['timeout'], body: UpdateCollection },
  deleteCollection: { method: 'DELETE', path: /^\/collections\/([^/]+)$/, query: ['timeout'], body: z.strictObject({}).optional() },
  createIndex: {
    method: 'PUT',
    path: /^\/collections\/([^/]+)\/index$/,
    query: ['wait', 'ordering', 'timeout'],
    body: z.strictObject({ field_name: z.string(), field_schema: z.enum(['keyword', 'integer', 'float', 'geo', 'text', 'bool', 'datetime', 'uuid']).nullish() }),
  },
  upsert: { method: 'PUT', path: /^\/collections\/([^/]+)\/points$/, query: ['wait', 'ordering', 'timeout'], body: z.strictObject({ points: z.array(PointStruct) }) },
  retrieve: {
    method: 'POST',
    path: /^\/collections\/([^/]+)\/points$/,
    query: ['consistency', 'timeout'],
    body: z.strictObject({ ids: z.array(PointId), with_payload: WithPayload.nullish(), with_vector: WithVector.optional() }),
  },
  delete: {
    method: 'POST',
    path: /^\/collections\/([^/]+)\/points\/delete$/,
    query: ['wait', 'ordering', 'timeout'],
    body: z.union([z.strictObject({ points: z.array(PointId) }), z.strictObject({ filter: Filter })]),
  },
  scroll: {
    method: 'POST',
    path: /^\/collections\/([^/]+)\/points\/scroll$/,
    query: ['consistency', 'timeout'],
    body: z.strictObject({ offset: PointId.nullish(), limit: z.int().positive().nullish(), filter: Filter.nullish(), with_payload: WithPayload.nullish(), with_vector: WithVector.optional() }),
  },
  count: { method: 'POST', path: /^\/collections\/([^/]+)\/points\/count$/, query: ['timeout'], body: z.strictObject({ filter: Filter.nullish(), exact: z.boolean().optional() }) },
  query: { method: 'POST', path: /^\/collections\/([^/]+)\/points\/query$/, query: ['consistency', 'timeout'], body: QueryRequest },
  queryBatch: { method: 'POST', path: /^\/collections\/([^/]+)\/points\/query\/batch$/, query: ['consistency', 'timeout'], body: z.strictObject({ searches: z.array(QueryRequest) }) },
} as const;
type RouteName = keyof typeof ROUTES;

// ---- In-memory engine --------------------------------------------------------------------------

type Id = string | number;
type Sparse = { indices: number[]; values: number[] };
interface Point {
  id: Id;
  dense: Map<string, number[]>;
  sparse: Map<string, Sparse>;
  payload: Record<string, unknown>;
}
interface Collection {
  vectors: Record<string, { size: number; distance: string }>;
  sparse: Record<string, { modifier: 'none' | 'idf' }>;
  metadata: Record<string, unknown>;
  payloadSchema: Record<string, string>;
  points: Map<string, Point>;
}
interface Scored {
  point: Point;
  score: number;
}

/** A Qdrant error: HTTP status plus the `status.error` text the real server sends. */
class QdrantError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const canonicalId = (id: Id): string => (typeof id === 'number' ? `n:${id}` : `u:${id.replace(/-/g, '').toLowerCase()}`);
const uuidOut = (id: Id): Id => (typeof id === 'number' ? id : id.replace(/-/g, '').toLowerCase().replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5'));
const list = <T>(v: T | T[] | null | undefined): T[] => (v == null ? [] : Array.isArray(v) ? v : [v]);

function valuesAt(payload: Record<string, unknown>, key: string): unknown[] {
  let values: unknown[] = [payload];
  for (const part of key.split('.')) {
    values = values.flatMap((v) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? [(v as Record<string, unknown>)[part]] : []));
  }
  return values.flatMap((v) => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]));
}

function matchesField(c: FieldConditionT, payload: Record<string, unknown>): boolean {
  const values = valuesAt(payload, c.key);
  if (c.match) {
    const m = c.match;
    if ('value' in m && !values.some((v) => v === m.value)) return false;
    if ('any' in m && !values.some((v) => (m.any as unknown[]).includes(v))) return false;
    if ('except' in m && values.some((v) => (m.except as unknown[]).includes(v))) return false;
  }
  if (c.range) {
    const r = c.range;
    const ok = values.some((v) => typeof v === 'number' && (r.lt == null || v < r.lt) && (r.gt == null || v > r.gt) && (r.gte == null || v >= r.gte) && (r.lte == null || v <= r.lte));
    if (!ok) return false;
  }
  return true;
}

function matches(filter: FilterT | null | undefined, point: Point): boolean {
  if (!filter) return true;
  const test = (c: ConditionT): boolean =>
    'key' in c ? matchesField(c, point.payload) : 'has_id' in c ? c.has_id.some((id) => canonicalId(id) === canonicalId(point.id)) : matches(c, point);
  const should = list(filter.should);
  return list(filter.must).every(test) && !list(filter.must_not).some(test) && (should.length === 0 || should.some(test));
}

function unitVector(v: number[]): number[] {
  const n = Math.hypot(...v);
  return n > 0 ? v.map((x) => x / n) : v;
}

function selectPayload(payload: Record<string, unknown>, sel: z.infer<typeof WithPayload> | null | undefined): Record<string, unknown> | null {
  if (sel === undefined || sel === null || sel === false) return null;
  if (sel === true) return payload;
  const include = Array.isArray(sel) ? sel : 'include' in sel ? sel.include : null;
  if (include) return Object.fromEntries(Object.entries(payload).filter(([k]) => include.includes(k)));
  const exclude = 'exclude' in sel ? sel.exclude : [];
  return Object.fromEntries(Object.entries(payload).filter(([k]) => !exclude.includes(k)));
}

class Engine {
  readonly collections = new Map<string, Collection>();
  readonly aliases = new Map<string, string>();

  resolve(name: string): Collection {
    const c = this.collections.get(this.aliases.get(name) ?? name);
    if (!c) throw new QdrantError(404, `Not found: Collection \`${name}\` doesn't exist!`);
    return c;
  }

  create(name: string, body: z.infer<typeof CreateCollection>): void {
    if (this.collections.has(name)) throw new QdrantError(409, `Wrong input: Collection \`${name}\` already exists!`);
    if (this.aliases.has(name)) throw new QdrantError(409, `Wrong input: Alias with the name \`${name}\` already exists!`);
    const vectors = body.vectors === undefined ? {} : 'size' in body.vectors ? { '': body.vectors as z.infer<typeof VectorParams> } : (body.vectors as Record<string, z.infer<typeof VectorParams>>);
    const sparse = Object.fromEntries(Object.entries(body.sparse_vectors ?? {}).map(([k, v]) => [k, { modifier: v.modifier ?? 'none' }]));
    this.collections.set(name, { vectors, sparse, metadata: { ...(body.metadata ?? {}) }, payloadSchema: {}, points: new Map() });
  }

  updateAliases(actions: z.infer<(typeof ROUTES)['updateAliases']['body']>['actions']): void {
    const next = new Map(this.aliases); // all or nothing, like Qdrant
    for (const a of actions) {
      if ('delete_alias' in a) {
        if (!next.delete(a.delete_alias.alias_name)) throw new QdrantError(404, `Not found: Alias ${a.delete_alias.alias_name} does not exists!`);
      } else if ('create_alias' in a) {
        const { alias_name, collection_name } = a.create_alias;
        if (!this.collections.has(collection_name)) throw new QdrantError(404, `Not found: Collection \`${collection_name}\` doesn't exist!`);
        if (next.has(alias_name) || this.collections.has(alias_name)) throw new QdrantError(409, `Wrong input: Alias or collection \`${alias_name}\` already exists!`);
        next.set(alias_name, collection_name);
      } else {
        const target = next.get(a.rename_alias.old_alias_name);
        if (target === undefined) throw new QdrantError(404, `Not found: Alias ${a.rename_alias.old_alias_name} does not exists!`);
        next.delete(a.rename_alias.old_alias_name);
        next.set(a.rename_alias.new_alias_name, target);
      }
    }
    this.aliases.clear();
    for (const [k, v] of next) this.aliases.set(k, v);
  }

  upsert(c: Collection, points: Array<z.infer<typeof PointStruct>>): void {
    for (const p of points) {
      const named = Array.isArray(p.vector) ? { '': p.vector } : p.vector;
      const point: Point = { id: uuidOut(p.id), dense: new Map(), sparse: new Map(), payload: { ...(p.payload ?? {}) } };
      for (const [name, v] of Object.entries(named)) {
        if (Array.isArray(v)) {
          const params = c.vectors[name];
          if (!params) throw new QdrantError(400, `Wrong input: Not existing vector name error: ${name}`);
          if (v.length !== params.size) throw new QdrantError(400, `Wrong input: Vector dimension error: expected dim: ${params.size}, got ${v.length}`);
          point.dense.set(name, params.distance === 'Cosine' ? unitVector(v) : v);
        } else {
          if (!c.sparse[name]) throw new QdrantError(400, `Wrong input: Not existing vector name error: ${name}`);
          point.sparse.set(name, v);
        }
      }
      c.points.set(canonicalId(p.id), point);
    }
  }

  /** One query level: a vector search, or a fusion of its prefetches. */
  query(c: Collection, q: Pick<QueryRequestT, 'prefetch' | 'query' | 'using' | 'filter' | 'limit'>): Scored[] {
    const limit = q.limit ?? 10;
    const prefetches = list(q.prefetch);
    const query = q.query;
    if (query && !Array.isArray(query) && ('fusion' in query || 'rrf' in query)) {
      if (prefetches.length === 0) throw new QdrantError(400, 'Bad request: Fusion queries need prefetches');
      if ('fusion' in query && query.fusion === 'dbsf') throw new QdrantError(501, 'dbsf fusion is not emulated by this fake');
      const rrf = 'rrf' in query ? query.rrf : {};
      const weights = rrf.weights ?? prefetches.map(() => 1);
      if (weights.length !== prefetches.length) throw new QdrantError(400, `Bad request: Number of weights in RRF should match number of pre-fetches: got ${weights.length}, expected ${prefetches.length}`);
      const fused = new Map<string, Scored>();
      prefetches.forEach((p, i) => {
        this.query(c, p).forEach(({ point }, pos) => {
          const w = weights[i]!;
          const s = w <= 0 ? 0 : 1 / ((pos + 1) / w + (rrf.k ?? 2) - 1);
          const key = canonicalId(point.id);
          const prev = fused.get(key);
          fused.set(key, { point, score: (prev?.score ?? 0) + s });
        });
      });
      return [...fused.values()].filter(({ point }) => matches(q.filter, point)).sort((a, b) => b.score - a.score).slice(0, limit);
    }
    if (prefetches.length > 0) throw new QdrantError(501, 'only fusion over prefetches is emulated by this fake');
    if (!query) throw new QdrantError(501, 'queries without a vector are not emulated by this fake');
    const vector = !Array.isArray(query) && 'nearest' in query ? query.nearest : query;
    const using = q.using ?? '';
    const candidates = [...c.points.values()].filter((p) => matches(q.filter, p));
    let scored: Scored[];
    if (Array.isArray(vector)) {
      const params = c.vectors[using];
      if (!params) throw new QdrantError(400, `Wrong input: Not existing vector name error: ${using}`);
      if (vector.length !== params.size) throw new QdrantError(400, `Wrong input: Vector dimension error: expected dim: ${params.size}, got ${vector.length}`);
      const qv = params.distance === 'Cosine' ? unitVector(vector) : vector;
      scored = candidates.flatMap((point) => {
        const v = point.dense.get(using);
        return v ? [{ point, score: v.reduce((s, x, i) => s + x * qv[i]!, 0) }] : [];
      });
    } else {
      const params = c.sparse[using];
      if (!params) throw new QdrantError(400, `Wrong input: Not existing vector name error: ${using}`);
      const idf = this.idf(c, using, params.modifier);
      scored = candidates.flatMap((point) => {
        const v = point.sparse.get(using);
        if (!v) return [];
        let score = 0;
        let overlap = false;
        vector.indices.forEach((index, i) => {
          const j = v.indices.indexOf(index);
          if (j < 0) return;
          overlap = true;
          score += vector.values[i]! * v.values[j]! * idf(index);
        });
        return overlap ? [{ point, score }] : []; // Qdrant's sparse search only visits posting lists
      });
    }
    return scored.sort((a, b) => b.score - a.score).slice(0, limit);
  }

  private idf(c: Collection, name: string, modifier: 'none' | 'idf'): (index: number) => number {
    if (modifier === 'none') return () => 1;
    const vectors = [...c.points.values()].flatMap((p) => (p.sparse.has(name) ? [p.sparse.get(name)!] : []));
    const n = vectors.length;
    return (index) => {
      const df = vectors.filter((v) => v.indices.includes(index)).length;
      return Math.log((n - df + 0.5) / (df + 0.5) + 1);
    };
  }
}

// ---- HTTP --------------------------------------------------------------------------------------

export interface RecordedRequest {
  route: RouteName | null;
  method: string;
  path: string;
  query: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

export interface FakeQdrant {
  url: string;
  requests: RecordedRequest[];
  /** Requests refused for their shape or route, with the reason. A passing test leaves this empty. */
  rejected: Array<RecordedRequest & { reason: string }>;
  /** Physical collection names. */
  collections(): string[];
  aliases(): Record<string, string>;
  metadata(collection: string): Record<string, unknown> | undefined;
  payloadIndexes(collection: string): Record<string, string> | undefined;
  /** Bodies of the requests sent to one route, in order. */
  bodies(route: RouteName): unknown[];
  close(): Promise<void>;
}

export interface FakeQdrantOptions {
  version?: string;
  /** When set, requests without this `api-key` header get 401. */
  apiKey?: string;
}

function collectionInfo(c: Collection) {
  return {
    status: 'green',
    optimizer_status: 'ok',
    indexed_vectors_count: 0,
    points_count: c.points.size,
    segments_count: 1,
    config: {
      params: { vectors: c.vectors, sparse_vectors: c.sparse, shard_number: 1, replication_factor: 1, write_consistency_factor: 1, on_disk_payload: true },
      hnsw_config: { m: 16, ef_construct: 100, full_scan_threshold: 10000, max_indexing_threads: 0, on_disk: false },
      optimizer_config: { deleted_threshold: 0.2, vacuum_min_vector_number: 1000, default_segment_number: 0, flush_interval_sec: 5 },
      wal_config: { wal_capacity_mb: 32, wal_segments_ahead: 0 },
      quantization_config: null,
      metadata: c.metadata,
    },
    payload_schema: Object.fromEntries(Object.entries(c.payloadSchema).map(([k, t]) => [k, { data_type: t, points: c.points.size }])),
  };
}

function handle(engine: Engine, route: RouteName, name: string, body: unknown): unknown {
  const point = (s: Scored, sel: z.infer<typeof WithPayload> | null | undefined) => ({ id: s.point.id, version: 1, score: s.score, payload: selectPayload(s.point.payload, sel) });
  const runQuery = (c: Collection, q: QueryRequestT) => ({ points: engine.query(c, q).slice(q.offset ?? 0).map((s) => point(s, q.with_payload)) });
  const done = { operation_id: 1, status: 'completed' };
  switch (route) {
    case 'root':
      throw new Error('handled before');
    case 'getAliases':
      return { aliases: [...engine.aliases].map(([alias_name, collection_name]) => ({ alias_name, collection_name })) };
    case 'updateAliases':
      engine.updateAliases((body as z.infer<(typeof ROUTES)['updateAliases']['body']>).actions);
      return true;
    case 'exists':
      return { exists: engine.collections.has(name) };
    case 'getCollection':
      return collectionInfo(engine.resolve(name));
    case 'createCollection':
      engine.create(name, body as z.infer<typeof CreateCollection>);
      return true;
    case 'updateCollection': {
      const c = engine.resolve(name);
      Object.assign(c.metadata, (body as z.infer<typeof UpdateCollection>).metadata ?? {});
      return true;
    }
    case 'deleteCollection':
      for (const [alias, target] of engine.aliases) if (target === name) engine.aliases.delete(alias);
      return engine.collections.delete(name);
    case 'createIndex': {
      const b = body as { field_name: string; field_schema?: string | null };
      engine.resolve(name).payloadSchema[b.field_name] = b.field_schema ?? 'keyword';
      return done;
    }
    case 'upsert':
      engine.upsert(engine.resolve(name), (body as { points: Array<z.infer<typeof PointStruct>> }).points);
      return done;
    case 'retrieve': {
      const c = engine.resolve(name);
      const b = body as { ids: Id[]; with_payload?: z.infer<typeof WithPayload> | null };
      return b.ids.flatMap((id) => {
        const p = c.points.get(canonicalId(id));
        return p ? [{ id: p.id, payload: selectPayload(p.payload, b.with_payload ?? true) }] : [];
      });
    }
    case 'delete': {
      const c = engine.resolve(name);
      const b = body as { points: Id[] } | { filter: FilterT };
      if ('points' in b) for (const id of b.points) c.points.delete(canonicalId(id));
      else for (const [key, p] of c.points) if (matches(b.filter, p)) c.points.delete(key);
      return done;
    }
    case 'scroll': {
      const c = engine.resolve(name);
      const b = body as { offset?: Id | null; limit?: number | null; filter?: FilterT | null; with_payload?: z.infer<typeof WithPayload> | null };
      const all = [...c.points.values()].filter((p) => matches(b.filter, p)).sort((x, y) => canonicalId(x.id).localeCompare(canonicalId(y.id)));
      const start = b.offset == null ? 0 : all.findIndex((p) => canonicalId(p.id) >= canonicalId(b.offset!));
      const page = start < 0 ? [] : all.slice(start, start + (b.limit ?? 10));
      const next = start < 0 ? undefined : all[start + (b.limit ?? 10)];
      return { points: page.map((p) => ({ id: p.id, payload: selectPayload(p.payload, b.with_payload ?? true) })), next_page_offset: next ? next.id : null };
    }
    case 'count': {
      const b = body as { filter?: FilterT | null };
      return { count: [...engine.resolve(name).points.values()].filter((p) => matches(b.filter, p)).length };
    }
    case 'query':
      return runQuery(engine.resolve(name), body as QueryRequestT);
    case 'queryBatch': {
      const c = engine.resolve(name);
      return (body as { searches: QueryRequestT[] }).searches.map((q) => runQuery(c, q));
    }
  }
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startFakeQdrant(opts: FakeQdrantOptions = {}): Promise<FakeQdrant> {
  const engine = new Engine();
  const requests: RecordedRequest[] = [];
  const rejected: FakeQdrant['rejected'] = [];

  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const raw = await readBody(req);
      let body: unknown;
      const rec: RecordedRequest = { route: null, method: req.method ?? '', path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, body: undefined };
      requests.push(rec);
      const send = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      const fail = (status: number, error: string, refuse = true) => {
        if (refuse) rejected.push({ ...rec, reason: `${status} ${error}` });
        send(status, { status: { error }, time: 0 });
      };
      try {
        body = raw.length > 0 ? JSON.parse(raw) : undefined;
      } catch {
        return fail(400, 'Format error in JSON body');
      }
      rec.body = body;
      if (opts.apiKey !== undefined && req.headers['api-key'] !== opts.apiKey) return fail(401, 'Must provide an API key or an Authorization bearer token', false);
      const entry = (Object.entries(ROUTES) as Array<[RouteName, (typeof ROUTES)[RouteName]]>).find(([, r]) => r.method === req.method && r.path.test(url.pathname));
      if (!entry) return fail(404, `Unknown route: ${req.method} ${url.pathname}`);
      const [route, spec] = entry;
      rec.route = route;
      const badParam = [...url.searchParams.keys()].find((k) => !(spec.query as readonly string[]).includes(k));
      if (badParam) return fail(400, `Format error in query string: unknown field \`${badParam}\``);
      if (route === 'root') return send(200, { title: 'qdrant - vector search engine', version: opts.version ?? '1.18.0', commit: 'fake' });
      let parsed: unknown = undefined;
      if (spec.body) {
        const result = spec.body.safeParse(body);
        if (!result.success) return fail(400, `Format error in JSON body: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
        parsed = result.data;
      } else if (body !== undefined) return fail(400, 'This route takes no body');
      const name = decodeURIComponent(spec.path.exec(url.pathname)?.[1] ?? '');
      try {
        send(200, { result: handle(engine, route, name, parsed), status: 'ok', time: 0.0001 });
      } catch (err) {
        if (!(err instanceof QdrantError)) throw err;
        // 404s are part of normal operation (e.g. an empty index); anything else is a misuse.
        fail(err.status, err.message, err.status !== 404);
      }
    })().catch((err: unknown) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: { error: `fake crashed: ${String(err)}` }, time: 0 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    rejected,
    collections: () => [...engine.collections.keys()],
    aliases: () => Object.fromEntries(engine.aliases),
    metadata: (c) => engine.collections.get(c)?.metadata,
    payloadIndexes: (c) => engine.collections.get(c)?.payloadSchema,
    bodies: (route) => requests.filter((r) => r.route === route).map((r) => r.body),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
