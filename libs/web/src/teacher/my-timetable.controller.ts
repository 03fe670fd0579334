import { Get, Param, Req, Res } from '@nestjs/common';
import { AttendanceOutputsService } from '@shipei/attendance';
import { Actor, CurrentActor, IdPipe, Roles, shanghaiDate, shanghaiWeekday } from '@shipei/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { formatTime } from '../shared/format';
import { PageRenderer } from '../shared/page-renderer.service';
import { WebController } from '../shared/web-controller.decorator';
import { hoursText, sendPdf } from '../trainer/training-view';
import { TEACHER_CRUMBS } from './my-programs.controller';

const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六'];

/** 课程表 on the teacher's phone: the cohort's sessions day by day, and the printable PDF (A4). */
@WebController('app/me/timetable')
@Roles('TEACHER')
export class MyTimetableController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly outputs: AttendanceOutputsService,
  ) {}

  @Get(':id')
  async show(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
  ): Promise<void> {
    const view = await this.outputs.timetableView(actor, id);
    const days: { label: string; sessions: Record<string, string>[] }[] = [];
    for (const s of view.sessions) {
      const day = shanghaiDate(s.startsAt);
      const [, m, d] = day.split('-').map(Number);
      const label = `${m}月${d}日 星期${WEEKDAYS[shanghaiWeekday(s.startsAt)]}`;
      if (days.at(-1)?.label !== label) days.push({ label, sessions: [] });
      days.at(-1)!.sessions.push({
        when: `${formatTime(s.startsAt)}–${formatTime(s.endsAt)}`,
        title: s.title,
        trainer: s.trainer,
        room: s.room,
        hours: hoursText(s.hours),
      });
    }
    return this.pages.render(
      req,
      reply,
      'teacher/timetable',
      { title: '课程表', crumbs: TEACHER_CRUMBS, phone: true },
      { view, days, cohortId: id, totalHours: hoursText(view.sessions.reduce((n, s) => n + s.hours, 0)) },
    );
  }

  @Get(':id/pdf')
  async pdf(@Res() reply: FastifyReply, @CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<void> {
    const file = await this.outputs.timetable(actor, id);
    sendPdf(reply, `课程表-${id}.pdf`, file.body);
  }
}
