import { createHash } from 'node:crypto';
import { BadRequestException } from '@nestjs/common';
import { refusal } from '@jixiao/auth';
import type { CanonicalEvaluation } from '@jixiao/contracts';

/**
 * How long a submission's `Idempotency-Key` is remembered: a retry within a day (a lost answer, a 503, a
 * double-click, a refreshed page) gets the first answer again instead of storing the forms twice.
 */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/** The header, as the IETF draft names it (draft-ietf-httpapi-idempotency-key-header). */
export const IDEMPOTENCY_HEADER = 'idempotency-key';
/** Set on an answer that repeats the first one for the same key. */
export const REPLAYED_HEADER = 'Idempotent-Replayed';

/** The `code` of the 422 for a key used before with another request (a client's mistake, not an unreadable form). */
export const IDEMPOTENCY_KEY_REUSED = 'IDEMPOTENCY_KEY_REUSED';

/** A key the caller chose for one submission, and the fingerprint of the request that carries it. */
export interface IdempotencyClaim {
  key: string;
  fingerprint: string;
}

/** 1–255 visible ASCII characters (a UUID is the usual choice); anything else is refused (400). */
export function parseIdempotencyKey(value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  const text = Array.isArray(value) ? value.join(',') : String(value);
  if (!/^[\x21-\x7e]{1,255}$/.test(text))
    throw refusal(
      BadRequestException,
      'Idempotency-Key: expected 1 to 255 visible ASCII characters (a UUID, say)',
      'Idempotency-Key 应为 1 至 255 个可见 ASCII 字符（例如 UUID）',
    );
  return text;
}

/**
 * What makes two submissions the same request: the evaluations as read, the region they default to, the version
 * they correct and the document's bytes. The same key with another fingerprint is a client's mistake (422).
 */
export function requestFingerprint(request: {
  evaluations: readonly CanonicalEvaluation[];
  defaultRegion: string | null;
  previousVersionId: string | null;
  documentSha256: string | null;
}): string {
  return `sha256:${createHash('sha256').update(JSON.stringify(request)).digest('hex')}`;
}
