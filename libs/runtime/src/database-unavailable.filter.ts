import { type ArgumentsHost, Catch, HttpException, Logger } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { Request, Response } from 'express';
import { isDatabaseUnavailable } from '@jixiao/persistence';

/** Seconds a client is asked to wait before it tries again while the database does not answer. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * A request that failed because the database did not answer gets 503 with `Retry-After` and says so, instead of a
 * bare 500 that reads like a bug: nothing was stored, and the same request can be sent again. Every other error goes
 * to Nest's own handling.
 */
@Catch()
export class DatabaseUnavailableFilter extends BaseExceptionFilter {
  private readonly logger = new Logger('Database');

  override catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http' || exception instanceof HttpException || !isDatabaseUnavailable(exception)) {
      super.catch(exception, host);
      return;
    }
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    this.logger.warn({
      msg: 'database unavailable',
      error: exception instanceof Error ? exception.message : String(exception),
      method: req.method,
      url: req.originalUrl.split('?')[0],
    });
    res
      .status(503)
      .setHeader('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS))
      .json({
        statusCode: 503,
        message: `the database does not answer: nothing was stored; try again in ${DATABASE_RETRY_AFTER_SECONDS} s`,
      });
  }
}
