import { describe, expect, it } from 'vitest';
import { connectedLine } from '../../src/app/start.js';

describe('the line `cairn start` prints once it serves', () => {
  it('tells the operator at start where the port can be reached from', () => {
    expect(connectedLine([], '127.0.0.1', 3000)).toBe('Serving http://127.0.0.1:3000/healthz (from this machine only; set HOST=0.0.0.0 to accept connections from elsewhere).\n');
    expect(connectedLine([], '0.0.0.0', 3000)).toBe('Serving http://localhost:3000/healthz (on every network interface, HOST=0.0.0.0).\n');
    expect(connectedLine([], '10.1.2.3', 8080)).toBe('Serving http://10.1.2.3:8080/healthz.\n');
  });
});
