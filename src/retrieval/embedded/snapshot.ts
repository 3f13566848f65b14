import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * HNSW snapshot directories (`vectors-<seq>/`) and their manifest. usearch trusts the files it
 * loads: a garbage or truncated `.usearch` file can crash the process inside `load`, on every
 * start (issue 10, item 14). So each snapshot carries `manifest.json` naming every group file
 * with its size and sha256, and nothing is handed to usearch before the file matches it.
 */

const SNAPSHOT = /^vectors-(\d+)$/;
const MANIFEST = 'manifest.json';
const FORMAT = 1;

const groupEntry = z.object({
  group: z.string(),
  file: z.string().regex(/^g-[0-9a-f]*\.usearch$/),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** Live vectors in the graph. */
  vectors: z.number().int().nonnegative(),
  /** Removed slots the graph still holds (usearch reuses them for later adds). */
  tombstones: z.number().int().nonnegative(),
});
const manifestSchema = z.object({
  format: z.literal(FORMAT),
  seq: z.number().int().nonnegative(),
  dimensions: z.number().int().positive(),
  groups: z.array(groupEntry),
});

export type GroupEntry = z.infer<typeof groupEntry>;
export type Manifest = z.infer<typeof manifestSchema>;

/** A snapshot that must not be loaded, and why (for the warning). */
export class UnusableSnapshot extends Error {
  override readonly name = 'UnusableSnapshot';
}

export const groupFile = (group: string) => `g-${Buffer.from(group, 'utf8').toString('hex')}.usearch`;

/** Snapshot directories under a generation, newest first. */
export function listSnapshots(dir: string): Array<{ seq: number; dir: string }> {
  return fs
    .readdirSync(dir)
    .flatMap((name) => {
      const m = SNAPSHOT.exec(name);
      return m ? [{ seq: Number(m[1]), dir: path.join(dir, name) }] : [];
    })
    .sort((a, b) => b.seq - a.seq);
}

export const snapshotDir = (dir: string, seq: number) => path.join(dir, `vectors-${seq}`);

/** sha256 of a file, read in 1 MiB pieces so a large snapshot is never held in memory twice. */
export function fileSha256(file: string): string {
  const hash = createHash('sha256');
  const buffer = Buffer.alloc(1 << 20);
  const fd = fs.openSync(file, 'r');
  try {
    for (let n = fs.readSync(fd, buffer); n > 0; n = fs.readSync(fd, buffer)) hash.update(buffer.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest('hex');
}

/** Describes a group file just written into `dir`, for the manifest. */
export function describeGroupFile(dir: string, group: string, vectors: number, tombstones: number): GroupEntry {
  const file = groupFile(group);
  const full = path.join(dir, file);
  return { group, file, bytes: fs.statSync(full).size, sha256: fileSha256(full), vectors, tombstones };
}

export function writeManifest(dir: string, manifest: Manifest): void {
  fs.writeFileSync(path.join(dir, MANIFEST), `${JSON.stringify(manifest, null, 1)}\n`);
}

/**
 * The manifest of a snapshot directory, after checking that it belongs to `seq` and `dimensions`
 * and that every file it names has the recorded size and checksum. Throws UnusableSnapshot.
 */
export function verifySnapshot(dir: string, seq: number, dimensions: number): Manifest {
  const manifest = readManifest(dir, seq, dimensions);
  for (const entry of manifest.groups) checkSha256(entry, fileSha256(sizedFile(dir, entry)));
  return manifest;
}

/**
 * verifySnapshot that reads the files asynchronously, a piece at a time: hashing a 100k-vector
 * snapshot at once would hold the event loop for about a second.
 */
export async function verifySnapshotAsync(dir: string, seq: number, dimensions: number): Promise<Manifest> {
  const manifest = readManifest(dir, seq, dimensions);
  for (const entry of manifest.groups) checkSha256(entry, await fileSha256Async(sizedFile(dir, entry)));
  return manifest;
}

async function fileSha256Async(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const piece of fs.createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(piece as Buffer);
  return hash.digest('hex');
}

function readManifest(dir: string, seq: number, dimensions: number): Manifest {
  let raw: string;
  try {
    raw = fs.readFileSync(path.join(dir, MANIFEST), 'utf8');
  } catch (err) {
    throw new UnusableSnapshot(`no readable ${MANIFEST} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new UnusableSnapshot(`${MANIFEST} is not JSON`);
  }
  const result = manifestSchema.safeParse(parsed);
  if (!result.success) throw new UnusableSnapshot(`${MANIFEST} is malformed: ${result.error.issues[0]?.message ?? 'invalid'}`);
  const manifest = result.data;
  if (manifest.seq !== seq) throw new UnusableSnapshot(`${MANIFEST} is for seq ${manifest.seq}, the directory for ${seq}`);
  if (manifest.dimensions !== dimensions) throw new UnusableSnapshot(`it holds ${manifest.dimensions}-d vectors, the index ${dimensions}-d`);
  return manifest;
}

/** The path of a group file, once its name and size match the manifest entry. */
function sizedFile(dir: string, entry: GroupEntry): string {
  if (entry.file !== groupFile(entry.group)) throw new UnusableSnapshot(`${entry.file} does not belong to group ${JSON.stringify(entry.group)}`);
  const file = path.join(dir, entry.file);
  let bytes: number;
  try {
    bytes = fs.statSync(file).size;
  } catch {
    throw new UnusableSnapshot(`${entry.file} is missing`);
  }
  if (bytes !== entry.bytes) throw new UnusableSnapshot(`${entry.file} has ${bytes} bytes, the manifest says ${entry.bytes}`);
  return file;
}

function checkSha256(entry: GroupEntry, sha256: string): void {
  if (sha256 !== entry.sha256) throw new UnusableSnapshot(`${entry.file} does not match its checksum`);
}

/**
 * Renames the finished snapshot `tmp` to `target`. If another process saved the same seq first, its
 * snapshot is as good as ours, unless `replace` (ours was rebuilt from SQLite because that one was
 * rejected) or it fails verification: then ours takes its place, so a bad snapshot is not loaded
 * and skipped again on every open.
 */
export function publishSnapshot(tmp: string, target: string, seq: number, dimensions: number, replace = false): void {
  try {
    fs.renameSync(tmp, target);
    return;
  } catch (err) {
    if (!fs.existsSync(target)) {
      fs.rmSync(tmp, { recursive: true, force: true });
      throw err;
    }
  }
  if (!replace && isIntact(target, seq, dimensions)) {
    fs.rmSync(tmp, { recursive: true, force: true });
    return;
  }
  const aside = `${target}.replaced-${process.pid}`;
  fs.renameSync(target, aside);
  fs.renameSync(tmp, target);
  fs.rmSync(aside, { recursive: true, force: true });
}

function isIntact(dir: string, seq: number, dimensions: number): boolean {
  try {
    verifySnapshot(dir, seq, dimensions);
    return true;
  } catch (err) {
    if (err instanceof UnusableSnapshot) return false;
    throw err;
  }
}
