import {
  Assessment1796760000000,
  Attendance1764374420000,
  AttendanceRecord,
  CheckinClosure,
  CheckinClosure1764374460000,
  CheckinPasses1764374461000,
  LeaveAttachments1796627000000,
  CheckinPassKey,
  LeaveRequest,
  LeaveRequestSession,
} from '@shipei/attendance';
import { Audit1764374400000, AuditEntry } from '@shipei/audit';
import { Accounts1764374402000, LoginGuard, Sessions1765120001000, User, UserEmail1796615000000 } from '@shipei/auth';
import { RateCounter, RateCounters1765120000000 } from '@shipei/core';
import {
  Certificate,
  Certificates1764374440000,
  CertificateSeries,
  CertificateSeries1764374445000,
  CertificateTemplateVersion,
} from '@shipei/certificates';
import { DomainEventRecord, DomainEvents1796610000000, EventRelay1796628000000 } from '@shipei/core';
import {
  Delivery,
  DeliveryAttempt,
  Announcement,
  AnnouncementRecipient,
  Announcements1796770000000,
  Notification,
  Notifications1796620000000,
  PasswordReset1796626000000,
  PasswordResetCode,
  Reminders1796625000000,
} from '@shipei/notifications';
import {
  ComplianceTables1796710000000,
  CreditCycle,
  CreditYear,
  Organisation,
  People1764374401000,
  Teacher,
  TeacherCount,
  TeacherListIndexes1796720000000,
  TeacherPutonghua1764374480000,
  TeacherTallyRow,
} from '@shipei/people';
import { Cohort, CohortTrainer, CountyQuota, Program, Programs1764374410000, TrainingSession } from '@shipei/programs';
import { Enrolment, Enrolment1764374411000 } from '@shipei/enrolment';
import {
  SurveyAnswer,
  SurveyQuestion,
  SurveyRespondent,
  SurveyResponse,
  Surveys1796750000000,
} from '@shipei/evaluation';
import { ExternalCredit, Records1764374450000 } from '@shipei/records';
import {
  Placement,
  PlacementTeam,
  Scheme,
  SchemeQuota,
  SchemeRuleDefaults,
  StipendPayment,
  StipendTrip,
  TalentSupport1764374430000,
  TalentSupportPlans1764374481000,
} from '@shipei/talent-support';

/**
 * The whole schema of the app: every lib's entities and migrations, in dependency order.
 * Used by the app, `npm run migrate` and the tests, so all three see the same schema.
 */
export const ENTITIES = [
  AuditEntry,
  Organisation,
  Teacher,
  TeacherTallyRow,
  User,
  Program,
  CountyQuota,
  Cohort,
  CohortTrainer,
  TrainingSession,
  Enrolment,
  LeaveRequest,
  LeaveRequestSession,
  AttendanceRecord,
  CheckinClosure,
  CheckinPassKey,
  Scheme,
  SchemeQuota,
  Placement,
  PlacementTeam,
  SchemeRuleDefaults,
  StipendTrip,
  StipendPayment,
  CertificateTemplateVersion,
  Certificate,
  CertificateSeries,
  SurveyQuestion,
  SurveyResponse,
  SurveyAnswer,
  SurveyRespondent,
  ExternalCredit,
  CreditYear,
  CreditCycle,
  TeacherCount,
  DomainEventRecord,
  Notification,
  Delivery,
  DeliveryAttempt,
  RateCounter,
  LoginGuard,
  PasswordResetCode,
  Announcement,
  AnnouncementRecipient,
];

export const MIGRATIONS = [
  Audit1764374400000,
  People1764374401000,
  Accounts1764374402000,
  Programs1764374410000,
  Enrolment1764374411000,
  Attendance1764374420000,
  TalentSupport1764374430000,
  Certificates1764374440000,
  CertificateSeries1764374445000,
  Records1764374450000,
  CheckinClosure1764374460000,
  CheckinPasses1764374461000,
  TeacherPutonghua1764374480000,
  TalentSupportPlans1764374481000,
  RateCounters1765120000000,
  Sessions1765120001000,
  DomainEvents1796610000000,
  UserEmail1796615000000,
  Notifications1796620000000,
  Reminders1796625000000,
  PasswordReset1796626000000,
  LeaveAttachments1796627000000,
  EventRelay1796628000000,
  ComplianceTables1796710000000,
  TeacherListIndexes1796720000000,
  Surveys1796750000000,
  Assessment1796760000000,
  Announcements1796770000000,
];
