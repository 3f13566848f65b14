import { access } from 'node:fs/promises';
import type { Config } from '../config/config.js';
import { REINDEX_LEASE } from '../chat/shared/admin.js';
import { runTerminalChat } from '../chat/terminal/terminal-chat.js';
import type { Logger } from '../core/logger.js';
import { createProgress, formatSummary, ingest, ingestOptionsFrom } from '../ingest/index.js';
import { startHttpServer } from '../server/http-server.js';
import { createCairn, type Cairn } from './cairn.js';
import { startCairnGapsSummary, type GapsSummarySchedule } from './gaps-summary.js';
import { sharedStateReport } from './shared-state-report.js';
import { startSourceSchedule, type SourceSchedule } from './source-schedule.js';
import { startSurfaces, type Surface } from './surfaces.js';

export interface StartIo {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

export interface Launched {
  cairn: Cairn;
  /** Where the HTTP server listens. */
  host: string;
  port: number;
  surfaces: Surface[];
  /** Stops taking questions, lets in-flight answers finish, closes everything. Idempotent. */
  shutdown(reason: string): Promise<void>;
}

/**
 * Everything `cairn start` runs before the terminal opens: index DOCS_DIR incrementally, connect
 * the configured chat platforms, serve the HTTP port, then sync each source on its `schedule` and post
 * the weekly coverage-gaps summary to the admin channels that are set.
 */
export async function launch(config: Config, io: StartIo, opts: { logger?: Logger } = {}): Promise<Launched> {
  const cairn = await createCairn(config, opts);
  let surfaces: Surface[] = [];
  let schedule: SourceSchedule | undefined;
  let gapsSummary: GapsSummarySchedule | undefined;
  let http: Awaited<ReturnType<typeof startHttpServer>>;
  try {
    await indexDocs(cairn, io);
    const started = await startSurfaces(cairn);
    surfaces = started.surfaces;
    http = await startHttpServer({
      host: config.server.host,
      port: config.server.port,
      logger: cairn.logger,
      ready: async () => {
        const [info, shared] = await Promise.all([cairn.runtime.store.info(), sharedStateReport(cairn.shared)]);
        const degraded = { degraded: shared.degraded };
        return info.chunks > 0 ? { ok: true, ...degraded } : { ok: false, reason: 'the index is empty: run `cairn ingest <folder>`', ...degraded };
      },
      routes: {
        ...started.routes,
        '/metrics': (_req, res) => {
          cairn.metrics.render().then(
            ({ contentType, body }) => res.writeHead(200, { 'content-type': contentType }).end(body),
            () => res.writeHead(500).end(),
          );
        },
      },
    });
    // After the start-up index, so a scheduled sync never writes alongside it.
    schedule = startSourceSchedule(cairn.syncer, cairn.logger);
    // Reading the states sets each source's items gauge, so /metrics has it before the first sync.
    void cairn.syncer.states();
    gapsSummary = startCairnGapsSummary(cairn, surfaces);
  } catch (err) {
    // A half-started service (workers, sockets) would keep the process alive after the error.
    await Promise.allSettled(surfaces.map((s) => s.stop()));
    await cairn.close();
    throw err;
  }
  let stopping: Promise<void> | null = null;
  return {
    cairn,
    host: http.host,
    port: http.port,
    surfaces,
    shutdown(reason) {
      stopping ??= (async () => {
        cairn.logger.info({ reason }, 'shutting down');
        // Stop taking questions first; the surfaces then wait for answers being posted.
        await Promise.allSettled([cairn.chat.drain(), ...surfaces.map((s) => s.stop()), schedule?.stop(), gapsSummary?.stop()]);
        await http.close();
        await cairn.close();
      })();
      return stopping;
    },
  };
}

/** How long in-flight answers get to finish on SIGINT/SIGTERM before the process exits anyway. */
const SHUTDOWN_GRACE_MS = 20_000;

/**
 * `cairn start` (and `npm start`). With no chat platform connected the process ends when terminal
 * input ends (piped questions: one answer each, then exit); otherwise it runs until a signal.
 */
export async function start(config: Config, io: StartIo, opts: { terminal?: boolean } = {}): Promise<number> {
  const app = await launch(config, io);
  const onSignal = (signal: NodeJS.Signals) => {
    setTimeout(() => {
      app.cairn.logger.error('in-flight answers did not finish in time; exiting');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS).unref();
    void app.shutdown(signal).then(() => process.exit(0));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  io.stderr.write(connectedLine(app.surfaces, app.host, app.port));
  if (opts.terminal !== false) {
    await runTerminalChat({ chat: app.cairn.chat, input: io.stdin, output: io.stdout, status: io.stderr });
    if (app.surfaces.length === 0) {
      await app.shutdown('end of terminal input');
      return 0;
    }
  }
  return new Promise<number>(() => undefined);
}

/**
 * Under the re-index lease: replicas started together share one index, and only one of them (or an
 * admin's /cairn-reindex) may write it at a time; the others answer from what it builds.
 */
async function indexDocs(cairn: Cairn, io: StartIo): Promise<void> {
  const cfg = cairn.runtime.config;
  const dir = cfg.ingest.docsDir;
  if (!(await access(dir).then(() => true, () => false))) {
    io.stderr.write(`No documents folder at ${dir}: answering from the existing index. Set DOCS_DIR or run \`cairn ingest <folder>\`.\n`);
    return;
  }
  const lease = await cairn.shared.leases.acquire(REINDEX_LEASE);
  if (!lease) {
    io.stderr.write(`Another replica is indexing already: not indexing ${dir} here; answering from the shared index.\n`);
    return;
  }
  try {
    const summary = await ingest(
      ingestOptionsFrom(cfg, [dir]),
      { store: cairn.runtime.store, embedder: cairn.runtime.embedder, logger: cairn.logger, progress: createProgress(io.stderr), accessRules: cairn.runtime.accessRules },
    );
    io.stderr.write(`${formatSummary(summary)}\n`);
  } finally {
    await lease.release();
  }
}

/** Where the HTTP port can be reached from, so an operator sees at once whether Slack or a probe can. */
export function connectedLine(surfaces: Surface[], host: string, port: number): string {
  const names = surfaces.map((s) => s.name).join(' and ');
  const everywhere = host === '0.0.0.0' || host === '::';
  const loopback = host === 'localhost' || host === '::1' || host.startsWith('127.');
  const url = `http://${everywhere ? 'localhost' : host.includes(':') ? `[${host}]` : host}:${port}/healthz`;
  const reach = everywhere
    ? ` (on every network interface, HOST=${host})`
    : loopback
      ? ' (from this machine only; set HOST=0.0.0.0 to accept connections from elsewhere)'
      : '';
  return `Serving ${url}${reach}${names ? `; connected to ${names}` : ''}.\n`;
}
