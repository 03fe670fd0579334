import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { AttendanceModule } from '@shipei/attendance';
import { AuditModule } from '@shipei/audit';
import { AuthModule } from '@shipei/auth';
import { CertificatesModule } from '@shipei/certificates';
import { AllExceptionsFilter, AppConfig, CoreModule, createValidationPipe } from '@shipei/core';
import { NotificationsModule } from '@shipei/notifications';
import { PeopleModule } from '@shipei/people';
import { EnrolmentModule } from '@shipei/enrolment';
import { EvaluationModule } from '@shipei/evaluation';
import { ProgramsModule } from '@shipei/programs';
import { RecordsModule } from '@shipei/records';
import { TalentSupportModule } from '@shipei/talent-support';
import { ENTITIES, MIGRATIONS } from './database/schema';
import { HealthController } from './health/health.controller';
import { WebModule } from '@shipei/web';

/** The composition root: wires the domain modules to HTTP. No rules live here. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot({ config, entities: ENTITIES, migrations: MIGRATIONS }),
        TerminusModule.forRoot({ logger: false }),
        AuditModule,
        AuthModule,
        PeopleModule,
        ProgramsModule,
        EnrolmentModule,
        AttendanceModule,
        CertificatesModule,
        EvaluationModule,
        TalentSupportModule,
        RecordsModule,
        NotificationsModule,
        WebModule,
      ],
      controllers: [HealthController],
      providers: [
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
      ],
    };
  }
}
