import { Body, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { Actor, CurrentActor, IdPipe, Roles } from '@shipei/core';
import { PutSurveyDto, QUESTION_KIND_LABELS, SurveyResultsService, SurveysService } from '@shipei/evaluation';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { FormBody, FormErrors, formErrors, validateInput } from '../shared/forms';
import { PageRenderer } from '../shared/page-renderer.service';
import { WebController } from '../shared/web-controller.decorator';
import { ratingChartSvg, ratingChartText } from './rating-chart';

/** Empty rows the editor offers below the form's questions. */
const NEW_ROWS = 3;

const one = (v: string | string[] | undefined): string => (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).trim();

/** The editor's rows (kind_N, text_N, session_N) → the API's body; blank rows are left out. */
export function questionsFromForm(body: FormBody): Record<string, unknown>[] {
  const numbers = Object.keys(body)
    .map((k) => /^text_(\d+)$/.exec(k)?.[1])
    .filter((n): n is string => !!n)
    .map(Number)
    .sort((a, b) => a - b);
  return numbers
    .filter((n) => one(body[`text_${n}`]))
    .map((n) => {
      const session = one(body[`session_${n}`]);
      return {
        kind: one(body[`kind_${n}`]),
        text: one(body[`text_${n}`]),
        sessionId: session ? Number(session) : null,
      };
    });
}

/** 训后评价 for the office and the trainers: the owner's form editor and the results with their charts. */
@WebController('app/cohorts')
@Roles('CITY_ADMIN', 'COUNTY_ADMIN', 'TRAINER')
export class SurveyPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly surveys: SurveysService,
    private readonly results: SurveyResultsService,
  ) {}

  private async showEditor(
    req: FastifyRequest,
    reply: FastifyReply,
    actor: Actor,
    id: number,
    rows?: Record<string, unknown>[],
    errors?: FormErrors,
    status = 200,
  ): Promise<void> {
    const ed = await this.surveys.editor(actor, id);
    const given = rows ?? ed.survey.questions;
    const list = [
      ...given,
      ...Array.from({ length: NEW_ROWS }, () => ({ kind: 'RATING', text: '', sessionId: null })),
    ].map((q, i) => ({ ...q, n: i + 1, isText: q.kind === 'TEXT' }));
    const programBase = `/app/programs/${ed.programId}`;
    return this.pages.render(
      req,
      reply,
      'evaluation/editor',
      {
        title: '训后评价问卷',
        crumbs: [
          { label: '培训项目', href: '/app/programs' },
          { label: ed.programTitle, href: programBase },
          { label: ed.cohortName, href: `${programBase}/cohorts/${id}` },
        ],
        status,
      },
      {
        cohortId: id,
        rows: list,
        sessions: ed.sessions,
        kinds: Object.entries(QUESTION_KIND_LABELS).map(([value, label]) => ({ value, label })),
        responses: ed.survey.responses,
        locked: ed.survey.responses > 0,
        opensOn: ed.survey.opensOn,
        errors,
      },
    );
  }

  @Get(':id/survey')
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  editor(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
  ): Promise<void> {
    return this.showEditor(req, reply, actor, id);
  }

  @Post(':id/survey')
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @HttpCode(200)
  async save(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() body: FormBody,
  ): Promise<void> {
    const template = one(body.template) === 'DEFAULT';
    const rows = questionsFromForm(body ?? {});
    try {
      const dto = await validateInput(PutSurveyDto, template ? { template: 'DEFAULT' } : { questions: rows });
      await this.surveys.put(actor, id, dto);
      return this.pages.redirect(reply, `/app/cohorts/${id}/survey`, {
        tone: 'success',
        text: template ? '已按默认模板设置问卷（含本班每个课次的授课评分），可再修改后保存。' : '问卷已保存。',
      });
    } catch (e) {
      const errors = formErrors(e, ['questions']);
      if (!errors) throw e;
      return this.showEditor(req, reply, actor, id, rows, errors, 400);
    }
  }

  @Get(':id/survey/results')
  async resultsPage(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
  ): Promise<void> {
    const r = await this.results.results(actor, id);
    const head = await this.results.heading(actor, id);
    const questions = r.questions.map((q, i) => ({
      ...q,
      n: i + 1,
      isRating: q.kind === 'RATING',
      // Drawn on the server by ECharts (SSR): trusted markup, no user text inside it.
      chart: q.counts ? ratingChartSvg(q.counts) : null,
      chartText: q.counts ? ratingChartText(q.counts) : null,
    }));
    return this.pages.render(
      req,
      reply,
      'evaluation/results',
      {
        title: '训后评价结果',
        crumbs: [
          {
            label: `${head.programTitle} ${head.cohortName}`,
            href: actor.role === 'TRAINER' ? '/app/trainer' : '/app/programs',
          },
        ],
      },
      { r, questions, ratePercent: Math.round(r.responseRate * 100), cohortId: id, heading: head },
    );
  }
}
