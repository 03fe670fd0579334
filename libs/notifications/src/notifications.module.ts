import { Module } from '@nestjs/common';
import { AttendanceModule } from '@shipei/attendance';
import { AuthModule } from '@shipei/auth';
import { AnnouncementsController } from './announcements/announcements.controller';
import { AnnouncementsAccess } from './announcements.access';
import { AnnouncementsService } from './announcements/announcements.service';
import { InboxController } from './inbox/inbox.controller';
import { InboxService } from './inbox/inbox.service';
import { DeliveriesController } from './outbox/deliveries.controller';
import { DeliveriesService } from './outbox/deliveries.service';
import { Dispatcher } from './outbox/dispatcher';
import { NotificationsSubscriber } from './outbox/notifications.subscriber';
import { Outbox } from './outbox/outbox';
import { Reminders } from './reminders/reminders';
import { PasswordResetController } from './password-reset/password-reset.controller';
import { PasswordResetService } from './password-reset/password-reset.service';

/**
 * Spec §13 and the notices of §15 (通知公告 live here: a notice is a message to many, its delivery and
 * read state are the inbox's concern, and its audience needs only what this lib already reads).
 * Spec §13: the inbox, the outbox of SMS and e-mail and its dispatcher, fed by domain events. */
@Module({
  // The attendance Clock: one settable time for the quiet hours, as for the attendance rules.
  imports: [AttendanceModule, AuthModule],
  controllers: [AnnouncementsController, InboxController, DeliveriesController, PasswordResetController],
  providers: [
    Outbox,
    Dispatcher,
    NotificationsSubscriber,
    InboxService,
    DeliveriesService,
    Reminders,
    PasswordResetService,
    AnnouncementsAccess,
    AnnouncementsService,
  ],
  exports: [AnnouncementsService, Outbox, Dispatcher, InboxService, DeliveriesService, Reminders, PasswordResetService],
})
export class NotificationsModule {}
