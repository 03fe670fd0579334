import { Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { AssessmentService, ScoreInputDto, ScoresExcelService, SubmissionService } from '@shipei/attendance';
import {
  Actor,
  contentDisposition,
  CurrentActor,
  DomainError,
  IdPipe,
  Roles,
  TransactionRunner,
  XLSX_MIME,
  xlsxUpload,
} from '@shipei/core';
import { CohortsService, ProgramsService } from '@shipei/programs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PageRenderer } from '../shared/page-renderer.service';
import { WebController } from '../shared/web-controller.decorator';
import { cohortCrumbs } from './trainer-cohorts.controller';
import { refusal } from './training-view';

interface RowError {
  row: number;
  column: string;
  message: string;
}

/** `s_<enrolmentId>_<itemId>` → a score cell of the form. */
const CELL = /^s_(\d{1,12})_(\d{1,12})$/;

/**
 * 考核成绩 of a cohort: the trainer (or the program's owner) enters scores per trainee and item in
 * one table, or imports the .xlsx template; the assessment service checks and re-decides completion.
 */
@WebController('app/trainer/cohorts')
@Roles('CITY_ADMIN', 'COUNTY_ADMIN', 'TRAINER')
export class CohortScoresController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly assessment: AssessmentService,
    private readonly excel: ScoresExcelService,
    private readonly submissions: SubmissionService,
    private readonly cohorts: CohortsService,
    private readonly programs: ProgramsService,
    private readonly tx: TransactionRunner,
  ) {}

  @Get(':id/scores')
  async page(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
  ): Promise<void> {
    return this.show(req, reply, actor, id, {});
  }

  @Post(':id/scores')
  @HttpCode(200)
  async save(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
  ): Promise<void> {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const scores: ScoreInputDto[] = [];
    const bad: string[] = [];
    for (const [key, value] of Object.entries(body)) {
      const m = CELL.exec(key);
      const text = typeof value === 'string' ? value.trim() : '';
      if (!m || !text) continue;
      if (!/^\d{1,4}(\.\d{1,2})?$/.test(text)) bad.push(text);
      else scores.push({ enrolmentId: Number(m[1]), itemId: Number(m[2]), score: Number(text) });
    }
    const back = `/app/trainer/cohorts/${id}/scores`;
    if (bad.length)
      return this.pages.redirect(reply, back, {
        tone: 'error',
        text: `成绩须为数字（最多 2 位小数）：「${bad.slice(0, 3).join('」「')}」不是，未保存任何成绩。`,
      });
    if (!scores.length) return this.pages.redirect(reply, back, { tone: 'error', text: '没有填写任何成绩。' });
    try {
      const r = await this.assessment.setScores(actor, id, scores);
      const text = `已保存：改动 ${r.updated} 项成绩${r.redecided ? `，${r.redecided} 名学员的结业结果随之更新` : ''}。`;
      return this.pages.redirect(reply, back, { tone: 'success', text });
    } catch (e) {
      const flash = refusal(e);
      if (!flash) throw e;
      return this.pages.redirect(reply, back, flash);
    }
  }

  @Post(':id/scores/import')
  @HttpCode(200)
  async import(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
  ): Promise<void> {
    try {
      const r = await this.excel.import(actor, id, await xlsxUpload(req));
      const text = `导入成功：改动 ${r.updated} 项成绩${r.redecided ? `，${r.redecided} 名学员的结业结果随之更新` : ''}。`;
      return this.pages.redirect(reply, `/app/trainer/cohorts/${id}/scores`, { tone: 'success', text });
    } catch (e) {
      const rows =
        e instanceof DomainError && e.code === 'IMPORT_INVALID' && Array.isArray(e.details?.errors)
          ? (e.details.errors as RowError[])
          : null;
      const flash = refusal(e);
      if (!flash) throw e;
      return this.show(req, reply, actor, id, { message: flash.text, rows }, 400);
    }
  }

  @Get(':id/scores/template.xlsx')
  async template(
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
  ): Promise<void> {
    const t = await this.excel.template(actor, id);
    reply.header('content-type', XLSX_MIME).header('content-disposition', t.disposition).send(t.content);
  }

  /** A trainee's submission, downloaded from the score table (the service checks who may read it). */
  @Get(':id/scores/submissions/:enrolmentId/:itemId')
  async submission(
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('enrolmentId', IdPipe) enrolmentId: number,
    @Param('itemId', IdPipe) itemId: number,
  ): Promise<void> {
    const f = await this.submissions.download(actor, enrolmentId, itemId);
    reply
      .header('content-type', f.contentType)
      .header('content-disposition', contentDisposition(f.filename, 'attachment', 'submission'))
      .header('cache-control', 'no-store')
      .send(f.content);
  }

  private async show(
    req: FastifyRequest,
    reply: FastifyReply,
    actor: Actor,
    id: number,
    outcome: { message?: string; rows?: RowError[] | null },
    status = 200,
  ): Promise<void> {
    // The scores first: it is the check that the actor runs this cohort (404 / 403 otherwise).
    const view = await this.assessment.cohortScores(actor, id);
    const cohort = await this.tx.read((em) => this.cohorts.get(em, actor, id));
    const program = await this.tx.read((em) => this.programs.get(em, actor, cohort.programId));
    return this.pages.render(
      req,
      reply,
      'trainer/scores',
      {
        title: `${cohort.name}：考核成绩`,
        crumbs: [...cohortCrumbs(actor, program, cohort)],
        status,
      },
      {
        cohort,
        program,
        items: view.items,
        trainees: view.trainees.map((t, i) => ({
          ...t,
          n: i + 1,
          // 未及格 only once every item has a score; before that the row is still being entered.
          incomplete: t.scores.some((s) => s.score === null),
          cells: t.scores.map((s) => ({
            ...s,
            item: view.items.find((x) => x.id === s.itemId)!,
            value: s.score === null ? '' : String(s.score),
          })),
        })),
        ...outcome,
      },
    );
  }
}
