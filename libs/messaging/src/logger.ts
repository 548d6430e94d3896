/** The few logging calls messaging makes; Nest's `Logger`, pino and `console` all fit. */
export interface MessagingLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string, trace?: string): void;
  debug?(message: string): void;
}

export const consoleLogger: MessagingLogger = {
  log: (m) => console.log(m),
  warn: (m) => console.warn(m),
  error: (m, trace) => console.error(m, trace ?? ''),
};

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
