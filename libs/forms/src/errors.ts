/**
 * The document holds no form this parser can read: nothing was extracted, and the message says what was looked for
 * and where it stopped, in English (`message`) and in Chinese (`messageZh`, for the unit that sent the document).
 */
export class DocumentRejectedError extends Error {
  override readonly name = 'DocumentRejectedError';
  constructor(
    message: string,
    readonly messageZh: string,
    readonly line?: number,
  ) {
    super(message);
  }
}
