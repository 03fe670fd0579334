export * from './auth.module';
export * from './auth.service';
export { CreateUserDto, UserQuery } from './dto/user.dto';
export * from './migrations/1764374402000-accounts';
export * from './passwords';
export * from './user.entity';
export * from './users.service';
export { LOGIN_LIMIT } from './auth.controller';
export * from './migrations/1796615000000-user-email';
