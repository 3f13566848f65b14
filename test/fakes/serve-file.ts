import type { ServerResponse } from 'node:http';

/**
 * Sends a hosted file as a platform's file host does, counting the bytes sent. A file given without
 * content is generated and streamed until its declared size or until the reader hangs up, so a test
 * can offer a 50 MB upload without holding 50 MB.
 */
export function sendFakeFile(res: ServerResponse, file: { content?: Buffer; size: number }, download: { bytesSent: number }): void {
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(file.size) });
  if (file.content) {
    download.bytesSent = file.content.byteLength;
    res.end(file.content);
    return;
  }
  const chunk = Buffer.alloc(64 * 1024, 'a');
  const pump = () => {
    while (download.bytesSent < file.size && !res.destroyed) {
      download.bytesSent += chunk.byteLength;
      if (!res.write(chunk)) return void res.once('drain', pump);
    }
    res.end();
  };
  res.on('close', () => res.destroy());
  pump();
}
