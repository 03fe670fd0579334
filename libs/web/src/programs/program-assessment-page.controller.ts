import { Body, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { AssessmentService, MAX_ITEMS, SetAssessmentItemsDto } from '@shipei/attendance';
import { Actor, CurrentActor, IdPipe, Roles, TransactionRunner } from '@shipei/core';
import { ProgramsService } from '@shipei/programs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { field, FormBody, validateInput } from '../shared/forms';
import { PageRenderer } from '../shared/page-renderer.service';
import { WebController } from '../shared/web-controller.decorator';
import { refusal } from '../trainer/training-view';
import { programCrumbs } from './program-view';

interface ItemRow {
  name: string;
  passMark: string;
  maxScore: string;
}

/** Blank rows offered below the items for new ones. */
const SPARE_ROWS = 3;

/**
 * 考核项目 of a program, set by its owner: rows of name, 满分 and 及格分 (a row left without a name is
 * dropped). The assessment service checks the rules (pass mark ≤ 满分, a scored item stays, …).
 */
@WebController('app/programs')
@Roles('CITY_ADMIN', 'COUNTY_ADMIN')
export class ProgramAssessmentPageController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly programs: ProgramsService,
    private readonly assessment: AssessmentService,
    private readonly tx: TransactionRunner,
  ) {}

  @Get(':id/assessment')
  async page(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
  ): Promise<void> {
    const current = await this.assessment.items(actor, id);
    const rows = current.items.map((i) => ({
      name: i.name,
      passMark: String(i.passMark),
      maxScore: String(i.maxScore),
    }));
    return this.show(req, reply, actor, id, rows, null);
  }

  @Post(':id/assessment')
  @HttpCode(200)
  async save(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() body: FormBody,
  ): Promise<void> {
    const rows: ItemRow[] = [];
    for (let i = 0; i < MAX_ITEMS + SPARE_ROWS; i++) {
      const row = {
        name: field(body, `name${i}`),
        passMark: field(body, `pass${i}`),
        maxScore: field(body, `max${i}`),
      };
      if (row.name || row.passMark || row.maxScore) rows.push(row);
    }
    const number = (t: string) => (/^\d+(\.\d+)?$/.test(t) ? Number(t) : t);
    try {
      const dto = await validateInput(SetAssessmentItemsDto, {
        items: rows.map((r) => ({ name: r.name, passMark: number(r.passMark), maxScore: number(r.maxScore) })),
      });
      await this.assessment.setItems(actor, id, dto.items);
    } catch (e) {
      const flash = refusal(e);
      if (!flash) throw e;
      const details = (e as { details?: { errors?: { message?: string; messages?: string[] }[] } }).details;
      const messages = (details?.errors ?? []).flatMap((x) => x.messages ?? (x.message ? [x.message] : []));
      return this.show(req, reply, actor, id, rows, messages.length ? messages : [flash.text], 400);
    }
    return this.pages.redirect(reply, `/app/programs/${id}`, { tone: 'success', text: '考核项目已保存。' });
  }

  private async show(
    req: FastifyRequest,
    reply: FastifyReply,
    actor: Actor,
    id: number,
    rows: ItemRow[],
    errors: string[] | null,
    status = 200,
  ): Promise<void> {
    const program = await this.tx.read((em) => this.programs.get(em, actor, id));
    const all = [...rows, ...Array.from({ length: SPARE_ROWS }, () => ({ name: '', passMark: '', maxScore: '' }))];
    return this.pages.render(
      req,
      reply,
      'programs/assessment',
      { title: '设置考核项目', crumbs: programCrumbs(program), status },
      { program, rows: all.slice(0, MAX_ITEMS + SPARE_ROWS).map((r, i) => ({ ...r, i, n: i + 1 })), errors },
    );
  }
}
