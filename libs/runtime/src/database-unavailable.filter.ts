import { type ArgumentsHost, Catch, HttpException, Logger } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { Request, Response } from 'express';
import { isDatabaseUnavailable } from '@jixiao/persistence';

/** Seconds a client is asked to wait before it tries again while the database does not answer. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * A request that failed because the database did not answer gets 503 with `Retry-After` and says so, instead of a
 * bare 500 that reads like a bug: the request did not complete and can be sent again (its transaction rolled back;
 * only a connection lost during the commit itself leaves that unknown). Every other error goes to Nest's own handling.
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
    res.status(503).setHeader('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
    // a browser (a page, or a form of the staff's pages it posted) gets a page it can show; an API client, JSON
    const browser =
      req.method === 'GET' || Boolean(req.is(['application/x-www-form-urlencoded', 'multipart/form-data']));
    if (browser && req.accepts(['json', 'html']) === 'html') {
      res.type('text/html; charset=utf-8').send(UNAVAILABLE_PAGE);
      return;
    }
    res.json({
      statusCode: 503,
      message: `the database does not answer: the request was not completed; try again in ${DATABASE_RETRY_AFTER_SECONDS} s`,
    });
  }
}

const UNAVAILABLE_PAGE = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>暂时无法访问</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; padding: 0 1rem">
<h1>暂时无法访问</h1>
<p>数据库暂时无法访问，本次请求没有完成。系统正在恢复，请 ${DATABASE_RETRY_AFTER_SECONDS} 秒后刷新本页或重新提交。</p>
<p style="color: #666">The service is temporarily unavailable; nothing was changed; reload this page or send the form again in a few seconds.</p>
</body></html>
`;
