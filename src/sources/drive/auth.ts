import { readFile } from 'node:fs/promises';
import { JWT, OAuth2Client } from 'google-auth-library';
import type { DriveAuth } from '../../config/sources.js';
import { SourceFailed } from '../errors.js';

const SCOPES = ['https://www.googleapis.com/auth/drive.readonly'];
/** Where gtoken sends a service account's signed assertion, whatever the key file says. */
const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';

interface ServiceAccountKey {
  client_email?: string;
  private_key?: string;
  token_uri?: string;
}

/**
 * The client that signs Drive requests: an OAuth access token as given, or a service account's key
 * file (read-only Drive scope). A key file's `token_uri` is honoured, so a private deployment's token
 * endpoint (or a test's fake) receives the assertion instead of Google's.
 */
export async function driveAuth(auth: DriveAuth, hint: string): Promise<OAuth2Client> {
  if (auth.kind === 'token') {
    const client = new OAuth2Client();
    client.setCredentials({ access_token: auth.token });
    return client;
  }
  let key: ServiceAccountKey;
  try {
    key = JSON.parse(await readFile(auth.path, 'utf8')) as ServiceAccountKey;
  } catch (err) {
    throw new SourceFailed(`The service-account key file ${auth.path} cannot be read (${(err as Error).message}): check ${hint}.`, { cause: err });
  }
  if (!key.client_email || !key.private_key) throw new SourceFailed(`${auth.path} is not a service-account key (no client_email or private_key): check ${hint}.`);
  const jwt = new JWT({ email: key.client_email, key: key.private_key, scopes: SCOPES });
  const tokenUri = key.token_uri;
  if (tokenUri && tokenUri !== GOOGLE_TOKEN_URL) {
    jwt.transporter.interceptors.request.add({
      resolved: async (config) => {
        if (config.url.href === GOOGLE_TOKEN_URL) config.url = new URL(tokenUri);
        return config;
      },
    });
  }
  return jwt;
}
