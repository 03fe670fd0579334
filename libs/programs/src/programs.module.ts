import { Module } from '@nestjs/common';
import { CohortsController } from './cohorts/cohorts.controller';
import { CohortsService } from './cohorts/cohorts.service';
import { ProgramsAccess } from './programs.access';
import { ProgramsController } from './programs/programs.controller';
import { ProgramsService } from './programs/programs.service';
import { SessionsController } from './sessions/sessions.controller';
import { SessionsService } from './sessions/sessions.service';

/** Training programs, their cohorts, trainers and sessions (spec §3). */
@Module({
  controllers: [ProgramsController, CohortsController, SessionsController],
  providers: [ProgramsAccess, ProgramsService, CohortsService, SessionsService],
  exports: [ProgramsAccess, ProgramsService, CohortsService, SessionsService],
})
export class ProgramsModule {}
