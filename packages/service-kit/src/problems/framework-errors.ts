import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Socket } from 'node:net';
import { problemCatalog, problemTypeUri } from './catalog.js';
import { problemFromError } from './from-error.js';
import { PROBLEM_CONTENT_TYPE, sendProblem } from './render.js';

/**
 * Errors Fastify answers before any route or error handler runs (a bad percent-encoding, a path
 * parameter over maxParamLength): routed to the same problem+json as every other error, where
 * Fastify would send its own JSON shape.
 */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  void sendProblem(problemFromError(error, request), request, reply);
}

const clientErrors: Record<string, { code: 'HEADERS_TOO_LARGE' | 'REQUEST_TIMEOUT'; detail: string }> = {
  HPE_HEADER_OVERFLOW: { code: 'HEADERS_TOO_LARGE', detail: 'The request line and headers are larger than the server accepts.' },
  ERR_HTTP_REQUEST_TIMEOUT: { code: 'REQUEST_TIMEOUT', detail: 'The request was not received in time.' },
};

/**
 * A request Node's HTTP parser could not read never reaches Fastify; the connection gets one
 * problem+json answer and is closed, as Fastify's default does with a body of its own shape.
 */
export function clientErrorHandler(err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const known = clientErrors[err.code ?? ''] ?? { code: 'MALFORMED_REQUEST' as const, detail: 'The HTTP request could not be parsed.' };
  const { status, title } = problemCatalog[known.code];
  const body = JSON.stringify({ type: problemTypeUri(known.code), title, status, detail: known.detail, code: known.code });
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${title}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy(err);
}
