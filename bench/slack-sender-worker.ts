/**
 * Worker-thread entry of rebuild-stall.ts: sends one signed app_mention every `everyMs` to the bot
 * until told to stop, and times each HTTP ack. On its own thread, so a stalled bot cannot delay the
 * sender too: what it measures is the bot's ack alone.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { eventEnvelope, sendEvent } from '../test/fakes/slack-server.js';

export interface SenderJob {
  url: string;
  secret: string;
  everyMs: number;
  text: string;
}

/** One delivery: when it was sent (epoch ms), how long the ack took, and the HTTP status (0: the connection failed). */
export interface Ack {
  ts: string;
  sentAt: number;
  ms: number;
  status: number;
}

const job = workerData as SenderJob;
let stopping = false;
parentPort?.on('message', () => (stopping = true));
const acks: Ack[] = [];
for (let i = 0; !stopping; i++) {
  const ts = `1700000000.${String(i).padStart(6, '0')}`;
  const sentAt = Date.now();
  const started = performance.now();
  try {
    const res = await sendEvent(job.url, job.secret, eventEnvelope({ type: 'app_mention', channel: 'C1', user: `U${i % 7}`, text: `<@UBOT> ${job.text}`, ts }));
    acks.push({ ts, sentAt, ms: res.ms, status: res.status });
  } catch {
    acks.push({ ts, sentAt, ms: performance.now() - started, status: 0 });
  }
  await new Promise((r) => setTimeout(r, job.everyMs));
}
parentPort?.postMessage(acks);
