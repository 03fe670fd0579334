import { randomUUID } from 'node:crypto';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { AttendanceModule } from '@shipei/attendance';
import { AuditModule } from '@shipei/audit';
import { AuthModule } from '@shipei/auth';
import { AllExceptionsFilter, AppConfig, CoreModule, createValidationPipe } from '@shipei/core';
import { PeopleModule } from '@shipei/people';
import { EnrolmentModule } from '@shipei/enrolment';
import { ProgramsModule } from '@shipei/programs';
import { LoggerModule } from 'nestjs-pino';
import { ENTITIES, MIGRATIONS } from './database/schema';
import { HealthController } from './health/health.controller';
import { logSerializers } from './logging';

/** The composition root: wires the domain modules to HTTP. No rules live here. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot({ config, entities: ENTITIES, migrations: MIGRATIONS }),
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.logLevel,
            genReqId: (req: any) => req.id ?? randomUUID(),
            serializers: logSerializers,
            redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'], censor: '[redacted]' },
            customProps: () => ({ app: 'shipei-api' }),
            autoLogging: { ignore: (req: any) => req.url === '/api/health' },
          },
        }),
        ThrottlerModule.forRoot({ throttlers: [{ name: 'default', ttl: 60_000, limit: 100_000 }] }),
        TerminusModule.forRoot({ logger: false }),
        AuditModule,
        AuthModule,
        PeopleModule,
        ProgramsModule,
        EnrolmentModule,
        AttendanceModule,
      ],
      controllers: [HealthController],
      providers: [
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
        { provide: APP_GUARD, useClass: ThrottlerGuard },
      ],
    };
  }
}
