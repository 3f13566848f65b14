import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { InteractionResponseType, InteractionType, type APIInteraction } from 'discord.js';
import type { Logger } from '../../../core/logger.js';
import { discordSignatureVerifier } from './signature.js';

/** Interactions are small JSON documents; anything far larger is not Discord. */
const MAX_BODY_BYTES = 1024 * 1024;

export interface InteractionsEndpointOptions {
  publicKey: string;
  /** Hands a verified interaction to the same handlers the gateway feeds. */
  dispatch(interaction: APIInteraction): void;
  logger: Logger;
}

/**
 * POST /discord/interactions, Discord's outgoing webhook for slash commands and buttons when the app's
 * Interactions Endpoint URL points here: any replica behind the load balancer can take it. A missing or
 * bad signature is 401 (Discord itself sends such requests to check the endpoint), PING is answered
 * with PONG, and anything else is acknowledged with 202 and no body, because the handlers answer
 * through the interaction callback and webhook endpoints, as on the gateway path.
 */
export function interactionsEndpoint(opts: InteractionsEndpointOptions): RequestListener {
  const verified = discordSignatureVerifier(opts.publicKey);
  return (req, res) => {
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'POST' }).end();
      return;
    }
    readBody(req).then(
      (body) => {
        if (body === null) {
          res.writeHead(413).end();
          return;
        }
        const signature = header(req, 'x-signature-ed25519');
        const timestamp = header(req, 'x-signature-timestamp');
        if (!signature || !timestamp || !verified(timestamp, body, signature)) {
          opts.logger.warn({ signed: Boolean(signature && timestamp) }, 'refused a discord interaction request with a missing or bad signature');
          reply(res, 401, { error: 'invalid request signature' });
          return;
        }
        let interaction: APIInteraction;
        try {
          interaction = JSON.parse(body.toString('utf8')) as APIInteraction;
        } catch {
          reply(res, 400, { error: 'the body is not JSON' });
          return;
        }
        if (interaction.type === InteractionType.Ping) {
          reply(res, 200, { type: InteractionResponseType.Pong });
          return;
        }
        res.writeHead(202).end();
        opts.dispatch(interaction);
      },
      () => res.writeHead(400).end(),
    );
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The raw body (the signature covers its exact bytes), or null past the size limit. */
async function readBody(req: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
