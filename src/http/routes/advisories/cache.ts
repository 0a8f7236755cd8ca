import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { renderKey, type RenderCache } from '../../render-cache.ts';

// Public advisory reads are the most-read endpoints: shared caches may keep them for five minutes, and clients revalidate cheaply.
const PUBLIC_CACHE = 'public, max-age=300';

const entityTag = (body: string | Buffer) => `"${createHash('sha256').update(body).digest('base64url')}"`;

export interface Rendering {
  body: string;
  modified: Date | undefined;
  etag: string;
}

/** A public rendering through the render cache, kept with its entity tag, so a cache hit neither queries nor hashes. */
export function cachedRendering(cache: RenderCache, request: FastifyRequest, render: () => Promise<{ body: string; modified: Date | undefined }>): Promise<Rendering> {
  return cache.remember(renderKey(request), async () => {
    const { body, modified } = await render();
    return { body, modified, etag: entityTag(body) };
  });
}

export const sendRendering = (request: FastifyRequest, reply: FastifyReply, rendering: Rendering, contentType: string) =>
  sendCacheable(request, reply, rendering.body, contentType, rendering.modified, rendering.etag);

/** Does an If-None-Match list name this entity tag? Weak comparison, as RFC 9110 §13.1.2 prescribes for it. */
function matches(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === etag);
}

/**
 * Sends a public representation (readable from any origin) with a strong ETag (SHA-256 of the exact
 * bytes, so each format and each change has its own) and Last-Modified, and
 * answers 304 when the client's copy is current. If-None-Match wins over
 * If-Modified-Since when both are sent (RFC 9110 §13.2.2).
 */
export function sendCacheable(request: FastifyRequest, reply: FastifyReply, body: string | Buffer, contentType: string, lastModified: Date | undefined, etag = entityTag(body)) {
  reply.header('etag', etag).header('cache-control', PUBLIC_CACHE);
  // Published advisories are meant to be read anywhere: scanners and dashboards on other origins may fetch them (no credentials are involved).
  reply.header('access-control-allow-origin', '*').header('cross-origin-resource-policy', 'cross-origin');
  if (lastModified) reply.header('last-modified', lastModified.toUTCString());
  const ifNoneMatch = request.headers['if-none-match'];
  const ifModifiedSince = request.headers['if-modified-since'];
  const notModified =
    ifNoneMatch !== undefined
      ? matches(ifNoneMatch, etag)
      : ifModifiedSince !== undefined && lastModified !== undefined && !Number.isNaN(Date.parse(ifModifiedSince)) && Math.floor(lastModified.getTime() / 1000) * 1000 <= Date.parse(ifModifiedSince);
  if (notModified) return reply.code(304).send();
  return reply.type(contentType).send(body);
}

/** The newest modification among what a response shows. */
export function newest(dates: readonly string[]): Date | undefined {
  return dates.length === 0 ? undefined : new Date(Math.max(...dates.map((d) => Date.parse(d))));
}

export const JSON_TYPE = 'application/json; charset=utf-8';
