import { Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { readSubmission, SubmissionService } from '@shipei/attendance';
import { Actor, CurrentActor, IdPipe, Roles } from '@shipei/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { fileSize, formatDateTime } from '../shared/format';
import { PageRenderer } from '../shared/page-renderer.service';
import { WebController } from '../shared/web-controller.decorator';
import { refusal } from '../trainer/training-view';
import { TEACHER_CRUMBS } from './my-programs.controller';

/**
 * 考核 on the teacher's phone: the program's items with the trainee's scores, and per item the
 * submission (作业、研修成果) to upload from the phone's files or camera, or replace.
 */
@WebController('app/me/assessment')
@Roles('TEACHER')
export class MyAssessmentController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly submissions: SubmissionService,
  ) {}

  @Get(':id')
  async page(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
  ): Promise<void> {
    const view = await this.submissions.view(actor, id);
    return this.pages.render(
      req,
      reply,
      'teacher/assessment',
      {
        title: '考核与材料',
        crumbs: [...TEACHER_CRUMBS, { label: '我的培训', href: '/app/me/programs' }],
        phone: true,
      },
      {
        enrolmentId: id,
        items: view.items.map((item, i) => {
          const s = view.scores[i];
          return {
            ...item,
            score: s.score,
            scored: s.score !== null,
            passed: s.passed,
            submission: s.submission
              ? { ...s.submission, sizeText: fileSize(s.submission.size), when: formatDateTime(s.submission.createdAt) }
              : null,
          };
        }),
      },
    );
  }

  @Post(':id/:itemId')
  @HttpCode(303)
  async upload(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Param('itemId', IdPipe) itemId: number,
  ): Promise<void> {
    const back = `/app/me/assessment/${id}`;
    try {
      await this.submissions.upload(actor, id, itemId, await readSubmission(req));
    } catch (e) {
      const flash = refusal(e);
      if (!flash) throw e;
      return this.pages.redirect(reply, back, flash);
    }
    return this.pages.redirect(reply, back, { tone: 'success', text: '材料已上传，本班培训教师可以查看。' });
  }
}
