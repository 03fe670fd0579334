import { applyDecorators, Controller, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { PageExceptionFilter } from './page-exception.filter';
import { SameOriginGuard } from './same-origin.guard';

/**
 * A controller of HTML pages: outside the API docs, errors rendered as pages (login redirect,
 * Chinese error page), forms accepted only from this site. Its paths must be listed in
 * PAGE_ROUTES (web-setup.ts) so they are served outside the `/api` prefix.
 */
export function WebController(path = ''): ClassDecorator {
  return applyDecorators(
    Controller(path),
    ApiExcludeController(),
    UseFilters(PageExceptionFilter),
    UseGuards(SameOriginGuard),
  );
}
