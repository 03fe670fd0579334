import { Body, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { Actor, CurrentActor, IdPipe, Roles } from '@shipei/core';
import { SubmitSurveyDto, SurveysService } from '@shipei/evaluation';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { FormBody, FormErrors, formErrors, validateInput } from '../shared/forms';
import { PageRenderer } from '../shared/page-renderer.service';
import { WebController } from '../shared/web-controller.decorator';
import { TEACHER_CRUMBS } from '../teacher/my-programs.controller';
import { refusal } from '../trainer/training-view';

const one = (v: string | string[] | undefined): string => (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).trim();

/** 训后评价 on the teacher's phone: the forms waiting for an answer, and one form (answered once, anonymously). */
@WebController('app/me/surveys')
@Roles('TEACHER')
export class MySurveysController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly surveys: SurveysService,
  ) {}

  @Get()
  async list(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @CurrentActor() actor: Actor): Promise<void> {
    const open = await this.surveys.openFor(actor);
    return this.pages.render(
      req,
      reply,
      'evaluation/my-list',
      { title: '培训评价', crumbs: TEACHER_CRUMBS, phone: true },
      { open },
    );
  }

  private async showForm(
    req: FastifyRequest,
    reply: FastifyReply,
    actor: Actor,
    id: number,
    given: Record<string, string> = {},
    errors?: FormErrors,
    status = 200,
  ): Promise<void> {
    const survey = await this.surveys.get(actor, id);
    const heading = (await this.surveys.openFor(actor)).find((o) => o.cohortId === id);
    const questions = survey.questions.map((q) => ({
      ...q,
      isRating: q.kind === 'RATING',
      value: given[`q_${q.id}`] ?? '',
      options: [1, 2, 3, 4, 5].map((v) => ({ v, checked: given[`q_${q.id}`] === String(v) })),
      error: errors?.fields[`question.${q.id}`],
    }));
    return this.pages.render(
      req,
      reply,
      'evaluation/my-form',
      {
        title: '培训评价',
        crumbs: [...TEACHER_CRUMBS, { label: '培训评价', href: '/app/me/surveys' }],
        phone: true,
        status,
      },
      { survey, heading, questions, errors, action: `/app/me/surveys/${id}` },
    );
  }

  @Get(':id')
  form(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
  ): Promise<void> {
    return this.showForm(req, reply, actor, id);
  }

  @Post(':id')
  @HttpCode(200)
  async submit(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() body: FormBody,
  ): Promise<void> {
    const given: Record<string, string> = {};
    const answers: Record<string, unknown>[] = [];
    for (const [k, v] of Object.entries(body ?? {})) {
      const m = /^q_(\d+)$/.exec(k);
      if (!m) continue;
      given[k] = one(v);
      if (!given[k]) continue;
      const rating = /^[1-5]$/.test(given[k]) && one(body[`kind_${m[1]}`]) === 'RATING';
      answers.push(
        rating ? { questionId: Number(m[1]), rating: Number(given[k]) } : { questionId: Number(m[1]), text: given[k] },
      );
    }
    try {
      await this.surveys.respond(actor, id, await validateInput(SubmitSurveyDto, { answers }));
      return this.pages.redirect(reply, '/app/me/surveys', {
        tone: 'success',
        text: '评价已提交，感谢您的反馈！评价为匿名，任何人都看不到是谁填写的。',
      });
    } catch (e) {
      if ((e as { status?: number }).status === 400) {
        const errors = formErrors(e, []);
        if (errors) {
          // The API names the question (`question.<id>`): the message goes under it, the summary on top.
          const details =
            (e as { details?: { errors?: { field?: string; message?: string }[] } }).details?.errors ?? [];
          for (const d of details)
            if (d.field?.startsWith('question.') && d.message) errors.fields[d.field] = d.message;
          if (Object.keys(errors.fields).length) errors.summary = '提交未成功，请按提示修改标红的题目。';
          return this.showForm(req, reply, actor, id, given, errors, 400);
        }
      }
      const flash = refusal(e);
      if (!flash) throw e;
      return this.pages.redirect(reply, '/app/me/surveys', flash);
    }
  }
}
