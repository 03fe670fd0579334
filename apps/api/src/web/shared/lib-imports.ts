/**
 * Classes the pages need from libs that do not export them through their index yet: the DTOs the
 * pages validate forms with (so they run exactly the API's validation) and the teacher import
 * use case. Imported by path; switch to `@shipei/auth` / `@shipei/people` once those re-export them.
 */
export { CreateUserDto, UserQuery } from '../../../../../libs/auth/src/dto/user.dto';
export { AuditQuery } from '../../../../../libs/audit/src/audit.controller';
export { TeacherImportService } from '../../../../../libs/people/src/teachers/excel/teacher-import.service';
