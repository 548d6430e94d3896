import type { HttpException } from '@nestjs/common';

/**
 * An HTTP refusal said twice: Nest's body (`statusCode`, `error`, `message` in English, for API clients and logs)
 * with `messageZh`, the same in Chinese, which the staff's pages show instead; `extra` adds fields (a `code`, a `line`).
 */
export function refusal<T extends HttpException>(
  Exception: new (response?: string | Record<string, unknown>) => T,
  message: string,
  messageZh: string,
  extra: Record<string, unknown> = {},
): T {
  const plain = new Exception();
  return new Exception({
    statusCode: plain.getStatus(),
    error: (plain.getResponse() as { message?: string }).message,
    message,
    messageZh,
    ...extra,
  });
}
