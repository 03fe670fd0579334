import { Module } from '@nestjs/common';
import { ProgramsModule } from '@shipei/programs';
import { PlacementWarningsController } from './placement-warnings.controller';
import { PlacementWarningsService } from './placement-warnings.service';

/** Placement warnings on training programs: talent-support reads programs and enrolment, never the reverse. */
@Module({
  imports: [ProgramsModule],
  controllers: [PlacementWarningsController],
  providers: [PlacementWarningsService],
  exports: [PlacementWarningsService],
})
export class PlacementWarningsModule {}
