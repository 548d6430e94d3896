/** The document holds no form this parser can read: nothing was extracted, and the message says what was looked for. */
export class DocumentRejectedError extends Error {
  override readonly name = 'DocumentRejectedError';
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
  }
}
