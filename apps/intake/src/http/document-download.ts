import type { Response } from 'express';
import type { StoredDocument } from '../queries/get-document.query';

/**
 * Sends a stored document back as the unit uploaded it: always as a download (never rendered here, whatever it
 * holds), its own name and media type, nothing sniffed.
 */
export function sendDocument(res: Response, doc: StoredDocument): void {
  res.attachment(doc.fileName); // Content-Disposition with the UTF-8 name (RFC 6266)
  res.setHeader('Content-Type', doc.mediaType.startsWith('text/') ? `${doc.mediaType}; charset=utf-8` : doc.mediaType);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
  res.status(200).end(doc.content);
}
