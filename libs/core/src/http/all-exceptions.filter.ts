import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import { mapError } from './error-mapping';

/** The one place where errors become HTTP responses (spec §10 body, Chinese message). */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const reply = ctx.getResponse();
    const request = ctx.getRequest();
    const mapped = mapError(exception);
    if (mapped.unexpected) {
      const e = exception as Error;
      this.logger.error(
        { reqId: request?.id, err: { name: e?.name, message: e?.message, stack: e?.stack } },
        'Unhandled error',
      );
    }
    if (reply.sent) return;
    reply.status(mapped.status).header('content-type', 'application/json; charset=utf-8').send(mapped.body);
  }
}
