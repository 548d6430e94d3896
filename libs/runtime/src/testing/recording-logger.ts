import type { LoggerService } from '@nestjs/common';

/**
 * Test helper: what a process logs through Nest's loggers (the auth guard's, the queue dashboard's, /metrics'), as
 * level, message and context; install with `app.useLogger`.
 */
export class RecordingLogger implements LoggerService {
  lines: Array<{ level: string; message: Record<string, unknown>; context: unknown }> = [];
  private add = (level: string) => (message: unknown, context?: unknown) =>
    void this.lines.push({ level, message: message as Record<string, unknown>, context });
  log = this.add('log');
  warn = this.add('warn');
  error = this.add('error');
  debug = this.add('debug');
  verbose = this.add('verbose');
}
